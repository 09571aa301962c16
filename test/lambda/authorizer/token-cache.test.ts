import * as fc from 'fast-check';
import { TokenCache } from '../../../lambda/authorizer/token-cache';
import type { StoredToken, TokenLookup } from '../../../lambda/authorizer/token-lookup';
import { newToken, type TokenRecord } from '../../../lambda/authorizer/token-record';
import { issueToken, NOW } from './fixtures';

/** A store whose answers and failures a test controls, counting calls. */
class FakeLookup implements TokenLookup {
  readonly records = new Map<string, StoredToken>();
  calls = 0;
  failing: Error | undefined;
  pending: (() => void)[] = [];
  hold = false;

  put(record: TokenRecord, revokedAt?: string): void {
    this.records.set(record.digest, revokedAt ? { record, revokedAt } : { record });
  }

  async lookup(digest: string): Promise<StoredToken | undefined> {
    this.calls++;
    if (this.hold) await new Promise<void>((resolve) => this.pending.push(resolve));
    if (this.failing) throw this.failing;
    return this.records.get(digest);
  }
}

function cacheWith(lookup: TokenLookup, clock: { t: number }, extra: Partial<ConstructorParameters<typeof TokenCache>[0]> = {}) {
  const errors: unknown[] = [];
  const cache = new TokenCache({ lookup, tokenPrefix: 'mcp_', refreshMs: 60_000, maxStaleMs: 900_000, monotonicNow: () => clock.t, onError: (e) => errors.push(e), ...extra });
  return { cache, errors };
}

test('AUTH-3: a token is looked up once on first sight and then answered from the cache until refreshSeconds', async () => {
  // GIVEN
  const store = new FakeLookup();
  const { token, record } = issueToken();
  store.put(record);
  const clock = { t: 0 };
  const { cache } = cacheWith(store, clock);
  // WHEN
  const first = await cache.verify(token, NOW);
  clock.t = 30_000;
  const cached = await cache.verify(token, NOW);
  // THEN
  expect(first).toEqual({ ok: true, record });
  expect(cached).toEqual({ ok: true, record });
  expect(store.calls).toBe(1);
});

test('SEC-3: a revocation is seen within refreshSeconds of monotonic time, even when the wall clock steps backwards', async () => {
  // GIVEN
  const store = new FakeLookup();
  const { token, record } = issueToken();
  store.put(record);
  const clock = { t: 1_000_000 };
  const { cache } = cacheWith(store, clock);
  expect(await cache.verify(token, NOW)).toMatchObject({ ok: true });
  // WHEN: revoked; the wall clock steps back an hour while 60 s pass on the monotonic clock
  store.put(record, '2026-12-01T00:00:10Z');
  clock.t += 60_000;
  const after = await cache.verify(token, NOW - 3_600_000);
  // THEN
  expect(after).toEqual({ ok: false, reason: 'token_revoked', tokenId: record.id });
});

test('SEC-3: an injected clock that steps backwards makes a cached answer stale, never younger', async () => {
  // GIVEN
  const store = new FakeLookup();
  const { token, record } = issueToken();
  store.put(record);
  const clock = { t: 1_000_000 };
  const { cache } = cacheWith(store, clock);
  await cache.verify(token, NOW);
  store.put(record, '2026-12-01T00:00:10Z');
  // WHEN: the monotonic clock itself goes back (a broken clock)
  clock.t -= 5_000;
  // THEN: the answer is treated as too old and re-read
  expect(await cache.verify(token, NOW)).toMatchObject({ ok: false, reason: 'token_revoked' });
  expect(store.calls).toBe(2);
});

test('SEC-3: during a store outage a token seen valid within maxStaleSeconds keeps working; others are refused; errors are reported', async () => {
  // GIVEN
  const store = new FakeLookup();
  const seen = issueToken();
  const unseen = issueToken();
  store.put(seen.record);
  store.put(unseen.record);
  const clock = { t: 0 };
  const { cache, errors } = cacheWith(store, clock);
  await cache.verify(seen.token, NOW);
  store.failing = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
  // WHEN
  clock.t = 61_000;
  const stale = await cache.verify(seen.token, NOW);
  const fresh = await cache.verify(unseen.token, NOW);
  clock.t = 900_001;
  const tooStale = await cache.verify(seen.token, NOW);
  // THEN
  expect(stale).toMatchObject({ ok: true });
  expect(fresh).toEqual({ ok: false, reason: 'tokens_unavailable' });
  expect(tooStale).toEqual({ ok: false, reason: 'tokens_unavailable' });
  expect(errors.map((e) => (e as Error).name)).toContain('ThrottlingException');
});

