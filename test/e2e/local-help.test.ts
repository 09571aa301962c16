/** `npm run local -- --help` prints the options and exits 0; an unknown option points to it and exits 1. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const local = (...args: string[]) => spawnSync(process.execPath, ['-r', 'esbuild-register', 'bin/local.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

test('npm run local -- --help prints every option and exits 0', () => {
  const run = local('--help');
  expect(run.status).toBe(0);
  for (const option of ['--config', '--port', '--role', '--agent-id', '--tokens', '--help']) expect(run.stdout).toContain(option);
  expect(run.stderr).toBe('');
});

test('an unknown option names itself and points to --help', () => {
  const run = local('--nope');
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/Unknown option '--nope'\nsee npm run local -- --help/);
});
