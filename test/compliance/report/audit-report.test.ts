import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AuditedSynthesisError,
  AuditReport,
  AUDIT_REPORT_SCHEMA_VERSION,
  AuditedItem,
  gitState,
  ItemReport,
  rebuildAuditReport,
  synthesizeWithAudit,
  writeTestRun,
} from '../../../lib/compliance/report';
import { completeFixtureRepo, FIXTURE_ACK, FIXTURE_CHECKLIST, FixtureAppOptions, fixtureApp, FixtureChecks, fixtureRepo, PASSING_FIXTURE_TESTS, ranTest } from './fixture-app';

/** Synthesizes the fixture app with the fixture pack (and AwsSolutions when asked); returns the report even when synthesis fails. */
function audit(options: FixtureAppOptions & { checklist?: readonly AuditedItem[]; repoRoot?: string; withAwsSolutions?: boolean } = {}) {
  const { app, outdir } = fixtureApp(options);
  let error: unknown;
  let report: AuditReport;
  try {
    report = synthesizeWithAudit(app, {
      checklist: options.checklist ?? FIXTURE_CHECKLIST,
      packs: options.withAwsSolutions ? [new FixtureChecks(app), new AwsSolutionsChecks(app)] : [new FixtureChecks(app)],
      acknowledgments: options.acknowledge === false ? [] : [FIXTURE_ACK],
      repoRoot: options.repoRoot ?? completeFixtureRepo(),
    }).report;
  } catch (e) {
    error = e;
    report = (e as AuditedSynthesisError).report;
  }
  return { report, error, outdir, item: (id: string) => report.items.find((i) => i.id === id) as ItemReport };
}


test('REPORT: an item whose rule checked resources and found them all compliant is enforced', () => {
  // GIVEN a versioned bucket  WHEN synthesized with audit
  const { item } = audit();
  // THEN
  expect(item('T-1').status).toBe('enforced');
  expect(item('T-1').evidence.rules).toEqual([
    expect.objectContaining({ ruleId: 'Fixture-BucketVersioned', pack: 'Fixture', result: 'compliant', compliant: ['Fixture/Store/Versioned/Resource'] }),
  ]);
  expect(item('T-1').gaps).toEqual([]);
});

test('REPORT: an acknowledged finding makes its item enforced-with-exceptions and carries the reason', () => {
  // GIVEN the plain queue's finding acknowledged  WHEN synthesized
  const { item, report } = audit();
  // THEN
  const t2 = item('T-2');
  expect(t2.status).toBe('enforced-with-exceptions');
  expect(t2.evidence.rules[0].result).toBe('acknowledged');
  expect(t2.evidence.rules[0].compliant).toEqual(['Fixture/Store/KeyQueue/Resource']);
  expect(t2.evidence.rules[0].acknowledged[0].acknowledgment).toEqual(
    expect.objectContaining({ id: FIXTURE_ACK.id, reason: FIXTURE_ACK.reason, acknowledgedAt: 'Fixture/Store/PlainQueue' }),
  );
  expect(t2.acknowledgments).toEqual([expect.objectContaining({ id: FIXTURE_ACK.id, owner: 'platform-security', matchedFindings: 1 })]);
  expect(report.acknowledgments[0].matchedFindings).toBe(1);
});

test('REPORT: an unacknowledged violation makes its item failing, the report is still written and the failure rethrown', () => {
  // GIVEN a second, unacknowledged, unencrypted queue  WHEN synthesized
  const { item, error, outdir, report } = audit({ violating: true });
  // THEN
  expect(error).toBeInstanceOf(AuditedSynthesisError);
  expect((error as Error).name).toBe('ValidationFailed');
  expect(item('T-2').status).toBe('failing');
  expect(item('T-2').gaps[0]).toMatch(/rule Fixture-QueueEncrypted has unacknowledged findings on Fixture\/Store\/Forgotten\/Resource/);
  expect(report.synthesis.outcome).toBe('failed');
  expect(report.packs.find((p) => p.name === 'Fixture')?.conclusion).toBe('failure');
  for (const f of ['report.json', 'report.md', 'report.sarif', 'report.html']) expect(existsSync(join(outdir, 'audit', f))).toBe(true);
});

test('REPORT: the items of a pack that never ran are not verified when synthesis stops before validation', () => {
  // GIVEN a construct that fails its own validation  WHEN synthesized
  const { item, report, error } = audit({ broken: true });
  // THEN
  expect((error as Error).message).toMatch(/broken on purpose/);
  expect(report.synthesis).toEqual(expect.objectContaining({ outcome: 'failed', validationReport: null }));
  expect(report.packs.map((p) => p.conclusion)).toEqual(['not-run']);
  expect(item('T-1').status).toBe('not-verified');
  expect(item('T-1').evidence.rules[0].result).toBe('not-run');
  expect(item('T-1').unverified).toEqual(['rule Fixture-BucketVersioned was not evaluated: its pack Fixture did not run in this synthesis']);
});

