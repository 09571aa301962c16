import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { tokenItem } from '../../lambda/authorizer/token-item';
import { type TokenRecord, tokenDigest } from '../../lambda/authorizer/token-record';
import { ExitCode } from '../../lib/cli/errors';
import { awsError, cli, dynamoMock, FakeTokenTable, mockAws, NOW, TOKEN_TABLE } from './cli-harness';

function record(id: string, createdAt: string, expiresAt: string, extra: Partial<TokenRecord> = {}): TokenRecord {
  return {
    v: 1, id, digest: tokenDigest(`mcp_${id}`), agentId: `agent-${id.slice(-2)}`, agentType: 'bot', role: 'agent', scopes: [], createdAt, expiresAt, ...extra,
  };
}

const FRESH = record('tok_aaaaaaaaaaaaaaaaaaaaaaaaaa', '2026-02-20T12:00:00.000Z', '2026-05-20T12:00:00.000Z', { scopes: ['docs:read'] });
const SOON = record('tok_bbbbbbbbbbbbbbbbbbbbbbbbbb', '2025-12-10T12:00:00.000Z', '2026-03-10T12:00:00.000Z');
const OLD = record('tok_cccccccccccccccccccccccccc', '2025-11-01T12:00:00.000Z', '2026-06-01T12:00:00.000Z');
const EXPIRED = record('tok_dddddddddddddddddddddddddd', '2025-12-01T12:00:00.000Z', '2026-02-28T12:00:00.000Z');

function seed(table: FakeTokenTable, ...records: TokenRecord[]): void {
  for (const r of records) table.items.set(r.digest, tokenItem(r));
}

beforeEach(() => mockAws());

test('SEC-3: tokens list shows id, agent, role, scopes, dates and days left, and flags tokens expiring within 14 days or older than 90 days', async () => {
  // GIVEN
  const store = new FakeTokenTable().install();
  seed(store, FRESH, SOON, OLD, EXPIRED);
  // WHEN
  const run = await cli(['tokens', 'list', '--stage', 'dev']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  const lines = run.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^ID\s+AGENT\s+TYPE\s+ROLE\s+SCOPES\s+CREATED\s+EXPIRES\s+DAYS LEFT\s+FLAGS$/);
  expect(lines.slice(1).map((l) => l.split(/\s+/))).toEqual([
    [EXPIRED.id, 'agent-dd', 'bot', 'agent', '-', '2025-12-01', '2026-02-28', '-1', 'expired'],
    [SOON.id, 'agent-bb', 'bot', 'agent', '-', '2025-12-10', '2026-03-10', '9', 'expires-soon'],
    [FRESH.id, 'agent-aa', 'bot', 'agent', 'docs:read', '2026-02-20', '2026-05-20', '80', '-'],
    [OLD.id, 'agent-cc', 'bot', 'agent', '-', '2025-11-01', '2026-06-01', '92', 'rotate'],
  ]);
  expect(run.stderr).toMatch(new RegExp(String.raw`4 token\(s\) in ${TOKEN_TABLE}; 3 need attention`));
});

test('AUTH-3: tokens list never prints digests unless --show-digests is given', async () => {
  // GIVEN
  const store = new FakeTokenTable().install();
  seed(store, FRESH);
  // WHEN
  const plain = await cli(['tokens', 'list', '--stage', 'dev']);
  const json = await cli(['tokens', 'list', '--stage', 'dev', '--json']);
  const shown = await cli(['tokens', 'list', '--stage', 'dev', '--show-digests']);
  // THEN
  expect(plain.stdout + plain.stderr + json.stdout).not.toContain('sha256:');
  expect(shown.stdout).toContain(FRESH.digest);
});

test('tokens list --json gives each token with days left and flags', async () => {
  // GIVEN
  const store = new FakeTokenTable().install();
  seed(store, SOON);
  // WHEN
  const run = await cli(['tokens', 'list', '--stage', 'dev', '--json']);
  // THEN
  expect(JSON.parse(run.stdout)).toEqual({
    stage: 'dev',
    table: TOKEN_TABLE,
    tokens: [{ id: SOON.id, agentId: 'agent-bb', agentType: 'bot', role: 'agent', scopes: [], createdAt: SOON.createdAt, expiresAt: SOON.expiresAt, daysLeft: 9, flags: ['expires-soon'] }],
    unreadable: [],
  });
});

