import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AuditedSynthesisError, SarifLog, synthesizeWithAudit } from '../../../lib/compliance/report';
import { FIXTURE_ACK, FIXTURE_CHECKLIST, fixtureApp, FixtureChecks } from './fixture-app';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** The SARIF of the violating fixture, located against this repository (the fixture's own lines). */
function sarifOfViolatingFixture(): SarifLog {
  const { app, outdir } = fixtureApp({ violating: true });
  try {
    synthesizeWithAudit(app, {
      checklist: FIXTURE_CHECKLIST,
      packs: [new FixtureChecks(app), new AwsSolutionsChecks(app)],
      acknowledgments: [FIXTURE_ACK],
      repoRoot: REPO_ROOT,
    });
  } catch (e) {
    if (!(e instanceof AuditedSynthesisError)) throw e;
  }
  return JSON.parse(readFileSync(join(outdir, 'audit', 'report.sarif'), 'utf8')) as SarifLog;
}

const sarif = sarifOfViolatingFixture();
const fixtureRun = sarif.runs.find((r) => r.tool.driver.name === 'Fixture')!;

test('REPORT: report.sarif has the essentials of SARIF 2.1.0: version, $schema, one run per pack with its rules', () => {
  // THEN
  expect(sarif.version).toBe('2.1.0');
  expect(sarif.$schema).toMatch(/sarif-2\.1\.0.*\.json$/);
  expect(sarif.runs.map((r) => r.tool.driver.name)).toEqual(['Fixture', 'AwsSolutions']);
  for (const run of sarif.runs) {
    expect(run.tool.driver.rules.length).toBeGreaterThan(0);
    for (const rule of run.tool.driver.rules) expect(rule).toEqual(expect.objectContaining({ id: expect.any(String), shortDescription: { text: expect.any(String) } }));
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(0);
      expect(result.locations.length).toBeGreaterThan(0);
      expect(result.locations[0].physicalLocation?.region.startLine ?? 1).toBeGreaterThan(0);
    }
  }
});

test('REPORT: a SARIF violation is an error located on the repository line that created the resource, URI relative to the repo', () => {
  // GIVEN the line of the fixture that creates the forgotten queue
  const lines = readFileSync(join(__dirname, 'fixture-app.ts'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes("'Forgotten'")) + 1;
  // WHEN
  const result = fixtureRun.results.find((r) => r.message.text.includes('Fixture/Store/Forgotten/Resource'))!;
  // THEN
  expect(result.ruleId).toBe('Fixture-QueueEncrypted');
  expect(result.level).toBe('error');
  expect(result.suppressions).toBeUndefined();
  expect(result.locations[0].physicalLocation).toEqual({
    artifactLocation: { uri: 'test/compliance/report/fixture-app.ts', uriBaseId: '%SRCROOT%' },
    region: { startLine: line, startColumn: expect.any(Number) },
  });
  expect(result.locations[0].logicalLocations).toEqual([{ fullyQualifiedName: 'Fixture/Store/Forgotten/Resource', kind: 'resource' }]);
});

test('REPORT: an acknowledged finding is a SARIF result with an external suppression carrying the reason, owner and review-by date', () => {
  // WHEN
  const result = fixtureRun.results.find((r) => r.message.text.includes('Fixture/Store/PlainQueue/Resource'))!;
  // THEN
  expect(result.suppressions).toEqual([
    {
      kind: 'external',
      status: 'accepted',
      justification: FIXTURE_ACK.reason,
      properties: { owner: 'platform-security', reviewBy: '2099-01-01', checklistItem: 'T-2', acknowledgedAt: 'Fixture/Store/PlainQueue', acknowledgmentId: FIXTURE_ACK.id },
    },
  ]);
  expect(result.message.text).toContain('[checklist T-2]');
});

test('REPORT: SARIF fingerprints are stable per pack, rule and resource, and distinct between resources', () => {
  // WHEN
  const again = sarifOfViolatingFixture().runs.find((r) => r.tool.driver.name === 'Fixture')!;
  const prints = fixtureRun.results.map((r) => r.partialFingerprints['mcpPerimeterFinding/v1']);
  // THEN
  expect(again.results.map((r) => r.partialFingerprints['mcpPerimeterFinding/v1'])).toEqual(prints);
  expect(new Set(prints).size).toBe(prints.length);
});
