import { AuthorizerCache } from '../../lib/local/authorizer-cache';
import type { AuthorizerResult } from '../../lib/local/policy-evaluation';

const result: AuthorizerResult = { principalId: 'agent-1', statements: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }], context: {} };

test('SEC-3: a cached answer is reused until the TTL passes, then the authorizer is asked again', () => {
  // GIVEN a 60-second cache and a controllable clock
  let now = 1_000_000;
  const cache = new AuthorizerCache(60, () => now);
  cache.put(['Bearer a'], result);
  // WHEN / THEN
  now += 59_999;
  expect(cache.get(['Bearer a'])).toBe(result);
  now += 1;
  expect(cache.get(['Bearer a'])).toBeUndefined();
});

test('the cache key is the identity-source values: another credential never gets a cached answer', () => {
  // GIVEN
  const cache = new AuthorizerCache(300);
  cache.put(['Bearer a', ''], result);
  // WHEN / THEN
  expect(cache.get(['Bearer b', ''])).toBeUndefined();
  expect(cache.get(['Bearer a'])).toBeUndefined();
  expect(cache.get(['Bearer a', ''])).toBe(result);
});

test('a TTL of 0 turns the cache off', () => {
  // GIVEN
  const cache = new AuthorizerCache(0);
  // WHEN
  cache.put(['Bearer a'], result);
  // THEN
  expect(cache.enabled).toBe(false);
  expect(cache.get(['Bearer a'])).toBeUndefined();
});

test('fails a TTL outside API Gateway range, naming the value', () => {
  expect(() => new AuthorizerCache(3601)).toThrow(/from 0 to 3600 .*got 3601/);
  expect(() => new AuthorizerCache(-1)).toThrow(/got -1/);
});
