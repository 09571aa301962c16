import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AuditedSynthesisError,
  AuditReport,
  AUDIT_REPORT_SCHEMA_VERSION,
  AuditedItem,
  ItemReport,
  synthesizeWithAudit,
} from '../../../lib/compliance/report';
import { completeFixtureRepo, FIXTURE_ACK, FIXTURE_CHECKLIST, FixtureAppOptions, fixtureApp, FixtureChecks, fixtureRepo } from './fixture-app';

/** Synthesizes the fixture app with the fixture pack and AwsSolutions; returns the report even when synthesis fails. */
function audit(options: FixtureAppOptions & { checklist?: readonly AuditedItem[]; repoRoot?: string } = {}) {
  const { app, outdir } = fixtureApp(options);
  let error: unknown;
  let report: AuditReport;
  try {
    report = synthesizeWithAudit(app, {
      checklist: options.checklist ?? FIXTURE_CHECKLIST,
      packs: [new FixtureChecks(app), new AwsSolutionsChecks(app)],
      acknowledgments: options.acknowledge === false ? [] : [FIXTURE_ACK],
      repoRoot: options.repoRoot ?? completeFixtureRepo(),
    }).report;
  } catch (e) {
    error = e;
    report = (e as AuditedSynthesisError).report;
  }
  return { report, error, outdir, item: (id: string) => report.items.find((i) => i.id === id) as ItemReport };
}

// The fixture app always has AwsSolutions errors (queues without DLQ), so synthesis fails: the report must be written anyway.

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
  expect(item('T-2').gaps[0]).toMatch(/rule Fixture-QueueEncrypted has unacknowledged violations on Fixture\/Store\/Forgotten\/Resource/);
  expect(report.synthesis.outcome).toBe('failed');
  expect(report.packs.find((p) => p.name === 'Fixture')?.conclusion).toBe('failure');
  for (const f of ['report.json', 'report.md', 'report.sarif', 'report.html']) expect(existsSync(join(outdir, 'audit', f))).toBe(true);
});

test('REPORT: fails the items of packs that never ran when synthesis stops before validation', () => {
  // GIVEN a construct that fails its own validation  WHEN synthesized
  const { item, report, error } = audit({ broken: true });
  // THEN
  expect((error as Error).message).toMatch(/broken on purpose/);
  expect(report.synthesis).toEqual(expect.objectContaining({ outcome: 'failed', validationReport: null }));
  expect(report.packs.map((p) => p.conclusion)).toEqual(['not-run', 'not-run']);
  expect(item('T-1').status).toBe('failing');
  expect(item('T-1').evidence.rules[0].result).toBe('not-run');
});

test('REPORT: a CI step is evidence only when the CI entry point runs it, through npm scripts', () => {
  // GIVEN a CI script that does not run secretlint
  const repoRoot = fixtureRepo({ 'package.json': '{"scripts":{"test":"jest"}}', '.ci/run': '#!/bin/sh\n# npx secretlint is for later\nnpm test\n' });
  // WHEN
  const { item } = audit({ repoRoot });
  // THEN the commented-out step does not count
  expect(item('T-3').status).toBe('failing');
  expect(item('T-3').gaps).toContain("CI step 'npx secretlint' is not run by the CI entry point");
  // AND with the step reached through `npm run`, it does
  const { item: item2 } = audit();
  expect(item2('T-3').evidence.ci).toEqual([{ step: 'npx secretlint', found: true, location: { file: 'package.json', line: 6 } }]);
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

test('REPORT: an item that asks for a test fails without a test named after it, and an item without evidence fails', () => {
  // GIVEN no test file, and an item with nothing to show
  const repoRoot = fixtureRepo({ '.ci/run': 'npx secretlint\n', 'docs/operations.md': '#' });
  const checklist = [...FIXTURE_CHECKLIST, { id: 'X-1', section: 'X', text: 'Nothing backs this.', evidenceKinds: ['nag' as const] }];
  // WHEN
  const { item } = audit({ repoRoot, checklist });
  // THEN
  expect(item('T-2').status).toBe('failing');
  expect(item('T-2').gaps).toContain("no test is named 'T-2: …'");
  expect(item('X-1').status).toBe('failing');
  expect(item('X-1').statusReason).toMatch(/^no evidence/);
});

test('REPORT: compliant results are observed for cdk-nag packs too, under their own pack name', () => {
  // GIVEN / WHEN
  const { report } = audit();
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
  expect(md).toMatch(/\| AwsSolutions \| failure \| \d+ \| 0 \| \d+ \|/);
  for (const i of FIXTURE_CHECKLIST) expect(md).toContain(`### ${i.id} — `);
  expect(md).toContain('T-2: the queue carries only public build notifications');
});