test('REPORT: a CI gate is evidence only when CI reaches its script and it passed in a run of the same commit, located at the line that runs it', () => {
  // GIVEN a CI script that mentions the gate only in a comment
  const unreached = fixtureRepo({ 'package.json': '{"scripts":{"test":"jest"}}', '.ci/run': '#!/bin/sh\n# bash scripts/scan-secrets.sh is for later\nnpm test\n', 'scripts/scan-secrets.sh': 'npx --no-install secretlint\n' });
  // WHEN / THEN the commented-out call does not count
  expect(audit({ repoRoot: unreached }).item('T-3').gaps).toContain("CI step 'secretlint' (npx --no-install secretlint) is not reached from the CI entry point");
  // AND reached through `npm run scan`, it is located at the command's line of the gate script (not the comment above it), with its outcome
  const t3 = audit().item('T-3');
  expect(t3.status).toBe('enforced');
  expect(t3.evidence.ci).toEqual([
    expect.objectContaining({ step: 'secretlint', command: 'npx --no-install secretlint', found: true, location: { file: 'scripts/scan-secrets.sh', line: 4 }, outcome: 'passed' }),
  ]);
});

test('REPORT: a gate that could not run makes its item not verified, a failed gate failing, and a result of another commit does not count', () => {
  // GIVEN / WHEN
  const notRun = audit({ repoRoot: completeFixtureRepo({ gates: { secretlint: ['not-run', 'the registry has no advisory endpoint'] } }) }).item('T-3');
  const failed = audit({ repoRoot: completeFixtureRepo({ gates: { secretlint: ['failed', 'a token in cdk.out'] } }) }).item('T-3');
  const stale = completeFixtureRepo();
  writeFileSync(join(stale, 'reports', 'gates', 'secretlint.json'), readFileSync(join(stale, 'reports', 'gates', 'secretlint.json'), 'utf8').replace(/"commit": "\w+"/, '"commit": "0000000000000000000000000000000000000000"'));
  const other = audit({ repoRoot: stale }).item('T-3');
  // THEN
  expect([notRun.status, notRun.statusReason]).toEqual(['not-verified', "CI gate 'secretlint' could not run: the registry has no advisory endpoint"]);
  expect([failed.status, failed.statusReason]).toEqual(['failing', "CI gate 'secretlint' failed: a token in cdk.out"]);
  expect([other.status, other.evidence.ci[0].outcome]).toEqual(['not-verified', 'no-result']);
});

test('REPORT: tests count only from a run of the same commit; a failed one fails its item; without a run they are not run with this report', () => {
  // GIVEN / WHEN
  const none = audit({ repoRoot: completeFixtureRepo({ tests: null }) });
  const failed = audit({ repoRoot: completeFixtureRepo({ tests: [PASSING_FIXTURE_TESTS[0], ranTest('T-4: a request without the header is refused with 401', 'failed')] }) });
  const stale = completeFixtureRepo();
  const file = join(stale, 'reports', 'test-results.json');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/"commit": "\w+"/, '"commit": "1111111111111111111111111111111111111111"'));
  const other = audit({ repoRoot: stale });
  // THEN
  expect(none.item('T-4').status).toBe('not-verified');
  expect(none.item('T-4').statusReason).toBe('tests not run with this report (no test results in reports/test-results.json)');
  expect(none.report.runs.tests).toBeNull();
  expect(failed.item('T-4').status).toBe('failing');
  expect(failed.item('T-4').evidence.tests).toEqual([{ name: 'T-4: a request without the header is refused with 401', status: 'failed', file: 'test/fixture.test.ts' }]);
  expect(failed.report.runs.tests).toEqual(expect.objectContaining({ passed: 1, failed: 1, partial: false }));
  expect(other.item('T-4').status).toBe('not-verified');
  expect(other.report.runs.testsNote).toMatch(/are of commit 111111111111, not of/);
  // AND an unreadable results file is no evidence, said so
  const broken = completeFixtureRepo();
  writeFileSync(join(broken, 'reports', 'test-results.json'), '{"tests": 3}');
  const unreadable = audit({ repoRoot: broken });
  expect(unreadable.item('T-4').status).toBe('not-verified');
  expect(unreadable.report.runs.testsNote).toMatch(/test-results\.json is not a results file: /);
});

test('REPORT: a doc-only item is documented when its document exists and failing when it does not', () => {
  // GIVEN / WHEN
  const withDoc = audit().item('D-1');
  const withoutDoc = audit({ repoRoot: fixtureRepo({ '.ci/run': 'npx secretlint\n' }) }).item('D-1');
  // THEN
  expect(withDoc.status).toBe('documented');
  expect(withoutDoc.status).toBe('failing');
  expect(withoutDoc.gaps).toContain('document docs/operations.md#rotation does not exist');
});

