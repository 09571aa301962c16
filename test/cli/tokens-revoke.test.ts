import { DeleteParameterCommand } from '@aws-sdk/client-ssm';
import { ExitCode } from '../../lib/cli/errors';
import { awsError, cli, createArgs, FakeParameterStore, mockAws, ssmMock, TOKEN_PATH } from './cli-harness';

beforeEach(() => mockAws());

test('AUTH-4: tokens revoke deletes the record and says within how long the authorizer refuses the token', async () => {
  // GIVEN
  const store = new FakeParameterStore().install();
  const created = JSON.parse((await cli(createArgs('--json'))).stdout);
  // WHEN
  const run = await cli(['tokens', 'revoke', '--stage', 'dev', '--id', created.id]);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(store.value(created.id)).toBeUndefined();
  expect(ssmMock.commandCalls(DeleteParameterCommand)[0]!.args[0].input).toEqual({ Name: `${TOKEN_PATH}/${created.id}` });
  expect(run.stderr).toMatch(new RegExp(`revoked ${created.id}: .* refuses it within 120 s`));
});

test('tokens revoke --json reports the id and the revocation bound', async () => {
  // GIVEN
  new FakeParameterStore().install();
  const created = JSON.parse((await cli(createArgs('--json'))).stdout);
  // WHEN
  const run = await cli(['tokens', 'revoke', '--stage', 'dev', '--id', created.id, '--json']);
  // THEN
  expect(JSON.parse(run.stdout)).toEqual({ revoked: created.id, parameterName: `${TOKEN_PATH}/${created.id}`, refusedWithinSeconds: 120 });
});

test('fails: tokens revoke of an unknown id exits NOT_FOUND', async () => {
  // GIVEN
  new FakeParameterStore().install();
  // WHEN
  const run = await cli(['tokens', 'revoke', '--stage', 'dev', '--id', 'tok_zzzzzzzzzzzzzzzzzzzzzzzzzz']);
  // THEN
  expect(run.code).toBe(ExitCode.NOT_FOUND);
  expect(run.stderr).toMatch(/no token 'tok_z+' under \/mcp-perimeter\/dev\/tokens \(see tokens list\)/);
});

test('fails: tokens revoke with a malformed id exits USAGE without calling AWS', async () => {
  // WHEN
  const run = await cli(['tokens', 'revoke', '--stage', 'dev', '--id', '../other-stage/secret']);
  // THEN
  expect(run.code).toBe(ExitCode.USAGE);
  expect(run.stderr).toMatch(/--id must be a token id: tok_ followed by 26 base32 characters \(see tokens list\), got '\.\.\/other-stage\/secret'/);
  expect(ssmMock.calls()).toHaveLength(0);
});

test('fails: tokens revoke without permission exits ACCESS_DENIED', async () => {
  // GIVEN
  ssmMock.on(DeleteParameterCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: ssm:DeleteParameter'));
  // WHEN
  const run = await cli(['tokens', 'revoke', '--stage', 'dev', '--id', 'tok_zzzzzzzzzzzzzzzzzzzzzzzzzz']);
  // THEN
  expect(run.code).toBe(ExitCode.ACCESS_DENIED);
});
