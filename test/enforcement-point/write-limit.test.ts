import { WriteLimit } from '../../enforcement-point/src/write-limit';

test('EDGE-2: at most perMinute writes per agent in any 60 s, each agent on its own, with the seconds until one frees', () => {
  let now = 0;
  const limit = new WriteLimit(3, () => now);
  expect([1, 2, 3].map(() => limit.take('a').ok)).toEqual([true, true, true]);
  now = 10_000;
  expect(limit.take('a')).toEqual({ ok: false, retryAfterSeconds: 50 });
  expect(limit.take('b').ok).toBe(true);
  now = 60_000;
  expect(limit.take('a').ok).toBe(true);
  expect(limit.take('a', 3)).toEqual({ ok: false, retryAfterSeconds: 60 });
});

test('EDGE-2: a full table of agents refuses a new agent (bounded memory, fail closed) until windows expire', () => {
  let now = 0;
  const limit = new WriteLimit(5, () => now, 2);
  expect(limit.take('a').ok).toBe(true);
  expect(limit.take('b').ok).toBe(true);
  expect(limit.take('c').ok).toBe(false);
  now = 61_000;
  expect(limit.take('c').ok).toBe(true);
});

test('fails on a limit that is not a positive integer', () => {
  expect(() => new WriteLimit(0)).toThrow(/perMinute must be a positive integer, got 0/);
});