test('REPORT: an item that asks for a test fails when a full run of its commit has none, is not verified after a partial run, and an item without evidence fails', () => {
  // GIVEN runs without a T-2 test, and an item with nothing to show
  const checklist = [...FIXTURE_CHECKLIST, { id: 'X-1', section: 'X', text: 'Nothing backs this.', evidenceKinds: ['nag' as const] }];
  const tests = [PASSING_FIXTURE_TESTS[1]];
  // WHEN
  const full = audit({ repoRoot: completeFixtureRepo({ tests }), checklist });
  const partial = audit({ repoRoot: completeFixtureRepo({ tests, partial: true }), checklist });
  // THEN
  expect(full.item('T-2').status).toBe('failing');
  expect(full.item('T-2').gaps).toContain("no test named 'T-2: …' passed in the test run of this commit");
  expect(partial.item('T-2').status).toBe('not-verified');
  expect(full.item('X-1').status).toBe('failing');
  expect(full.item('X-1').statusReason).toMatch(/^no evidence/);
});

test('REPORT: compliant results are observed for cdk-nag packs too, under their own pack name', () => {
  // GIVEN / WHEN
  const { report } = audit({ withAwsSolutions: true });
  // THEN AwsSolutions found the queues' server-side encryption compliant (SQS2), and reported its violations as usual
  const aws = report.packs.find((p) => p.name === 'AwsSolutions')!;
  expect(aws.compliant?.find((c) => c.ruleId === 'AwsSolutions-SQS2')?.resources).toEqual([
    'Fixture/Store/KeyQueue/Resource',
    'Fixture/Store/PlainQueue/Resource',
  ]);
  expect(aws.violations.map((v) => v.ruleId)).toContain('AwsSolutions-SQS3');
  expect(report.summary.packs.find((p) => p.name === 'AwsSolutions')?.compliant).toBeGreaterThan(0);
});

test('REPORT: report.json is versioned and every field it contains is described in SCHEMA.md', () => {
  // GIVEN a report with findings, acknowledgments and every evidence kind
  const { outdir } = audit({ violating: true });
  const json = JSON.parse(readFileSync(join(outdir, 'audit', 'report.json'), 'utf8')) as AuditReport;
  const schemaDoc = readFileSync(join(__dirname, '..', '..', '..', 'lib', 'compliance', 'report', 'SCHEMA.md'), 'utf8');
  // WHEN every key of the document is collected
  const keys = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        keys.add(k);
        walk(child);
      }
    }
  };
  walk(json);
  // THEN
  expect(json.schemaVersion).toBe(AUDIT_REPORT_SCHEMA_VERSION);
  expect(json.schemaVersion).toMatch(/^\d+\.\d+\.\d+$/);
  expect(json.summary.items.total).toBe(FIXTURE_CHECKLIST.length);
  const undocumented = [...keys].filter((k) => !schemaDoc.includes(`\`${k}\``));
  expect(undocumented).toEqual([]);
});

test('REPORT: report.md shows the summary first, then every item with its status', () => {
  // GIVEN / WHEN
  const { outdir } = audit();
  const md = readFileSync(join(outdir, 'audit', 'report.md'), 'utf8');
  // THEN
  expect(md.indexOf('## Packs')).toBeLessThan(md.indexOf('### T-1'));
  expect(md).toMatch(/\| Fixture \| unknown \| success \| 0 \| 1 \| \d+ \|/);
  expect(md.indexOf('## Legend')).toBeLessThan(md.indexOf('### T-1'));
  expect(md).toContain('Requests need a `token` header.');
  for (const i of FIXTURE_CHECKLIST) expect(md).toContain(`### ${i.id} — `);
  expect(md).toContain('T-2: the queue carries only public build notifications');
});

test('REPORT: npm run report rebuilds the report after the tests ran, from the synthesis record, without synthesizing again', () => {
  // GIVEN a synthesis before any test ran
  const repoRoot = completeFixtureRepo({ tests: null });
  const first = audit({ repoRoot });
  expect(first.item('T-4').status).toBe('not-verified');
  expect(existsSync(join(first.outdir, 'audit', 'synthesis.json'))).toBe(true);
  // WHEN the tests then ran on the same commit and the report is rebuilt
  const now = new Date().toISOString();
  writeTestRun(repoRoot, { ...gitState(repoRoot), startedAt: now, finishedAt: now, partial: false, tests: [...PASSING_FIXTURE_TESTS] });
  const { report } = rebuildAuditReport({ repoRoot, assemblyDir: first.outdir, checklist: FIXTURE_CHECKLIST });
  // THEN the tests count, and what only the synthesis knew (compliant resources, acknowledgments) is kept
  const t4 = report.items.find((i) => i.id === 'T-4')!;
  expect(t4.status).toBe('enforced');
  expect(t4.statusReason).toBe('evidenced by 1 test passed in the test run of this commit');
  expect(report.items.find((i) => i.id === 'T-1')!.evidence.rules[0].compliant).toEqual(['Fixture/Store/Versioned/Resource']);
  expect(report.items.find((i) => i.id === 'T-2')!.status).toBe('enforced-with-exceptions');
  expect(JSON.parse(readFileSync(join(first.outdir, 'audit', 'report.json'), 'utf8')).runs.tests.passed).toBe(2);
  // AND without a synthesis there is nothing to rebuild
  expect(() => rebuildAuditReport({ repoRoot, assemblyDir: join(repoRoot, 'cdk.out') })).toThrow(/synthesis\.json is missing: synthesize first/);
});
