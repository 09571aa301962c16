import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

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

test('WORK-1: the image is multi-stage, exposes 8080 and the final stage copies only the bundle', () => {
  // WHEN
  const froms = instructions.filter((l) => l.startsWith('FROM '));
  const finalStage = instructions.slice(instructions.indexOf(froms[froms.length - 1]));
  // THEN
  expect(froms.length).toBe(2);
  expect(finalStage).toContain('EXPOSE 8080');
  expect(finalStage.filter((l) => l.startsWith('COPY '))).toEqual([expect.stringMatching(/^COPY --from=build \/build\/dist\/server\.js/)]);
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

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
