import { Snapshot } from '../../../lambda/authorizer/snapshot';

function clock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

test('SEC-3: the first get() waits for the cold-start load', async () => {
  const c = clock();
  const s = new Snapshot({ load: async () => 'v1', refreshMs: 60_000, maxStaleMs: 900_000, now: c.now });
  expect(await s.get()).toBe('v1');
});

test('SEC-3: past the refresh period, get() waits for a fresh value (revocation within the period)', async () => {
  // GIVEN
  const c = clock();
  let value = 'v1';
  const s = new Snapshot({ load: async () => value, refreshMs: 60_000, maxStaleMs: 900_000, now: c.now });
  await s.get();
  // WHEN
  value = 'v2';
  c.t = 30_000;
  const before = await s.get();
  c.t = 60_000;
  const after = await s.get();
  // THEN
  expect(before).toBe('v1');
  expect(after).toBe('v2');
});

test('SEC-3: from 75% of the period a refresh starts in the background', async () => {
  const c = clock();
  let loads = 0;
  const s = new Snapshot({ load: async () => `v${++loads}`, refreshMs: 60_000, maxStaleMs: 900_000, now: c.now });
  await s.get();
  c.t = 46_000;
  expect(await s.get()).toBe('v1');
  await Promise.resolve();
  await new Promise((r) => setImmediate(r));
  expect(await s.get()).toBe('v2');
  expect(s.loadedAt).toBe(46_000);
});

test('SEC-3: on load errors the last good value serves up to the maximum staleness, then nothing does', async () => {
  // GIVEN
  const c = clock();
  let fail = false;
  const errors: unknown[] = [];
  const s = new Snapshot({
    load: async () => {
      if (fail) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return 'v1';
    },
    refreshMs: 60_000, maxStaleMs: 900_000, retryMs: 5000, now: c.now, onError: (e) => errors.push(e),
  });
  await s.get();
  fail = true;
  // WHEN / THEN
  c.t = 61_000;
  expect(await s.get()).toBe('v1');
  c.t = 900_000;
  expect(await s.get()).toBe('v1');
  c.t = 900_001;
  expect(await s.get()).toBeUndefined();
  expect(errors.length).toBeGreaterThanOrEqual(2);
});

test('SEC-3: with no snapshot at all, every get() answers undefined while loads fail', async () => {
  const s = new Snapshot<string>({ load: async () => { throw new Error('AccessDenied'); }, refreshMs: 60_000, maxStaleMs: 900_000 });
  expect(await s.get()).toBeUndefined();
  expect(await s.get()).toBeUndefined();
});

test('SEC-3: while failing, loads are retried at most every retryMs', async () => {
  const c = clock();
  let calls = 0;
  const s = new Snapshot<string>({ load: async () => { calls++; throw new Error('down'); }, refreshMs: 60_000, maxStaleMs: 900_000, retryMs: 5000, now: c.now });
  await s.get();
  c.t = 1000;
  await s.get();
  c.t = 4999;
  await s.get();
  c.t = 5000;
  await s.get();
  expect(calls).toBe(2);
});

test('SEC-3: a hanging load does not hang the request: it times out and is refused (or served stale)', async () => {
  // GIVEN
  const s = new Snapshot<string>({ load: () => new Promise<string>(() => undefined), refreshMs: 60_000, maxStaleMs: 900_000, timeoutMs: 30 });
  // WHEN
  const started = Date.now();
  const value = await s.get();
  // THEN
  expect(value).toBeUndefined();
  expect(Date.now() - started).toBeLessThan(1000);
});

test('SEC-3: a throwing error reporter changes nothing', async () => {
  const s = new Snapshot<string>({ load: async () => { throw new Error('down'); }, refreshMs: 60_000, maxStaleMs: 900_000, onError: () => { throw new Error('reporter'); } });
  await expect(s.get()).resolves.toBeUndefined();
});
