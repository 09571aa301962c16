import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { parseTokenRecord, TOKEN_ID_PATTERN, tokenDigest } from '../../lambda/authorizer/token-record';
import { ExitCode } from '../../lib/cli/errors';
import { awsError, cfnMock, cli, createArgs, defaultOutputs, dynamoMock, FakeTokenTable, mockAws, NOW, ssmMock, TOKEN_TABLE } from './cli-harness';

function configFile(config: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cli-config-')), 'config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

const PROD_CONFIG = {
  stage: 'prod',
  auth: { tokenPrefix: 'sct_', tokenMaxLifetimeDays: 30 },
  rbac: {
    permissions: ['read', 'write', 'admin', 'debug'],
    roles: { viewer: ['read'], user: ['read', 'write'] },
    scopes: { 'docs:read': ['read'], 'docs:write': ['write'] },
  },
};

beforeEach(() => mockAws());

test('AUTH-4: tokens create prints a 256-bit token once on stdout and stores only its digest in the token table, never overwriting', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  // WHEN
  const run = await cli(createArgs());
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  const token = run.stdout.trim();
  expect(run.stdout).toBe(`${token}\n`);
  expect(token).toMatch(/^mcp_[A-Za-z0-9_-]{43}$/);
  expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
  expect(run.stderr).not.toContain(token);
  const put = dynamoMock.commandCalls(PutItemCommand)[0]!.args[0].input;
  expect(put).toMatchObject({ TableName: TOKEN_TABLE, ConditionExpression: 'attribute_not_exists(#d)' });
  expect(JSON.stringify(put)).not.toContain(token.slice(4));
  const record = parseTokenRecord(put.Item!.record!.S!);
  expect(record).toMatchObject({
    v: 1,
    digest: tokenDigest(token),
    agentId: 'billing-bot',
    agentType: 'claude-code',
    role: 'agent',
    scopes: [],
    createdAt: NOW.toISOString(),
    expiresAt: '2026-05-30T12:00:00.000Z',
  });
  expect(put.Item).toMatchObject({ digest: { S: record.digest }, id: { S: record.id }, expiresAtEpoch: { N: String(Date.parse(record.expiresAt) / 1000 + 7 * 86400) } });
  expect(table.items.size).toBe(1);
});

test('AUTH-4: two tokens created in a row differ in token, id and digest', async () => {
  // GIVEN
  new FakeTokenTable().install();
  // WHEN
  const first = await cli(createArgs());
  const second = await cli(createArgs());
  // THEN
  expect(first.stdout).not.toBe(second.stdout);
  const [a, b] = dynamoMock.commandCalls(PutItemCommand).map((c) => parseTokenRecord(c.args[0].input.Item!.record!.S!));
  expect(a!.id).not.toBe(b!.id);
  expect(a!.digest).not.toBe(b!.digest);
});

test('tokens create reads the table name from the Keys stack output TokenTableName: one DescribeStacks call', async () => {
  // GIVEN
  new FakeTokenTable().install();
  // WHEN
  const run = await cli(createArgs());
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(cfnMock.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input)).toEqual([{ StackName: 'McpPerimeter-dev-Keys' }]);
  expect(dynamoMock.commandCalls(PutItemCommand)[0]!.args[0].input.TableName).toBe(TOKEN_TABLE);
});

test('tokens create exits NOT_FOUND (5), writing nothing, when the Keys stack is missing or has no TokenTableName', async () => {
  // GIVEN a stage that is not deployed
  new FakeTokenTable().install();
  const unknown = await cli(['tokens', 'create', '--stage', 'qa', '--agent-id', 'a', '--agent-type', 'b', '--role', 'agent']);
  // GIVEN a Keys stack without the output
  const { TokenTableName: _gone, ...older } = defaultOutputs();
  mockAws(older);
  new FakeTokenTable().install();
  const noOutput = await cli(createArgs());
  // THEN
  expect(unknown.code).toBe(ExitCode.NOT_FOUND);
  expect(unknown.stderr).toMatch(/unknown stage 'qa': stack McpPerimeter-qa-Keys is not deployed/);
  expect(noOutput.code).toBe(ExitCode.NOT_FOUND);
  expect(noOutput.stderr).toMatch(/stack McpPerimeter-dev-Keys has no output TokenTableName; pass --token-table instead/);
  expect(dynamoMock.commandCalls(PutItemCommand)).toHaveLength(0);
});

