import { Template } from 'aws-cdk-lib/assertions';
import { AUDIT_SERVICE, JsonLinesAuditLog } from '../../../lambda/authorizer/audit';
import { createAuthorizer } from '../../../lambda/authorizer/authorizer';
import { StaticTokenSource } from '../../../lambda/authorizer/token-source';
import { AuditStack } from '../../../lib/stacks/audit-stack';
import { KeysStack } from '../../../lib/stacks/keys-stack';
import { TEST_ENV, testApp, testConfig } from '../../fixtures/test-app';
import { bearer, issueToken, NOW, requestEvent, settingsWith } from './fixtures';

/** Runs one request through a real authorizer and returns its audit line, parsed. */
async function auditLineOf(request: Parameters<ReturnType<typeof createAuthorizer>['handle']>[0], records = [issueToken({ role: 'reader' }).record]) {
  const lines: string[] = [];
  const authorizer = createAuthorizer({ settings: settingsWith(), tokenSource: new StaticTokenSource(records), auditLog: new JsonLinesAuditLog((l) => lines.push(l)), now: () => NOW });
  await authorizer.handle(request).catch(() => undefined);
  expect(lines).toHaveLength(1);
  expect(lines[0].endsWith('\n')).toBe(true);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

test('AUDIT-1: a decision is one JSON line with level, message, timestamp, service and the event fields at the top level', async () => {
  // GIVEN
  const { token, record } = issueToken({ role: 'agent', agentId: 'billing-bot' });
  // WHEN
  const line = await auditLineOf(requestEvent({ method: 'POST', path: '/mcp', headers: bearer(token) }), [record]);
  // THEN
  expect(line).toMatchObject({
    level: 'INFO',
    message: 'auth.allow',
    service: AUDIT_SERVICE,
    event: 'auth.allow',
    decision: 'allow',
    agentId: 'billing-bot',
    tokenId: record.id,
    route: { method: 'POST', path: '/mcp' },
    sourceIp: '203.0.113.7',
    requestId: 'req-0001',
  });
  expect(new Date(line.timestamp as string).getTime()).toBe(NOW);
});

test('AUDIT-1: a problem is a WARN line naming its code; a writer that throws never reaches the caller', () => {
  // GIVEN
  const lines: string[] = [];
  // WHEN
  new JsonLinesAuditLog((l) => lines.push(l)).problem('tokens.load_failed', { error: 'ThrottlingException' });
  // THEN
  expect(JSON.parse(lines[0])).toMatchObject({ level: 'WARN', message: 'tokens.load_failed', event: 'tokens.load_failed', error: 'ThrottlingException' });
  expect(() => new JsonLinesAuditLog(() => { throw new Error('EPIPE'); }).problem('x', {})).not.toThrow();
});

/** The `$.field = "value"` terms of a CloudWatch Logs JSON filter pattern. */
function termsOf(pattern: string): Array<[string, string]> {
  return [...pattern.matchAll(/\$\.(\w+)\s*=\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]);
}

function alarmPatterns(): Record<string, string> {
  const app = testApp({ bundling: false });
  const config = testConfig();
  const keys = new KeysStack(app, 'Keys', { env: TEST_ENV, config });
  const audit = new AuditStack(app, 'Audit', { env: TEST_ENV, config, auditKey: keys.auditKey });
  const filters = Template.fromStack(audit).findResources('AWS::Logs::MetricFilter');
  return Object.fromEntries(Object.values(filters).map((f) => [f.Properties.MetricTransformations[0].MetricName, f.Properties.FilterPattern]));
}

test('AUDIT-5: the alarm filters match the lines the authorizer really writes: a 401 counts as a failed authentication, a 403 as a denial', async () => {
  // GIVEN the audit lines of an unknown token (401) and of a reader on an admin route (403)
  const { token: readerToken, record } = issueToken({ role: 'reader' });
  const unauthorized = await auditLineOf(requestEvent({ path: '/mcp', headers: bearer('mcp_' + 'x'.repeat(43)) }));
  const denied = await auditLineOf(requestEvent({ method: 'GET', path: '/admin/tokens', headers: bearer(readerToken) }), [record]);
  const patterns = alarmPatterns();
  const matches = (line: Record<string, unknown>, pattern: string) => termsOf(pattern).every(([field, value]) => line[field] === value);
  // THEN each line matches its own alarm's filter and not the other's
  expect(termsOf(patterns.AuthenticationFailures).length).toBeGreaterThan(0);
  expect(matches(unauthorized, patterns.AuthenticationFailures)).toBe(true);
  expect(matches(unauthorized, patterns.AuthorizationDenials)).toBe(false);
  expect(matches(denied, patterns.AuthorizationDenials)).toBe(true);
  expect(matches(denied, patterns.AuthenticationFailures)).toBe(false);
});
