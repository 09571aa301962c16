import fc from 'fast-check';
import { formatDuration, parseDuration } from '../../lib/cli/duration';
import { CliError, ExitCode } from '../../lib/cli/errors';

test.each([
  ['90d', 7_776_000],
  ['24h', 86_400],
  ['30m', 1_800],
  ['45s', 45],
  ['1d12h', 129_600],
  ['1H30M', 5_400],
])('parseDuration reads %s as %i seconds', (text, seconds) => {
  // WHEN / THEN
  expect(parseDuration('--ttl', text, { maxSeconds: 100 * 86_400 })).toBe(seconds);
});

test.each(['', '90', 'd', '1.5h', '-1h', '1w', '1h 30m', '90 days'])('fails: parseDuration refuses %j with BAD_DURATION naming the flag and the value', (text) => {
  // WHEN
  const parse = () => parseDuration('--expires', text, { maxSeconds: 86_400 });
  // THEN
  expect(parse).toThrow(CliError);
  expect(parse).toThrow(`--expires must be a duration like 90d, 24h, 30m, 45s or 1d12h, got '${text}'`);
  try {
    parse();
  } catch (e) {
    expect((e as CliError).exitCode).toBe(ExitCode.BAD_DURATION);
  }
});

test('fails: parseDuration refuses values outside the bounds, naming the range', () => {
  // WHEN / THEN
  expect(() => parseDuration('--ttl', '25h', { minSeconds: 60, maxSeconds: 86_400 })).toThrow("--ttl must be from 1m to 1d, got '25h'");
  expect(() => parseDuration('--ttl', '59s', { minSeconds: 60, maxSeconds: 86_400 })).toThrow("--ttl must be from 1m to 1d, got '59s'");
  expect(() => parseDuration('--ttl', '0s', { maxSeconds: 10 })).toThrow("--ttl must be from 1s to 10s, got '0s'");
  expect(() => parseDuration('--ttl', `${'9'.repeat(30)}d`, { maxSeconds: 10 })).toThrow(/must be from/);
});

test('formatDuration and parseDuration round-trip every whole number of seconds', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 400 * 86_400 }), (seconds) => {
    expect(parseDuration('--x', formatDuration(seconds), { maxSeconds: 400 * 86_400 })).toBe(seconds);
  }));
});
