import { TokenIndex, verifyOpaqueToken } from '../../../lambda/authorizer/opaque-token';
import { issueToken, NOW } from './fixtures';

// The module object the code under test calls into (a namespace import would be a frozen copy).
const nodeCrypto: typeof import('node:crypto') = require('node:crypto');

test('AUTH-3: a token verifies against its record by digest', () => {
  // GIVEN
  const { token, record } = issueToken({ role: 'reader' });
  const other = issueToken();
  // WHEN
  const verified = verifyOpaqueToken(token, [other.record, record], new Date(NOW));
  // THEN
  expect(verified).toEqual({ ok: true, record });
});

test('AUTH-3: only the digest is stored: the record holds no part of the token', () => {
  const { token, record } = issueToken();
  const secret = token.slice('mcp_'.length);
  expect(JSON.stringify(record)).not.toContain(secret.slice(0, 12));
  expect(record.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
});

test('AUTH-3: opaque tokens are compared in constant time (timingSafeEqual on the digest)', () => {
  // GIVEN
  const { token, record } = issueToken();
  const spy = jest.spyOn(nodeCrypto, 'timingSafeEqual');
  // WHEN
  const verified = TokenIndex.of([record]).verify(token, NOW);
  // THEN
  expect(verified.ok).toBe(true);
  expect(spy).toHaveBeenCalledTimes(1);
  const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
  expect(a.length).toBe(32);
  expect(b.length).toBe(32);
  spy.mockRestore();
});

test.each([
  ['an unknown token', (t: string) => `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`, 'token_unknown'],
  ['a token with one more character', (t: string) => `${t}x`, 'token_unknown'],
  ['the digest itself presented as a token', (_t: string, d: string) => d, 'token_unknown'],
  ['the token in another case', (t: string) => t.toUpperCase(), 'token_unknown'],
])('AUTH-3: %s is refused (401)', (_case, mutate, reason) => {
  // GIVEN
  const { token, record } = issueToken();
  // WHEN
  const verified = verifyOpaqueToken(mutate(token, record.digest), [record], new Date(NOW));
  // THEN
  expect(verified).toEqual({ ok: false, reason });
});

test('AUTH-4: an expired token is refused, naming its id but not its value', () => {
  // GIVEN
  const { token, record } = issueToken({ createdAt: '2026-01-01T00:00:00Z', expiresAt: '2026-11-30T23:59:59Z' });
  // WHEN
  const verified = verifyOpaqueToken(token, [record], new Date(NOW));
  // THEN
  expect(verified).toEqual({ ok: false, reason: 'token_expired', tokenId: record.id });
});

test('AUTH-4: a token expiring exactly now is refused', () => {
  const { token, record } = issueToken({ expiresAt: new Date(NOW).toISOString() });
  expect(verifyOpaqueToken(token, [record], new Date(NOW))).toMatchObject({ ok: false, reason: 'token_expired' });
});

test('AUTH-3: two records sharing a digest are both left out and reported', () => {
  // GIVEN
  const { token, record } = issueToken();
  const twin = { ...record, id: 'tok_aaaaaaaaaaaaaaaaaaaaaaaaaa', role: 'admin' };
  // WHEN
  const index = TokenIndex.of([record, twin]);
  // THEN
  expect(index.verify(token, NOW)).toEqual({ ok: false, reason: 'token_unknown' });
  expect([...index.conflicts].sort()).toEqual([record.id, twin.id].sort());
  expect(index.size).toBe(0);
});
