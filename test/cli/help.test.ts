import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseTokenRecord, tokenDigest } from '../../lambda/authorizer/token-record';
import { ExitCode } from '../../lib/cli/errors';
import { COMMANDS } from '../../lib/cli/run';
import { cli, mockAws, ssmMock } from './cli-harness';

beforeEach(() => mockAws());

test('--help lists every command, where values come from and every exit code', async () => {
  // WHEN
  const run = await cli(['--help']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  for (const c of COMMANDS) expect(run.stdout).toContain(c.path.join(' '));
  expect(run.stdout).toMatch(/McpPerimeter-<stage>-Keys \(CloudFormation DescribeStacks\)/);
  expect(run.stdout).toMatch(/TokenTableName.*\n.*\n.*--token-table, --signing-key-id/);
  for (const code of Object.values(ExitCode)) expect(run.stdout).toMatch(new RegExp(`^ +${code}  \\S`, 'm'));
});

test.each(COMMANDS.map((c) => [c.path.join(' '), c] as const))('%s --help shows its flags, where its values come from, examples and exit codes', async (_name, command) => {
  // WHEN
  const run = await cli([...command.path, '--help']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  for (const flag of Object.keys(command.options)) expect(run.stdout).toContain(`--${flag}`);
  expect(run.stdout).toMatch(/McpPerimeter-<stage>-Keys/);
  expect(run.stdout).toMatch(/Examples:\n  mcp-perimeter /);
  expect(run.stdout).toMatch(/Exit codes:\n +0  success/);
  expect(ssmMock.calls()).toHaveLength(0);
});

test('-h works like --help', async () => {
  // WHEN
  const run = await cli(['tokens', 'list', '-h']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(run.stdout).toMatch(/^mcp-perimeter tokens list:/);
});

test('fails: no command prints the help on stderr and exits USAGE', async () => {
  // WHEN
  const run = await cli([]);
  // THEN
  expect(run.code).toBe(ExitCode.USAGE);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^mcp-perimeter: operators' CLI/);
});

test.each([
  [['secrets', 'list'], /unknown command 'secrets': use one of tokens, jwt/],
  [['tokens', 'delete'], /unknown command 'tokens delete': use one of tokens create, tokens list, tokens revoke, tokens rotate/],
  [['tokens', 'list', '--stage', 'dev', '--verbose'], /Unknown option '--verbose'.*; see mcp-perimeter tokens list --help/],
  [['tokens', 'list', '--stage'], /--stage.*argument missing.*see mcp-perimeter tokens list --help/],
  [['tokens', 'list', '--stage', 'dev', 'extra'], /Unexpected argument 'extra'/],
  [['tokens', 'list'], /--stage is required: name the stage, e.g. --stage dev/],
  [['tokens', 'list', '--stage', 'Prod'], /--stage must be 1-20 lowercase letters, digits or -, starting with a letter, got 'Prod'/],
])('fails: %j exits USAGE with a message naming what to fix', async (argv, message) => {
  // WHEN
  const run = await cli(argv);
  // THEN
  expect(run.code).toBe(ExitCode.USAGE);
  expect(run.stderr).toMatch(message);
});

test('tokens --help shows the group\'s commands', async () => {
  // WHEN
  const run = await cli(['tokens', '--help']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(run.stdout).toMatch(/create +issue an opaque token/);
  expect(run.stdout).toMatch(/rotate +issue a successor/);
});

const BIN = join(__dirname, '..', '..', 'bin', 'cli.js');

test('bin/cli.js runs the TypeScript CLI with no build step (the package bin for npx mcp-perimeter)', () => {
  // WHEN
  const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  const offline = spawnSync(process.execPath, [BIN, 'tokens', 'create', '--stage', 'dev', '--agent-id', 'a', '--agent-type', 't', '--role', 'reader', '--offline'], { encoding: 'utf8' });
  const bad = spawnSync(process.execPath, [BIN, 'tokens', 'create', '--stage', 'dev', '--agent-id', 'a', '--agent-type', 't', '--role', 'reader', '--expires', '1y', '--offline'], { encoding: 'utf8' });
  // THEN
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/Exit codes:/);
  expect(offline.status).toBe(0);
  const [token, record] = offline.stdout.split('\n');
  expect(parseTokenRecord(record!).digest).toBe(tokenDigest(token!));
  expect(bad.status).toBe(ExitCode.BAD_DURATION);
  expect(bad.stderr).toMatch(/error: --expires must be a duration/);
});