test('SEC-3: a stale answer never serves beyond maxStaleSeconds, whatever the clock steps (property)', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: -2_000_000, max: 2_000_000 }), { minLength: 1, maxLength: 8 }), async (steps) => {
    const store = new FakeLookup();
    const { token, record } = issueToken();
    store.put(record);
    const clock = { t: 10_000_000 };
    const { cache } = cacheWith(store, clock);
    await cache.verify(token, NOW);
    store.failing = new Error('down');
    let t = clock.t;
    for (const step of steps) {
      t += step;
      clock.t = t;
      const answer = await cache.verify(token, NOW);
      const age = t - 10_000_000;
      if (answer.ok) expect(age >= 0 && age <= 900_000).toBe(true);
    }
  }));
});

test('EDGE-7: garbage costs no store call when malformed, and one call per distinct well-formed token, then the negative cache answers', async () => {
  // GIVEN
  const store = new FakeLookup();
  const clock = { t: 0 };
  const { cache } = cacheWith(store, clock);
  // WHEN
  const malformed = await cache.verify('mcp_not base64url!!', NOW);
  const garbage = newToken('mcp_');
  const a = await cache.verify(garbage, NOW);
  const b = await cache.verify(garbage, NOW);
  // THEN
  expect(malformed).toEqual({ ok: false, reason: 'token_malformed' });
  expect(a).toEqual({ ok: false, reason: 'token_unknown' });
  expect(b).toEqual(a);
  expect(store.calls).toBe(1);
});

test('EDGE-7: first-sight lookups in flight are bounded, and a flood of them cannot evict or delay a valid token already seen', async () => {
  // GIVEN
  const store = new FakeLookup();
  const valid = issueToken();
  store.put(valid.record);
  const clock = { t: 0 };
  const { cache } = cacheWith(store, clock, { maxConcurrentLookups: 4, maxNegativeEntries: 10 });
  await cache.verify(valid.token, NOW);
  // WHEN: the store hangs and 50 garbage tokens arrive at once
  store.hold = true;
  const flood = Array.from({ length: 50 }, () => cache.verify(newToken('mcp_'), NOW));
  const during = await cache.verify(valid.token, NOW);
  store.hold = false;
  for (const release of store.pending) release();
  const answers = await Promise.all(flood);
  // THEN
  expect(during).toMatchObject({ ok: true });
  expect(store.calls).toBe(1 + 4);
  expect(answers.filter((a) => !a.ok && a.reason === 'tokens_unavailable')).toHaveLength(46);
  expect(cache.size).toEqual({ valid: 1, refused: 4 });
});

test('concurrent first sights of one token share one store call', async () => {
  const store = new FakeLookup();
  const { token, record } = issueToken();
  store.put(record);
  const { cache } = cacheWith(store, { t: 0 });
  const answers = await Promise.all(Array.from({ length: 10 }, () => cache.verify(token, NOW)));
  expect(answers.every((a) => a.ok)).toBe(true);
  expect(store.calls).toBe(1);
});

test('a store that does not answer within the timeout refuses that request only', async () => {
  const store = new FakeLookup();
  store.hold = true;
  const { cache, errors } = cacheWith(store, { t: 0 }, { timeoutMs: 20 });
  expect(await cache.verify(newToken('mcp_'), NOW)).toEqual({ ok: false, reason: 'tokens_unavailable' });
  expect(errors.map((e) => (e as Error).message)).toContain('token lookup did not answer within 20 ms');
  for (const release of store.pending) release();
});

test('AUTH-3: an expired record is refused with its id', async () => {
  const store = new FakeLookup();
  const { token, record } = issueToken({ expiresAt: '2026-11-30T00:00:00Z' });
  store.put(record);
  expect(await cacheWith(store, { t: 0 }).cache.verify(token, NOW)).toEqual({ ok: false, reason: 'token_expired', tokenId: record.id });
});
