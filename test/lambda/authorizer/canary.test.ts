/**
 * AUDIT-2 canary: runs the whole authorizer suite again with every audit event also going through the
 * real JSON-lines audit log, captures everything written to stdout, stderr and the console, and proves
 * that none of the tokens and JWTs the suite made (recorded by the fixtures) ever reaches the output.
 */
import { CREDENTIALS_MADE, OUTPUT_CAPTURED } from './fixtures';

(globalThis as { __AUDIT_CANARY__?: boolean }).__AUDIT_CANARY__ = true;

const captured: string[] = [];
const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const consoleOriginals = consoleMethods.map((m) => console[m]);

beforeAll(() => {
  process.stdout.write = ((chunk: string | Uint8Array) => (captured.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (captured.push(String(chunk)), true)) as typeof process.stderr.write;
  consoleMethods.forEach((m) => {
    console[m] = (...args: unknown[]) => captured.push(args.map(String).join(' '));
  });
});

// The suite, registered inside this file so that it runs with the canary on.
require('./credentials.test');
require('./settings.test');
require('./opaque-token.test');
require('./permissions.test');
require('./route-policy.test');
require('./jwt.test');
require('./snapshot.test');
require('./key-adapters.test');
require('./authorizer.test');
require('./handler.test');
require('./properties.test');
require('./file-token-source.test');

afterAll(() => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
  consoleMethods.forEach((m, i) => {
    console[m] = consoleOriginals[i];
  });
});

test('AUDIT-2: no token or JWT made by the suite ever reaches log output (canary)', () => {
  // GIVEN: everything the suite wrote
  const output = [...captured, ...OUTPUT_CAPTURED].join('\n');
  // THEN: the run did log decisions of both kinds, so the check is not vacuous
  expect(CREDENTIALS_MADE.length).toBeGreaterThan(50);
  expect(output).toMatch(/"message":"auth\.allow"/);
  expect(output).toMatch(/"message":"auth\.deny"/);
  expect((output.match(/"event":"auth\./g) ?? []).length).toBeGreaterThan(10_000);
  // AND no credential, nor its secret part, nor a JWT's signature, appears in it
  const leaks = CREDENTIALS_MADE.flatMap((c) => {
    const parts = [c, c.replace(/^[a-z]{2,8}_/, ''), ...c.split('.').filter((p) => p.length >= 24)];
    return parts.filter((p) => p.length >= 24 && output.includes(p)).map((p) => `${p.slice(0, 6)}…(${p.length} chars)`);
  });
  expect(leaks).toEqual([]);
});
