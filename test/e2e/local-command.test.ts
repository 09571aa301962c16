/**
 * `npm run local` as a user runs it: the command starts, prints a token and a curl line, and the
 * printed token works through the perimeter.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

function waitFor(output: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const match = output().match(pattern);
      if (match) {
        clearInterval(poll);
        resolve(match);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`no ${pattern} in output:\n${output()}`));
      }
    }, 50);
  });
}

test('npm run local prints a working token and a curl line at start only; the token folder holds only its digest', async () => {
  // GIVEN the command as package.json runs it, on a free port with its own token folder
  const tokens = join(mkdtempSync(join(tmpdir(), 'local-cmd-')), 'tokens');
  let out = '';
  child = spawn(process.execPath, ['-r', 'esbuild-register', 'bin/local.ts', '--port', '0', '--tokens', tokens], { cwd: root, env: { PATH: process.env.PATH } });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // WHEN it has started
  const [, url] = await waitFor(() => out, /MCP endpoint: (http:\/\/127\.0\.0\.1:\d+\/mcp)/, 60_000);
  const [token] = await waitFor(() => out, /mcp_[A-Za-z0-9_-]{43}/, 5_000);
  const res = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hello' } } }),
  });
  // THEN
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('"text":"hello"');
  expect(out).toContain(`curl -sS ${url}`);
  expect(out.split(token).length - 1).toBe(3); // the token line, the curl line, the client line: printed at start only
  const files = readdirSync(tokens);
  expect(files).toHaveLength(1);
  expect(readFileSync(join(tokens, files[0]), 'utf8')).not.toContain(token);
});