test('tokens create --token-table writes to that table without a CloudFormation call; a malformed name exits USAGE', async () => {
  // GIVEN
  new FakeTokenTable().install();
  // WHEN
  const other = await cli(createArgs('--token-table', 'custom-tokens'));
  const bad = await cli(createArgs('--token-table', 'no/slashes'));
  // THEN
  expect(other.code).toBe(ExitCode.NOT_FOUND);
  expect(dynamoMock.commandCalls(PutItemCommand)[0]!.args[0].input.TableName).toBe('custom-tokens');
  expect(other.stderr).toMatch(/no table custom-tokens: deploy the stage's Keys stack first, or pass the right --token-table/);
  expect(bad.code).toBe(ExitCode.USAGE);
  expect(cfnMock.calls()).toHaveLength(0);
});

test('tokens create --json prints the token and the record fields but never the digest', async () => {
  // GIVEN
  new FakeTokenTable().install();
  // WHEN
  const run = await cli(createArgs('--scopes', 'x', '--json', '--config', configFile({ rbac: { scopes: { x: ['read'] } } })));
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  const out = JSON.parse(run.stdout);
  expect(out).toEqual({
    token: expect.stringMatching(/^mcp_/),
    id: expect.stringMatching(TOKEN_ID_PATTERN),
    agentId: 'billing-bot',
    agentType: 'claude-code',
    role: 'agent',
    scopes: ['x'],
    createdAt: NOW.toISOString(),
    expiresAt: '2026-05-30T12:00:00.000Z',
    table: TOKEN_TABLE,
  });
  expect(run.stdout).not.toContain('sha256:');
});

test('tokens create uses the config\'s prefix, roles, scopes and maximum lifetime', async () => {
  // GIVEN
  new FakeTokenTable().install();
  const config = configFile(PROD_CONFIG);
  // WHEN
  const run = await cli(['tokens', 'create', '--stage', 'prod', '--config', config, '--agent-id', 'a1', '--agent-type', 'bot', '--role', 'user', '--scopes', 'docs:read,docs:write', '--token-table', TOKEN_TABLE]);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(run.stdout).toMatch(/^sct_/);
  const record = parseTokenRecord(dynamoMock.commandCalls(PutItemCommand)[0]!.args[0].input.Item!.record!.S!);
  expect(record.scopes).toEqual(['docs:read', 'docs:write']);
  expect(record.expiresAt).toBe('2026-03-31T12:00:00.000Z');
});

test('fails: tokens create with a role the stage does not define exits UNKNOWN_ROLE_OR_SCOPE and writes nothing', async () => {
  // GIVEN
  new FakeTokenTable().install();
  // WHEN
  const run = await cli(['tokens', 'create', '--stage', 'dev', '--agent-id', 'a', '--agent-type', 't', '--role', 'root']);
  // THEN
  expect(run.code).toBe(ExitCode.UNKNOWN_ROLE_OR_SCOPE);
  expect(run.stderr).toMatch(/--role 'root' is not a role of stage 'dev': use one of reader, agent, admin/);
  expect(run.stdout).toBe('');
  expect(ssmMock.calls()).toHaveLength(0);
});

test('fails: tokens create with an unknown scope exits UNKNOWN_ROLE_OR_SCOPE naming it and the allowed ones', async () => {
  // GIVEN
  const config = configFile({ rbac: { scopes: { 'docs:read': ['read'] } } });
  // WHEN
  const run = await cli(createArgs('--config', config, '--scopes', 'docs:read,admin:all'));
  // THEN
  expect(run.code).toBe(ExitCode.UNKNOWN_ROLE_OR_SCOPE);
  expect(run.stderr).toMatch(/--scopes has 'admin:all', not defined for stage 'dev': use some of docs:read/);
});

test('fails: tokens create with scopes on a stage without a scope vocabulary exits UNKNOWN_ROLE_OR_SCOPE', async () => {
  // WHEN
  const run = await cli(createArgs('--scopes', 'anything'));
  // THEN
  expect(run.code).toBe(ExitCode.UNKNOWN_ROLE_OR_SCOPE);
  expect(run.stderr).toMatch(/defines no scopes \(rbac\.scopes\)/);
});

test.each([
  ['91d', /--expires must be from 1h to 90d, got '91d'/],
  ['forever', /--expires must be a duration like 90d, 24h, 30m, 45s or 1d12h, got 'forever'/],
  ['10m', /--expires must be from 1h to 90d, got '10m'/],
])('fails: tokens create --expires %s exits BAD_DURATION', async (expires, message) => {
  // WHEN
  const run = await cli(createArgs('--expires', expires));
  // THEN
  expect(run.code).toBe(ExitCode.BAD_DURATION);
  expect(run.stderr).toMatch(message);
  expect(ssmMock.calls()).toHaveLength(0);
});

test('tokens create --expires 7d sets the expiry 7 days after creation', async () => {
  // GIVEN
  new FakeTokenTable().install();
  // WHEN
  await cli(createArgs('--expires', '7d'));
  // THEN
  expect(parseTokenRecord(dynamoMock.commandCalls(PutItemCommand)[0]!.args[0].input.Item!.record!.S!).expiresAt).toBe('2026-03-08T12:00:00.000Z');
});

test('fails: tokens create onto an existing record exits ALREADY_EXISTS, never overwrites and prints no token', async () => {
  // GIVEN
  dynamoMock.on(PutItemCommand).rejects(Object.assign(awsError('ConditionalCheckFailedException', 'The conditional request failed')));
  // WHEN
  const run = await cli(createArgs());
  // THEN
  expect(run.code).toBe(ExitCode.ALREADY_EXISTS);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(new RegExp(String.raw`writing token tok_[a-z2-7]{26}: a record with that digest already exists in ${TOKEN_TABLE}; nothing was overwritten`));
  expect(dynamoMock.commandCalls(PutItemCommand)[0]!.args[0].input.ConditionExpression).toBe('attribute_not_exists(#d)');
});

test('fails: tokens create for a stage without a Keys stack exits NOT_FOUND naming the stack', async () => {
  // GIVEN
  new FakeTokenTable().install();
  // WHEN
  const run = await cli(['tokens', 'create', '--stage', 'qa', '--agent-id', 'a', '--agent-type', 't', '--role', 'agent']);
  // THEN
  expect(run.code).toBe(ExitCode.NOT_FOUND);
  expect(run.stderr).toMatch(/unknown stage 'qa': stack McpPerimeter-qa-Keys is not deployed/);
  expect(dynamoMock.calls()).toHaveLength(0);
  expect(run.stdout).toBe('');
});

test('fails: tokens create with a config of another stage exits CONFIG', async () => {
  // WHEN
  const run = await cli(createArgs('--config', configFile(PROD_CONFIG)));
  // THEN
  expect(run.code).toBe(ExitCode.CONFIG);
  expect(run.stderr).toMatch(/--stage is 'dev' but .*config\.json is the config of stage 'prod'/);
});

test('fails: tokens create with an invalid config exits CONFIG naming the field', async () => {
  // WHEN
  const run = await cli(createArgs('--config', configFile({ auth: { tokenPrefix: 'BAD' } })));
  // THEN
  expect(run.code).toBe(ExitCode.CONFIG);
  expect(run.stderr).toMatch(/auth\.tokenPrefix: must be 2-8 lowercase letters and _ like mcp_, got "BAD"/);
});

test('fails: tokens create with an unknown preset exits CONFIG', async () => {
  // WHEN
  const run = await cli(createArgs('--preset', 'nope', '--offline'));
  // THEN
  expect(run.code).toBe(ExitCode.CONFIG);
  expect(run.stderr).toMatch(/unknown preset 'nope': must be one of docrunch, /);
});

test('fails: tokens create with a malformed agent id exits USAGE naming the flag and the value', async () => {
  // WHEN
  const run = await cli(['tokens', 'create', '--stage', 'dev', '--agent-id', 'bad id!', '--agent-type', 't', '--role', 'agent']);
  // THEN
  expect(run.code).toBe(ExitCode.USAGE);
  expect(run.stderr).toMatch(/--agent-id must be 1-128 characters of A-Z a-z 0-9 \. _ : @ -, got 'bad id!'/);
});

test('fails: tokens create without --agent-type exits USAGE', async () => {
  // WHEN
  const run = await cli(['tokens', 'create', '--stage', 'dev', '--agent-id', 'a', '--role', 'agent']);
  // THEN
  expect(run.code).toBe(ExitCode.USAGE);
  expect(run.stderr).toMatch(/--agent-type is required/);
});

test('tokens create --offline makes no AWS call and prints the token and the record JSON', async () => {
  // WHEN
  const run = await cli(createArgs('--offline'));
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(run.awsSettings).toBeUndefined();
  expect(ssmMock.calls()).toHaveLength(0);
  expect(cfnMock.calls()).toHaveLength(0);
  const [token, recordLine, rest] = run.stdout.split('\n');
  expect(rest).toBe('');
  const record = parseTokenRecord(recordLine!);
  expect(record.digest).toBe(tokenDigest(token!));
  expect(record.agentId).toBe('billing-bot');
  expect(run.stderr).toMatch(/offline: nothing was stored/);
});

test('tokens create --offline --json prints one object with the token and the record', async () => {
  // WHEN
  const run = await cli(createArgs('--offline', '--json'));
  // THEN
  const out = JSON.parse(run.stdout);
  expect(parseTokenRecord(JSON.stringify(out.record)).digest).toBe(tokenDigest(out.token));
});

test('tokens create passes --region and --profile to the AWS clients', async () => {
  // GIVEN
  new FakeTokenTable().install();
  // WHEN
  const run = await cli(createArgs('--region', 'eu-central-1', '--profile', 'ops'));
  // THEN
  expect(run.awsSettings).toEqual({ region: 'eu-central-1', profile: 'ops' });
});

test('tokens create --preset takes the roles, scopes and token prefix of a lib/config preset', async () => {
  // WHEN
  const run = await cli(['tokens', 'create', '--stage', 'prod', '--preset', 'docker-mcp', '--agent-id', 'a', '--agent-type', 't', '--role', 'client', '--scopes', 'read-only', '--offline']);
  const refused = await cli(['tokens', 'create', '--stage', 'prod', '--preset', 'docker-mcp', '--agent-id', 'a', '--agent-type', 't', '--role', 'agent', '--offline']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(parseTokenRecord(run.stdout.split('\n')[1]!)).toMatchObject({ role: 'client', scopes: ['read-only'] });
  expect(refused.code).toBe(ExitCode.UNKNOWN_ROLE_OR_SCOPE);
  expect(refused.stderr).toMatch(/--role 'agent' is not a role of stage 'prod': use one of client/);
});

test('tokens create --preset shared-context issues sct_ tokens (seed 001\'s prefix)', async () => {
  // WHEN
  const run = await cli(['tokens', 'create', '--stage', 'dev', '--preset', 'shared-context', '--agent-id', 'a', '--agent-type', 't', '--role', 'debugger', '--offline']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(run.stdout).toMatch(/^sct_[A-Za-z0-9_-]{43}\n/);
});
