import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTokenStore } from '../../lib/local/local-token-store';
import { parseTokenRecord, tokenDigest } from '../../lambda/authorizer/token-record';

const folder = () => join(mkdtempSync(join(tmpdir(), 'tokens-')), 'tokens');

test('AUTH-3: an issued token is returned once and only its digest is written', async () => {
  // GIVEN
  const store = new LocalTokenStore(folder());
  // WHEN
  const { token, record } = await store.issue({ agentId: 'dev', role: 'agent', prefix: 'mcp_' });
  // THEN the folder holds one record file, named after the id, without the token
  expect(readdirSync(store.directory)).toEqual([`${record.id}.json`]);
  const text = readFileSync(join(store.directory, `${record.id}.json`), 'utf8');
  expect(text).not.toContain(token);
  expect(parseTokenRecord(text).digest).toBe(tokenDigest(token));
  expect(statSync(join(store.directory, `${record.id}.json`)).mode & 0o777).toBe(0o600);
  expect(await store.source.load()).toEqual([record]);
});

test('AUTH-4: a local token is at least 32 characters with the prefix, and carries an expiry', async () => {
  // GIVEN
  const now = new Date('2030-01-01T00:00:00Z');
  const store = new LocalTokenStore(folder(), undefined, () => now);
  // WHEN
  const { token, record } = await store.issue({ agentId: 'dev', role: 'reader', prefix: 'mcp_', lifetimeHours: 2 });
  // THEN
  expect(token).toMatch(/^mcp_[A-Za-z0-9_-]{43}$/);
  expect(record.expiresAt).toBe('2030-01-01T02:00:00.000Z');
});

test('AUTH-4: a revoked token record is gone from the next load; expired records are removed at the next issue', async () => {
  // GIVEN two tokens, the first short-lived
  let now = new Date('2030-01-01T00:00:00Z');
  const store = new LocalTokenStore(folder(), undefined, () => now);
  const a = await store.issue({ agentId: 'a', role: 'agent', prefix: 'mcp_', lifetimeHours: 1 });
  const b = await store.issue({ agentId: 'b', role: 'agent', prefix: 'mcp_' });
  // WHEN b is revoked and a expires before a third issue
  expect(await store.revoke(b.record.id)).toBe(true);
  now = new Date('2030-01-01T01:00:00Z');
  const c = await store.issue({ agentId: 'c', role: 'agent', prefix: 'mcp_' });
  // THEN
  expect((await store.source.load()).map((r) => r.id)).toEqual([c.record.id]);
  expect(await store.revoke(a.record.id)).toBe(false);
});

test('a folder that does not exist yet holds no tokens', async () => {
  expect(await new LocalTokenStore(folder()).source.load()).toEqual([]);
});

test('a malformed record file is skipped and reported, never loaded', async () => {
  // GIVEN
  const problems: string[] = [];
  const store = new LocalTokenStore(folder(), (location, problem) => problems.push(`${location}: ${problem}`));
  const { record } = await store.issue({ agentId: 'dev', role: 'agent', prefix: 'mcp_' });
  writeFileSync(join(store.directory, 'tok_aaaaaaaaaaaaaaaaaaaaaaaaaa.json'), '{"v":1}');
  // WHEN
  const records = await store.source.load();
  // THEN
  expect(records).toEqual([record]);
  expect(problems).toHaveLength(1);
});

test('fails revoking a token id that is not well formed, naming the value', async () => {
  await expect(new LocalTokenStore(folder()).revoke('../etc/passwd')).rejects.toThrow(/tokenId must look like tok_ .* got '\.\.\/etc\/passwd'/);
});
