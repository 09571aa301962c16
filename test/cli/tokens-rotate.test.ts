import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import * as fc from 'fast-check';
import { createAuthorizer } from '../../lambda/authorizer/authorizer';
import { MemoryAuditLog } from '../../lambda/authorizer/audit';
import { DynamoDbTokenLookup } from '../../lambda/authorizer/dynamodb-token-lookup';
import { validateAuthorizerSettings } from '../../lambda/authorizer/settings';
import { parseTokenRecord, type TokenRecord, tokenDigest } from '../../lambda/authorizer/token-record';
import { ExitCode } from '../../lib/cli/errors';
import { loadConfig } from '../../lib/config';
import { authorizerSettingsFromConfig } from '../../lib/constructs/authorizer/authorizer-settings';
import { awsError, cli, createArgs, dynamoMock, FakeParameterStore, FakeTokenTable, mockAws, NOW, TOKEN_PATH, TOKEN_TABLE } from './cli-harness';

const HOUR = 3_600_000;

beforeEach(() => mockAws());

function recordOf(table: FakeTokenTable, id: string): TokenRecord {
  return parseTokenRecord(table.byId(id)!.record!.S!);
}

async function createToken(table: FakeTokenTable, ...extra: string[]) {
  const created = JSON.parse((await cli(createArgs('--json', ...extra))).stdout) as { token: string; id: string };
  return { ...created, record: recordOf(table, created.id) };
}

test('SEC-3: tokens rotate issues a successor with the same identity and sets the old expiry to now + 24h by default', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  const old = await createToken(table);
  const later = new Date(NOW.getTime() + 80 * 24 * HOUR);
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id], { now: later });
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  const token = run.stdout.trim();
  expect(run.stdout).toBe(`${token}\n`);
  expect(token).not.toBe(old.token);
  expect(run.stderr).not.toContain(token);
  const successor = [...table.items.values()].map((i) => parseTokenRecord(i.record!.S!)).find((r) => r.id !== old.id)!;
  expect(successor).toMatchObject({
    digest: tokenDigest(token),
    agentId: old.record.agentId,
    agentType: old.record.agentType,
    role: old.record.role,
    scopes: old.record.scopes,
    createdAt: later.toISOString(),
    expiresAt: new Date(later.getTime() + 90 * 24 * HOUR).toISOString(),
  });
  expect(recordOf(table, old.id)).toEqual({ ...old.record, expiresAt: new Date(later.getTime() + 24 * HOUR).toISOString() });
  expect(run.stderr).toMatch(new RegExp(`${old.id} now expires at .*; both tokens work until then, only ${successor.id} after`));
});

test('SEC-3: tokens rotate shortens the old record only while it is unchanged and not revoked (a conditional write)', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  const old = await createToken(table);
  // WHEN
  await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id, '--overlap', '1h']);
  // THEN
  const put = dynamoMock.commandCalls(PutItemCommand).map((c) => c.args[0].input);
  expect(put.every((p) => p.ConditionExpression === 'attribute_not_exists(#d)')).toBe(true);
  const update = dynamoMock.commandCalls(UpdateItemCommand)[0]!.args[0].input;
  expect(update.ConditionExpression).toBe('attribute_exists(#d) AND attribute_not_exists(#v) AND #r = :current');
  expect(update.Key).toEqual({ digest: { S: old.record.digest } });
});

test('SEC-3: tokens rotate never extends the old token beyond its own expiry', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  const old = await createToken(table, '--expires', '2h');
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id, '--overlap', '7d']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(recordOf(table, old.id).expiresAt).toBe(old.record.expiresAt);
});

test('tokens rotate --json gives the new token, its fields and the old token\'s new expiry', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  const old = await createToken(table);
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id, '--overlap', '48h', '--json']);
  // THEN
  const out = JSON.parse(run.stdout);
  expect(out).toMatchObject({ token: expect.stringMatching(/^mcp_/), agentId: 'billing-bot', replaces: old.id, replacedExpiresAt: new Date(NOW.getTime() + 48 * HOUR).toISOString() });
  expect(run.stdout).not.toContain('sha256:');
});

test('fails: tokens rotate of an unknown id exits NOT_FOUND and writes nothing', async () => {
  // GIVEN
  new FakeTokenTable().install();
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', 'tok_zzzzzzzzzzzzzzzzzzzzzzzzzz']);
  // THEN
  expect(run.code).toBe(ExitCode.NOT_FOUND);
  expect(run.stderr).toMatch(new RegExp(String.raw`no token 'tok_z+' in table ${TOKEN_TABLE} .*tokens migrate`));
  expect(dynamoMock.commandCalls(PutItemCommand)).toHaveLength(0);
});