test('tokens list reads every page of the table', async () => {
  // GIVEN: the fake table answers two items a page
  const store = new FakeTokenTable().install();
  const many = Array.from({ length: 23 }, (_, i) => record(`tok_${'a'.repeat(24)}${'abcdefghijklmnopqrstuvwxyz'[i]}a`, '2026-02-20T12:00:00.000Z', '2026-05-20T12:00:00.000Z'));
  seed(store, ...many);
  // WHEN
  const run = await cli(['tokens', 'list', '--stage', 'dev', '--json']);
  // THEN
  expect(JSON.parse(run.stdout).tokens).toHaveLength(23);
  expect(dynamoMock.commandCalls(ScanCommand)).toHaveLength(12);
});

test('SEC-3: tokens list flags revoked tokens, which need no attention', async () => {
  // GIVEN
  const store = new FakeTokenTable().install();
  seed(store, FRESH);
  store.items.get(FRESH.digest)!.revokedAt = { S: '2026-02-28T00:00:00.000Z' };
  // WHEN
  const run = await cli(['tokens', 'list', '--stage', 'dev', '--json']);
  // THEN
  expect(JSON.parse(run.stdout).tokens[0]).toMatchObject({ id: FRESH.id, flags: ['revoked'] });
  expect(run.stderr).toMatch(new RegExp(String.raw`^1 token\(s\) in ${TOKEN_TABLE}\n$`));
});

test('tokens list warns about items that are not valid token records, without printing their values', async () => {
  // GIVEN
  const store = new FakeTokenTable().install();
  seed(store, FRESH);
  store.items.set('sha256:x', { digest: { S: 'sha256:x' }, id: { S: 'tok_eeeeeeeeeeeeeeeeeeeeeeeeee' }, record: { S: 'not-json-secret' } });
  // WHEN
  const run = await cli(['tokens', 'list', '--stage', 'dev']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(run.stderr).toMatch(new RegExp(String.raw`warning: ${TOKEN_TABLE} item tok_e+ is not a valid token record \(token record is not JSON\); revoke it`));
  expect(run.stderr).not.toContain('not-json-secret');
  expect(run.stdout.trimEnd().split('\n')).toHaveLength(2);
});

test('fails: tokens list without permission exits ACCESS_DENIED', async () => {
  // GIVEN
  dynamoMock.on(ScanCommand).rejects(awsError('AccessDeniedException', 'User: arn:aws:iam::111111111111:user/x is not authorized to perform: dynamodb:Scan'));
  // WHEN
  const run = await cli(['tokens', 'list', '--stage', 'dev']);
  // THEN
  expect(run.code).toBe(ExitCode.ACCESS_DENIED);
  expect(run.stderr).toMatch(new RegExp(String.raw`listing tokens in table ${TOKEN_TABLE}: access denied \(AccessDeniedException: .*dynamodb:Scan\)`));
});

test('fails: tokens list with a malformed --token-table exits USAGE', async () => {
  // WHEN
  const run = await cli(['tokens', 'list', '--stage', 'dev', '--token-table', 'tokens/']);
  // THEN
  expect(run.code).toBe(ExitCode.USAGE);
  expect(run.stderr).toMatch(/--token-table must be a DynamoDB table name: .*got 'tokens\/'/);
});

test('tokens list at a fixed clock counts days left from now', async () => {
  // GIVEN
  const store = new FakeTokenTable().install();
  seed(store, FRESH);
  // WHEN
  const later = await cli(['tokens', 'list', '--stage', 'dev', '--json'], { now: new Date(NOW.getTime() + 70 * 86_400_000) });
  // THEN
  expect(JSON.parse(later.stdout).tokens[0]).toMatchObject({ daysLeft: 10, flags: ['expires-soon'] });
});
