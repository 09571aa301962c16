import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { storedTokenOf } from '../../lambda/authorizer/token-item';
import { serializeTokenRecord, type TokenRecord, tokenDigest } from '../../lambda/authorizer/token-record';
import { ExitCode } from '../../lib/cli/errors';
import { cli, createArgs, dynamoMock, FakeParameterStore, FakeTokenTable, mockAws, TOKEN_PATH, TOKEN_TABLE } from './cli-harness';

function record(id: string, expiresAt = '2026-05-20T12:00:00.000Z'): TokenRecord {
  return { v: 1, id, digest: tokenDigest(`mcp_${id}`), agentId: 'a', agentType: 'bot', role: 'agent', scopes: [], createdAt: '2026-02-20T12:00:00.000Z', expiresAt };
}

function seed(ssm: FakeParameterStore, ...records: TokenRecord[]): void {
  for (const r of records) ssm.parameters.set(`${TOKEN_PATH}/${r.id}`, { Name: `${TOKEN_PATH}/${r.id}`, Type: 'SecureString', Value: serializeTokenRecord(r) });
}

beforeEach(() => mockAws());

const A = record('tok_aaaaaaaaaaaaaaaaaaaaaaaaaa');
const B = record('tok_0123456789abcdef0123456789abcdef');
const EXPIRED = record('tok_cccccccccccccccccccccccccc', '2026-02-28T12:00:00.000Z');

test('AUTH-3: tokens migrate copies every live version-1 SSM record into the table unchanged, never printing a digest', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  const ssm = new FakeParameterStore().install();
  seed(ssm, A, B, EXPIRED);
  // WHEN
  const run = await cli(['tokens', 'migrate', '--stage', 'dev']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect([...table.items.values()].map((i) => storedTokenOf(i).record).sort((x, y) => x.id.localeCompare(y.id))).toEqual([B, A]);
  expect(run.stderr).toMatch(new RegExp(String.raw`2 copied, 0 already in ${TOKEN_TABLE}, 1 expired \(not copied\), 0 unreadable, from \/mcp-perimeter\/dev\/tokens`));
  expect(run.stdout + run.stderr).not.toContain('sha256:');
  expect(ssm.parameters.size).toBe(3);
});

test('tokens migrate is idempotent, --dry-run writes nothing, and a token revoked in the table is never brought back', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  const ssm = new FakeParameterStore().install();
  seed(ssm, A, B);
  await cli(['tokens', 'migrate', '--stage', 'dev']);
  table.items.get(A.digest)!.revokedAt = { S: '2026-03-01T00:00:00.000Z' };
  const puts = dynamoMock.commandCalls(PutItemCommand).length;
  // WHEN
  const dry = await cli(['tokens', 'migrate', '--stage', 'dev', '--dry-run', '--json']);
  const again = await cli(['tokens', 'migrate', '--stage', 'dev']);
  // THEN
  expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, copied: [], present: [B.id, A.id].sort(), expired: [] });
  expect(dynamoMock.commandCalls(PutItemCommand).length).toBe(puts + 2);
  expect(again.stderr).toMatch(/0 copied, 2 already in/);
  expect(storedTokenOf(table.items.get(A.digest)!).revokedAt).toBe('2026-03-01T00:00:00.000Z');
});

test('tokens migrate --dry-run reports what it would copy', async () => {
  // GIVEN
  const table = new FakeTokenTable().install();
  seed(new FakeParameterStore().install(), A);
  // WHEN
  const run = await cli(['tokens', 'migrate', '--stage', 'dev', '--dry-run']);
  // THEN
  expect(run.stderr).toMatch(new RegExp(`would copy ${A.id}\\n`));
  expect(run.stderr).toMatch(/dry run: 1 would copy/);
  expect(table.items.size).toBe(0);
  expect(dynamoMock.commandCalls(PutItemCommand)).toHaveLength(0);
});

test('tokens migrate leaves tokens created in the table alone', async () => {
  const table = new FakeTokenTable().install();
  new FakeParameterStore().install();
  await cli(createArgs());
  const run = await cli(['tokens', 'migrate', '--stage', 'dev']);
  expect(run.code).toBe(ExitCode.OK);
  expect(table.items.size).toBe(1);
});