test('fails: tokens rotate of an expired token exits USAGE and points to tokens create', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  const old = await createToken(table, '--expires', '1h');
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id], { now: new Date(NOW.getTime() + 2 * HOUR) });
  // THEN
  expect(run.code).toBe(ExitCode.USAGE);
  expect(run.stderr).toMatch(/expired at .*issue a new one with tokens create/);
});

test('fails: tokens rotate of a revoked token exits USAGE and issues nothing', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  new FakeParameterStore().install();
  const old = await createToken(table);
  await cli(['tokens', 'revoke', '--stage', 'dev', '--id', old.id]);
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id]);
  // THEN
  expect(run.code).toBe(ExitCode.USAGE);
  expect(run.stdout).toBe('');
  expect(table.items.size).toBe(1);
});

test('fails: when shortening the old record fails, the successor is revoked and never printed', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  const old = await createToken(table);
  const update = dynamoMock.commandCalls(UpdateItemCommand).length;
  dynamoMock.on(UpdateItemCommand, { ConditionExpression: 'attribute_exists(#d) AND attribute_not_exists(#v) AND #r = :current' }).rejects(awsError('ThrottlingException', 'Rate exceeded'));
  // WHEN
  const run = await cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id]);
  // THEN
  expect(update).toBe(0);
  expect(run.code).toBe(ExitCode.THROTTLED);
  expect(run.stdout).toBe('');
  const successor = [...table.items.values()].find((i) => i.id!.S !== old.id)!;
  expect(successor.revokedAt).toEqual({ S: NOW.toISOString() });
  expect(table.byId(old.id)!.revokedAt).toBeUndefined();
});

/**
 * Issue 15, point 5: the real `tokens rotate` and `tokens revoke`, run at the same time on one token,
 * every DynamoDB call of either released in an order fast-check chooses. Whatever the order, the old
 * token ends revoked and refused by the authorizer, and a successor works only when rotate reported
 * success (so it was printed).
 */
test('SEC-3: a revocation always sticks, however tokens rotate and tokens revoke interleave', async () => {
  const table = new FakeTokenTable().install();
  new FakeParameterStore().install();
  const settings = validateAuthorizerSettings(authorizerSettingsFromConfig(loadConfig(), { tokenPath: TOKEN_PATH }));
  const outcomes = new Set<number>();
  await fc.assert(fc.asyncProperty(fc.scheduler(), async (s) => {
    table.items.clear();
    table.updates.length = 0;
    table.gate = undefined;
    const old = await createToken(table);
    table.gate = (command) => s.schedule(Promise.resolve(command), command).then(() => undefined);
    const both = Promise.all([
      cli(['tokens', 'rotate', '--stage', 'dev', '--id', old.id, '--overlap', '24h', '--json']),
      cli(['tokens', 'revoke', '--stage', 'dev', '--id', old.id]),
    ]);
    const [rotate, revoke] = await s.waitFor(both);
    table.gate = undefined;
    outcomes.add(rotate.code);

    expect(revoke.code).toBe(ExitCode.OK);
    expect(table.byId(old.id)!.revokedAt).toBeDefined();
    const authorizer = createAuthorizer({
      settings,
      tokenLookup: new DynamoDbTokenLookup({ client: new DynamoDBClient({ region: 'eu-west-1' }), tableName: TOKEN_TABLE }),
      auditLog: new MemoryAuditLog(),
      now: () => NOW.getTime(),
    });
    const decide = (token: string) => authorizer.decide({
      methodArn: 'arn:aws:execute-api:eu-west-1:111111111111:abcdef1234/prod/POST/mcp', headers: { authorization: `Bearer ${token}` },
    });
    expect(await decide(old.token)).toEqual({ kind: 'unauthorized', reason: 'token_revoked' });
    const live = [...table.items.values()].filter((i) => i.revokedAt === undefined);
    if (rotate.code === ExitCode.OK) {
      const successor = JSON.parse(rotate.stdout) as { token: string; id: string };
      expect(live.map((i) => i.id!.S)).toEqual([successor.id]);
      expect(await decide(successor.token)).toMatchObject({ kind: 'policy', allowed: true });
      // rotate may succeed only when it shortened the old record before the revocation landed
      const order = table.updates.filter((u) => u.startsWith(old.record.digest));
      expect(order).toEqual([`${old.record.digest} SET #r = :next, #t = :ttl`, `${old.record.digest} SET #v = :at`]);
    } else {
      expect(rotate.stdout).toBe('');
      expect(live).toEqual([]);
    }
  }), { numRuns: 60 });
  // both races were explored: rotate first (success), revoke first or in between (refused)
  expect([...outcomes].sort()).toEqual([ExitCode.OK, ExitCode.NOT_FOUND, ExitCode.USAGE].sort());
});
