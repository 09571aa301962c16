/**
 * Issue #16's fixture run (one failing test, one CI gate not run, one unacknowledged finding) in every
 * format: each shows exactly those three as such, and nothing else as a problem. The HTML page is
 * checked in Chromium by test/compliance/browser/report-html.test.ts.
 */
import '@microsoft/jest-sarif';
import { readFileSync } from 'node:fs';
import type { AuditReport, SarifLog } from '../../../lib/compliance/report';
import { threeProblemsFixture } from './fixture-app';

const fixture = threeProblemsFixture();
const EXPECTED = { 'T-1': 'enforced', 'T-2': 'failing', 'T-3': 'not-verified', 'T-4': 'failing', 'D-1': 'documented' };

test('REPORT: report.json shows the unacknowledged finding, the failed test and the gate not run, and nothing else', () => {
  // GIVEN
  const json = JSON.parse(readFileSync(fixture.files.json, 'utf8')) as AuditReport;
  // THEN
  expect(Object.fromEntries(json.items.map((i) => [i.id, i.status]))).toEqual(EXPECTED);
  expect(json.items.find((i) => i.id === 'T-2')!.gaps).toEqual(['rule Fixture-QueueEncrypted has unacknowledged findings on Fixture/Store/Forgotten/Resource']);
  expect(json.items.find((i) => i.id === 'T-4')!.gaps).toEqual(['test failed: T-4: a request without the header is refused with 401']);
  expect(json.items.find((i) => i.id === 'T-3')!.unverified).toEqual(["CI gate 'secretlint' could not run: cdk.out/manifest.json is missing: the templates could not be scanned"]);
  expect(json.packs.flatMap((p) => p.violations).map((f) => f.resources.map((r) => r.constructPath))).toEqual([['Fixture/Store/Forgotten/Resource']]);
  expect(json.runs.tests).toEqual(expect.objectContaining({ passed: 1, failed: 1, skipped: 0, partial: false }));
  expect(json.runs.gates).toEqual([expect.objectContaining({ step: 'secretlint', outcome: 'not-run' })]);
  expect(json.summary.items).toEqual({ total: 5, enforced: 1, 'enforced-with-exceptions': 0, documented: 1, 'not-verified': 1, failing: 2 });
  expect(Object.keys(json.legend)).toEqual(['enforced', 'enforced-with-exceptions', 'documented', 'not-verified', 'failing']);
});

test('REPORT: report.md shows the same three, with a legend, and each piece of evidence saying how it was verified', () => {
  // GIVEN
  const md = readFileSync(fixture.files.markdown, 'utf8');
  // THEN
  const statuses = Object.fromEntries([...md.matchAll(/^### (\S+) — \S+ (.+)$/gm)].map((m) => [m[1], m[2].replace(/ /g, '-')]));
  expect(statuses).toEqual(EXPECTED);
  expect(md).toMatch(/^## Legend$/m);
  expect(md.match(/^- Test \*\*failed\*\* in the test run of this commit/gm)).toHaveLength(1);
  expect(md.match(/^- CI gate `secretlint`: \*\*not run\*\*: cdk\.out\/manifest\.json is missing/gm)).toHaveLength(1);
  const unacknowledged = md.slice(md.indexOf('## Unacknowledged findings'), md.indexOf('## Acknowledgments'));
  expect(unacknowledged.match(/^- Fixture `Fixture-QueueEncrypted`/gm)).toHaveLength(1);
  // (the fixture repository is not where the fixture app's code lives, so no line of it created the queue)
  expect(unacknowledged).toContain('`Fixture/Store/Forgotten/Resource` (no source line known: the creation stack trace has no frame in the repository (only library code))');
  expect(md).toContain('Rule `Fixture-BucketVersioned` (Fixture), evaluated in this synthesis: **compliant**');
  expect(md).toContain('<details><summary>compliant on 1 resource(s)</summary>');
  expect(md).toContain('Requests need a `token` header.');
});

test('REPORT: report.sarif is valid SARIF 2.1.0 (the official schema) and has exactly one unsuppressed result, said to have no known source line, and the suppression owner', () => {
  // GIVEN
  const sarif = JSON.parse(readFileSync(fixture.files.sarif, 'utf8')) as SarifLog;
  // THEN
  expect(sarif).toBeValidSarifLog();
  expect(sarif.properties.checklistStatuses).toEqual(EXPECTED);
  expect(Object.keys(sarif.properties.statusLegend)).toEqual(['enforced', 'enforced-with-exceptions', 'documented', 'not-verified', 'failing']);
  expect({ version: '2.1.0', runs: [{ results: [] }] }).not.toBeValidSarifLog();
  const results = sarif.runs.flatMap((r) => r.results);
  const open = results.filter((r) => !r.suppressions);
  expect(open.map((r) => [r.ruleId, r.level, r.locations[0].logicalLocations[0].fullyQualifiedName])).toEqual([
    ['Fixture-QueueEncrypted', 'error', 'Fixture/Store/Forgotten/Resource'],
  ]);
  expect(open[0].locations[0].physicalLocation).toBeUndefined();
  expect(open[0].message.text).toMatch(/\[no source line known: the creation stack trace has no frame in the repository/);
  expect(sarif.runs.map((r) => r.tool.driver.version)).toEqual([undefined]);
  expect(results.filter((r) => r.suppressions).map((r) => r.suppressions![0].properties)).toEqual([
    expect.objectContaining({ owner: 'platform-security', reviewBy: '2099-01-01', checklistItem: 'T-2' }),
  ]);
});
