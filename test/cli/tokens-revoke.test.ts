import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteParameterCommand } from '@aws-sdk/client-ssm';
import { serializeTokenRecord } from '../../lambda/authorizer/token-record';
import { ExitCode } from '../../lib/cli/errors';
import { awsError, cli, createArgs, dynamoMock, FakeParameterStore, FakeTokenTable, mockAws, NOW, ssmMock, TOKEN_PATH, TOKEN_TABLE } from './cli-harness';

beforeEach(() => mockAws());

test('AUTH-4: tokens revoke marks the record revoked (kept as a tombstone) and says within how long the authorizer refuses the token', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  new FakeParameterStore().install();
  const created = JSON.parse((await cli(createArgs('--json'))).stdout);
  // WHEN
  const run = await cli(['tokens', 'revoke', '--stage', 'dev', '--id', created.id]);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(table.byId(created.id)).toMatchObject({ revokedAt: { S: NOW.toISOString() }, record: { S: expect.any(String) } });
  expect(dynamoMock.commandCalls(UpdateItemCommand)[0]!.args[0].input.ConditionExpression).toBe('attribute_exists(#d) AND attribute_not_exists(#v)');
  expect(run.stderr).toMatch(new RegExp(`revoked ${created.id}: marked revoked in ${TOKEN_TABLE}; the authorizer refuses it within 120 s`));
});

test('tokens revoke also deletes a version-1 SSM record left from before the migration; --json reports both', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  const ssm = new FakeParameterStore().install();
  const created = JSON.parse((await cli(createArgs('--json'))).stdout);
  const record = JSON.parse(table.byId(created.id)!.record!.S!);
  ssm.parameters.set(`${TOKEN_PATH}/${created.id}`, { Name: `${TOKEN_PATH}/${created.id}`, Type: 'SecureString', Value: serializeTokenRecord(record) });
  // WHEN
  const run = await cli(['tokens', 'revoke', '--stage', 'dev', '--id', created.id, '--json']);
  // THEN
  expect(JSON.parse(run.stdout)).toEqual({ revoked: created.id, table: TOKEN_TABLE, alreadyRevoked: false, legacyRecordDeleted: true, refusedWithinSeconds: 120 });
  expect(ssm.value(created.id)).toBeUndefined();
});

test('tokens revoke of a revoked token succeeds and keeps the first revocation instant', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  new FakeParameterStore().install();
  const created = JSON.parse((await cli(createArgs('--json'))).stdout);
  await cli(['tokens', 'revoke', '--stage', 'dev', '--id', created.id]);
  // WHEN
  const again = await cli(['tokens', 'revoke', '--stage', 'dev', '--id', created.id], { now: new Date(NOW.getTime() + 60_000) });
  // THEN
  expect(again.code).toBe(ExitCode.OK);
  expect(again.stderr).toMatch(new RegExp(String.raw`already revoked in ${TOKEN_TABLE}`));
  expect(table.byId(created.id)!.revokedAt).toEqual({ S: NOW.toISOString() });
});

test('fails: tokens revoke of an unknown id exits NOT_FOUND', async () => {
  // GIVEN
  new FakeTokenTable().install();
  new FakeParameterStore().install();
  // WHEN
  const run = await cli(['tokens', 'revoke', '--stage', 'dev', '--id', 'tok_zzzzzzzzzzzzzzzzzzzzzzzzzz']);
  // THEN
  expect(run.code).toBe(ExitCode.NOT_FOUND);
  expect(run.stderr).toMatch(new RegExp(String.raw`no token 'tok_z+' in table ${TOKEN_TABLE} nor at \/mcp-perimeter\/dev\/tokens\/tok_z+ \(see tokens list\)`));
});

test('fails: tokens revoke with a malformed id exits USAGE without calling AWS', async () => {
  // WHEN
  const run = await cli(['tokens', 'revoke', '--stage', 'dev', '--id', '../other-stage/secret']);
  // THEN
  expect(run.code).toBe(ExitCode.USAGE);
  expect(run.stderr).toMatch(/--id must be a token id: tok_ followed by 26 base32 or 32 hex characters \(see tokens list\), got '\.\.\/other-stage\/secret'/);
  expect(ssmMock.calls()).toHaveLength(0);
  expect(dynamoMock.calls()).toHaveLength(0);
});

test('fails: tokens revoke without permission exits ACCESS_DENIED', async () => {
  // GIVEN
  new FakeTokenTable().install();
  ssmMock.on(DeleteParameterCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: ssm:DeleteParameter'));
  // WHEN
  const run = await cli(['tokens', 'revoke', '--stage', 'dev', '--id', 'tok_zzzzzzzzzzzzzzzzzzzzzzzzzz']);
  // THEN
  expect(run.code).toBe(ExitCode.ACCESS_DENIED);
});
