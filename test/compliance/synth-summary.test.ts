import { loadConfig } from '../../lib/config';
import { cacheState, synthSummary } from '../../lib/compliance/synth-summary';
import type { AuditReport } from '../../lib/compliance/report/model';
import { auditedStage } from '../fixtures/shared-synth';

test('SEC-3: the summary states the authorizer cache the stage synthesizes', () => {
  for (const preset of [undefined, 'docker-mcp']) {
    // GIVEN
    const config = loadConfig({ preset });
    const [authorizer] = Object.values(auditedStage(config).templates.edge.findResources('AWS::ApiGateway::Authorizer')) as any[];
    const ttl = authorizer.Properties.AuthorizerResultTtlInSeconds;
    // THEN
    expect(cacheState(config)).toMatch(ttl === 0 ? /^off \(/ : new RegExp(`^${ttl} s per authorization header; a revoked token is refused within ${ttl + config.auth.refreshSeconds} s`));
  }
});

test('the summary fits one screen and names the stacks, every pack, the item counts and the reports', () => {
  // GIVEN a report with six packs
  const packs = ['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321', 'Serverless', 'McpPerimeter'].map((name, i) => ({ name, conclusion: i === 5 ? 'failure' : 'success', violations: i === 5 ? 2 : 0, acknowledged: i, compliant: null }));
  const report = {
    synthesis: { outcome: 'failed', error: 'ValidationFailed: 2 unacknowledged finding(s)', validationReport: 'validation-report.json' },
    summary: { items: { total: 40, enforced: 30, 'enforced-with-exceptions': 7, documented: 1, 'not-verified': 0, failing: 2 }, sections: [], packs },
  } as unknown as AuditReport;
  const files = { html: '/repo/cdk.out/audit/report.html', markdown: '/repo/cdk.out/audit/report.md', sarif: '/repo/cdk.out/audit/report.sarif', json: '/repo/cdk.out/audit/report.json' };
  // WHEN
  const text = synthSummary({ config: loadConfig(), report, files, stacks: ['McpPerimeter-dev-Keys', 'McpPerimeter-dev-Edge'], cwd: '/repo' });
  // THEN
  const lines = text.split('\n');
  expect(lines.length).toBeLessThanOrEqual(25);
  expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120);
  expect(lines[0]).toBe('mcp-perimeter synth: stage dev, failed (ValidationFailed: 2 unacknowledged finding(s))');
  expect(text).toContain('McpPerimeter-dev-Keys, McpPerimeter-dev-Edge');
  expect(text).toMatch(/McpPerimeter\s+2\s+5\s+failure/);
  expect(text).toContain('40 checklist items: 30 enforced, 7 with exceptions, 1 documented, 0 not verified, 2 failing');
  expect(text).toContain('cdk.out/audit/report.html (for auditors), and beside it report.md, report.sarif, report.json');
});
