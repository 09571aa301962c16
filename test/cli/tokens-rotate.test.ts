import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { parseTokenRecord, serializeTokenRecord, tokenDigest } from '../../lambda/authorizer/token-record';
import { ExitCode } from '../../lib/cli/errors';
import { awsError, cli, createArgs, FakeParameterStore, mockAws, NOW, SECRETS_KEY_ARN, ssmMock, TOKEN_PATH } from './cli-harness';

const HOUR = 3_600_000;

beforeEach(() => mockAws());

async function createToken(store: FakeParameterStore, ...extra: string[]) {
  const created = JSON.parse((await cli(createArgs('--json', ...extra))).stdout) as { token: string; id: string };
  return { ...created, record: parseTokenRecord(store.value(created.id)!) };
}

test('SEC-3: tokens rotate issues a successor with the same identity and sets the old expiry to now + 24h by default', async () => {
  // GIVEN
  const store = new FakeParameterStore().install();
  const old = await createToken(store);
  const later = new Date(NOW.getTime() + 80 * 24 * HOUR);
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id], { now: later });
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  const token = run.stdout.trim();
  expect(run.stdout).toBe(`${token}\n`);
  expect(token).not.toBe(old.token);
  expect(run.stderr).not.toContain(token);
  const records = [...store.parameters.values()].map((p) => parseTokenRecord(p.Value!));
  const successor = records.find((r) => r.id !== old.id)!;
  expect(successor).toMatchObject({
    digest: tokenDigest(token),
    agentId: old.record.agentId,
    agentType: old.record.agentType,
    role: old.record.role,
    scopes: old.record.scopes,
    createdAt: later.toISOString(),
    expiresAt: new Date(later.getTime() + 90 * 24 * HOUR).toISOString(),
  });
  expect(parseTokenRecord(store.value(old.id)!)).toEqual({ ...old.record, expiresAt: new Date(later.getTime() + 24 * HOUR).toISOString() });
  expect(run.stderr).toMatch(new RegExp(`${old.id} now expires at .*; both tokens work until then, only ${successor.id} after`));
});

test('SEC-3: tokens rotate writes the successor first without overwriting, then replaces the old record with the stage key', async () => {
  // GIVEN
  const store = new FakeParameterStore().install();
  const old = await createToken(store);
  ssmMock.resetHistory();
  // WHEN
  await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id, '--overlap', '2h']);
  // THEN
  const puts = ssmMock.commandCalls(PutParameterCommand).map((c) => c.args[0].input);
  expect(puts.map((p) => [p.Name === `${TOKEN_PATH}/${old.id}`, p.Overwrite, p.Type, p.KeyId])).toEqual([
    [false, false, 'SecureString', SECRETS_KEY_ARN],
    [true, true, 'SecureString', SECRETS_KEY_ARN],
  ]);
  expect(ssmMock.commandCalls(GetParameterCommand)[0]!.args[0].input).toEqual({ Name: `${TOKEN_PATH}/${old.id}`, WithDecryption: true });
  expect(parseTokenRecord(puts[1]!.Value!).expiresAt).toBe(new Date(NOW.getTime() + 2 * HOUR).toISOString());
});

test('SEC-3: tokens rotate never extends the old token beyond its own expiry', async () => {
  // GIVEN
  const store = new FakeParameterStore().install();
  const old = await createToken(store, '--expires', '2h');
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id, '--overlap', '7d']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(parseTokenRecord(store.value(old.id)!).expiresAt).toBe(old.record.expiresAt);
});

test('tokens rotate --json gives the new token, its fields and the old token\'s new expiry', async () => {
  // GIVEN
  const store = new FakeParameterStore().install();
  const old = await createToken(store);
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id, '--json', '--expires', '30d']);
  // THEN
  const out = JSON.parse(run.stdout);
  expect(out).toMatchObject({ replaces: old.id, replacedExpiresAt: new Date(NOW.getTime() + 24 * HOUR).toISOString(), agentId: 'billing-bot' });
  expect(parseTokenRecord(store.value(out.id)!)).toMatchObject({ digest: tokenDigest(out.token), expiresAt: new Date(NOW.getTime() + 30 * 24 * HOUR).toISOString() });
  expect(run.stdout).not.toContain('sha256:');
});

test('fails: tokens rotate of an unknown id exits NOT_FOUND and writes nothing', async () => {
  // GIVEN
  new FakeParameterStore().install();
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', 'tok_zzzzzzzzzzzzzzzzzzzzzzzzzz']);
  // THEN
  expect(run.code).toBe(ExitCode.NOT_FOUND);
  expect(run.stdout).toBe('');
  expect(ssmMock.commandCalls(PutParameterCommand)).toHaveLength(0);
});

test('fails: tokens rotate of an expired token exits USAGE and points to tokens create', async () => {
  // GIVEN
  const store = new FakeParameterStore().install();
  const old = await createToken(store, '--expires', '1h');
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id], { now: new Date(NOW.getTime() + 2 * HOUR) });
  // THEN
  expect(run.code).toBe(ExitCode.USAGE);
  expect(run.stderr).toMatch(/expired at .*; it cannot be rotated: issue a new one with tokens create/);
});

test.each([['8d', /--overlap must be from 0s to 7d, got '8d'/], ['soon', /--overlap must be a duration/]])(
  'fails: tokens rotate --overlap %s exits BAD_DURATION before any AWS call',
  async (overlap, message) => {
    // WHEN
    const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', 'tok_zzzzzzzzzzzzzzzzzzzzzzzzzz', '--overlap', overlap]);
    // THEN
    expect(run.code).toBe(ExitCode.BAD_DURATION);
    expect(run.stderr).toMatch(message);
    expect(ssmMock.calls()).toHaveLength(0);
  },
);

test('fails: tokens rotate of a record whose role the config no longer defines exits UNKNOWN_ROLE_OR_SCOPE', async () => {
  // GIVEN
  const store = new FakeParameterStore().install();
  const old = await createToken(store);
  const record = { ...old.record, role: 'retired' };
  store.parameters.set(`${TOKEN_PATH}/${old.id}`, { Name: `${TOKEN_PATH}/${old.id}`, Type: 'SecureString', Value: serializeTokenRecord(record), Version: 2 });
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id]);
  // THEN
  expect(run.code).toBe(ExitCode.UNKNOWN_ROLE_OR_SCOPE);
  expect(store.parameters.size).toBe(1);
});

test('fails: when shortening the old record is throttled, the successor is still printed and the error says what to do', async () => {
  // GIVEN
  const store = new FakeParameterStore().install();
  const old = await createToken(store);
  ssmMock.on(PutParameterCommand, { Overwrite: true }).rejects(awsError('ThrottlingException', 'Rate exceeded', 5));
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id]);
  // THEN
  expect(run.code).toBe(ExitCode.THROTTLED);
  const token = run.stdout.trim();
  expect(token).toMatch(/^mcp_/);
  const successor = [...store.parameters.values()].map((p) => parseTokenRecord(p.Value!)).find((r) => r.id !== old.id)!;
  expect(successor.digest).toBe(tokenDigest(token));
  expect(parseTokenRecord(store.value(old.id)!).expiresAt).toBe(old.record.expiresAt);
  expect(run.stderr).toMatch(new RegExp(`the successor ${successor.id} is stored and valid, but ${old.id} still expires at .*; revoke ${old.id} once the agent uses the new token`));
});
