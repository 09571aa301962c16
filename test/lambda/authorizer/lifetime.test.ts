import { createAuthorizer, withinLifetime } from '../../../lambda/authorizer/authorizer';
import { StaticTokenSource } from '../../../lambda/authorizer/token-source';
import { bearer, issueToken, NOW, requestEvent, settingsWith, testAuditLog } from './fixtures';

const DAY = 86_400_000;

test.each([
  ['created now, expires in 90 days (the limit)', '2026-12-01T00:00:00Z', '2027-03-01T00:00:00Z', true],
  ['created 10 days ago, expires in 80 days', '2026-11-21T00:00:00Z', '2027-02-19T00:00:00Z', true],
  ['expires in year 9999', '2026-11-22T10:00:00Z', '9999-12-31T00:00:00Z', false],
  ['a 91-day lifetime', '2026-12-01T00:00:00Z', '2027-03-02T00:00:00Z', false],
  ['createdAt forged into the future to shorten expiresAt - createdAt', '2027-06-01T00:00:00Z', '2027-06-02T00:00:00Z', false],
  ['an unparseable expiresAt', '2026-12-01T00:00:00Z', 'soon', false],
])('AUTH-4: token lifetime (90 days max): %s -> %s', (_case, createdAt, expiresAt, ok) => {
  expect(withinLifetime(createdAt, expiresAt, NOW, 90 * DAY)).toBe(ok);
});

test('AUTH-4: the authorizer refuses a record whose lifetime exceeds auth.tokenMaxLifetimeDays, whatever wrote it', async () => {
  // GIVEN a record written by a pipeline with a far expiry, and a normal one
  const far = issueToken({ role: 'admin', createdAt: '2026-11-30T00:00:00Z', expiresAt: '9999-01-01T00:00:00Z' });
  const normal = issueToken({ role: 'admin', createdAt: '2026-11-30T00:00:00Z', expiresAt: '2027-01-30T00:00:00Z' });
  const audit = testAuditLog();
  const authorizer = createAuthorizer({ settings: settingsWith({ tokenMaxLifetimeDays: 90 }), tokenSource: new StaticTokenSource([far.record, normal.record]), auditLog: audit, now: () => NOW });
  // WHEN / THEN
  expect(await authorizer.decide(requestEvent({ method: 'GET', path: '/mcp', headers: bearer(far.token) }))).toEqual({ kind: 'unauthorized', reason: 'token_lifetime_exceeded' });
  expect(audit.decisions[0]).toMatchObject({ reason: 'token_lifetime_exceeded', tokenId: far.record.id });
  expect(await authorizer.decide(requestEvent({ method: 'GET', path: '/mcp', headers: bearer(normal.token) }))).toMatchObject({ kind: 'policy', allowed: true });
  // AND a shorter configured lifetime refuses the normal one too
  const strict = createAuthorizer({ settings: settingsWith({ tokenMaxLifetimeDays: 30 }), tokenSource: new StaticTokenSource([normal.record]), auditLog: testAuditLog(), now: () => NOW });
  expect(await strict.decide(requestEvent({ method: 'GET', path: '/mcp', headers: bearer(normal.token) }))).toEqual({ kind: 'unauthorized', reason: 'token_lifetime_exceeded' });
});
