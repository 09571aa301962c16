import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { WRITABLE_PATH } from '../../lib/constructs/service/mcp-service';
import { healthPaths, listenPorts } from '../../reference-server/src/main';

const root = join(__dirname, '..', '..', 'reference-server');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const instructions = dockerfile.split('\n').filter((l) => /^[A-Z]+\s/.test(l));

test('WORK-1: the image runs as a numeric non-root user', () => {
  // WHEN
  const users = instructions.filter((l) => l.startsWith('USER '));
  // THEN the final stage's last USER is numeric and not 0
  expect(users.length).toBeGreaterThan(0);
  expect(users[users.length - 1]).toMatch(/^USER [1-9]\d*(:[1-9]\d*)?$/);
  expect(instructions.indexOf(users[users.length - 1])).toBeGreaterThan(instructions.map((l) => l.startsWith('FROM ')).lastIndexOf(true));
});

test('WORK-1: the image is multi-stage, exposes 8080 and the final stage copies only the bundle and its writable directory', () => {
  // WHEN
  const froms = instructions.filter((l) => l.startsWith('FROM '));
  const finalStage = instructions.slice(instructions.indexOf(froms[froms.length - 1]));
  // THEN
  expect(froms.length).toBe(2);
  expect(finalStage).toContain('EXPOSE 8080');
  expect(finalStage.filter((l) => l.startsWith('COPY '))).toEqual([
    expect.stringMatching(/^COPY --from=build \/build\/dist\/server\.js/),
    'COPY --from=build --chown=1000:1000 /rootfs/ /',
  ]);
  expect(finalStage.some((l) => l.startsWith('RUN '))).toBe(false);
});

test('WORK-1: the bundle runs alone (no node_modules) and writes nothing next to itself', async () => {
  // GIVEN the server bundled as the Dockerfile bundles it, in an empty folder
  const dir = mkdtempSync(join(tmpdir(), 'reference-server-'));
  buildSync({ entryPoints: [join(root, 'src', 'main.ts')], bundle: true, platform: 'node', target: 'node20', outfile: join(dir, 'server.js'), logLevel: 'silent' });
  const port = await freePort();
  // WHEN it starts and answers a health check
  const child = spawn(process.execPath, ['server.js'], { cwd: dir, env: { PATH: process.env.PATH, PORT: String(port), SERVICE_VERSION: '1.2.3' } });
  try {
    await once(child.stdout, 'data');
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    // THEN
    expect(await res.json()).toEqual({ status: 'ok', version: '1.2.3' });
    expect(readdirSync(dir)).toEqual(['server.js']);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

test('WORK-1: the task\'s writable mount is a VOLUME of the image, owned by the image\'s non-root user', () => {
  // GIVEN the final stage and the build stage's preparation of the directory
  const finalStage = instructions.slice(instructions.map((l) => l.startsWith('FROM ')).lastIndexOf(true));
  const user = finalStage.filter((l) => l.startsWith('USER ')).pop()!.slice('USER '.length);
  // WHEN
  const volumes = finalStage.filter((l) => l.startsWith('VOLUME ')).flatMap((l) => JSON.parse(l.slice('VOLUME '.length)) as string[]);
  const copy = finalStage.find((l) => l.includes('/rootfs/'));
  // THEN the only writable path of the task definition is declared, and it comes from a directory the
  // build stage made (sticky, world-writable) and copied with the runtime user as owner
  expect(volumes).toEqual([WRITABLE_PATH]);
  expect(copy).toBe(`COPY --from=build --chown=${user} /rootfs/ /`);
  expect(instructions).toContain(`RUN mkdir -p /rootfs${WRITABLE_PATH} && chmod 1777 /rootfs${WRITABLE_PATH}`);
  expect(finalStage).toContain(`ENV NODE_ENV=production PORT=8080 TMPDIR=${WRITABLE_PATH}`);
});

test('WORK-2: the bundle listens on every LISTEN_PORTS port and answers every HEALTH_PATHS path', async () => {
  // GIVEN the bundle, and the environment the task definition sets for developer-mesh-like backends
  const dir = mkdtempSync(join(tmpdir(), 'reference-server-'));
  buildSync({ entryPoints: [join(root, 'src', 'main.ts')], bundle: true, platform: 'node', target: 'node20', outfile: join(dir, 'server.js'), logLevel: 'silent' });
  const ports = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['server.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH, LISTEN_PORTS: ports.join(','), HEALTH_PATHS: '/health,/mcp/health', SERVICE_VERSION: '2.0.0' },
  });
  try {
    // WHEN both ports have logged that they listen
    let logged = '';
    while ((logged.match(/listening/g) ?? []).length < 2) logged += String((await once(child.stdout, 'data'))[0]);
    // THEN each port answers each health path, and nothing else is a health path
    for (const port of ports) {
      for (const path of ['/health', '/mcp/health']) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        expect([port, path, res.status, await res.json()]).toEqual([port, path, 200, { status: 'ok', version: '2.0.0' }]);
      }
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(404);
    }
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

test('WORK-2: a bad LISTEN_PORTS or HEALTH_PATHS stops the server with the variable named', () => {
  expect(() => listenPorts({ LISTEN_PORTS: '8080,http' })).toThrow(/LISTEN_PORTS must be integers from 1 to 65535/);
  expect(() => healthPaths({ HEALTH_PATHS: 'health' })).toThrow(/HEALTH_PATHS must be absolute paths/);
  expect(listenPorts({ PORT: '9000' })).toEqual([9000]);
  expect(listenPorts({ LISTEN_PORTS: '8080,8081,8080' })).toEqual([8080, 8081]);
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
