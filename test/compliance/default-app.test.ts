/**
 * The default app against issue 5's "done when": the six packs (and CDK's CloudFormation validation) show
 * zero unacknowledged errors, every checklist item has a status backed by evidence, and the four reports
 * are written. One synthesis serves every test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { CHECKLIST } from '../../lib/compliance/checklist';
import { loadConfig } from '../../lib/config';
import { DefaultSynthesis, synthesizeDefaultApp } from './report/default-app-synth';

let synth: DefaultSynthesis;

beforeAll(() => {
  synth = synthesizeDefaultApp(loadConfig(), { cloudFormationValidation: true });
});

test('REPORT: the default synth writes report.json, report.md, report.sarif and report.html', () => {
  // THEN
  for (const file of Object.values(synth.files)) expect(existsSync(file)).toBe(true);
  expect(JSON.parse(readFileSync(synth.files.json, 'utf8')).schemaVersion).toBe(synth.report.schemaVersion);
});

test('REPORT: the default synth succeeds with zero unacknowledged errors in every pack', () => {
  // THEN
  const open = synth.report.packs.flatMap((p) =>
    p.violations.filter((v) => v.severity === 'error' || v.severity === 'fatal').flatMap((v) => v.resources.map((r) => `${p.name} ${v.ruleId} on ${r.constructPath}`)),
  );
  expect(open).toEqual([]);
  expect(synth.error?.message).toBeUndefined();
  expect(synth.report.synthesis.outcome).toBe('succeeded');
});

test('REPORT: all six packs ran over the default app', () => {
  // THEN
  const ran = synth.report.packs.filter((p) => p.conclusion !== 'not-run').map((p) => p.name);
  expect(ran).toEqual(expect.arrayContaining(['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321', 'Serverless', 'McpPerimeter']));
});

test('REPORT: no warning of any pack is left unacknowledged', () => {
  // THEN
  const warnings = synth.report.packs.flatMap((p) => p.violations.filter((v) => v.severity === 'warning').map((v) => `${p.name} ${v.ruleId}`));
  expect(warnings).toEqual([]);
});

test('REPORT: every checklist item has a status backed by evidence: none failing, none without evidence', () => {
  // THEN
  expect(synth.report.items.map((i) => i.id)).toEqual(CHECKLIST.map((i) => i.id));
  const failing = synth.report.items.filter((i) => i.status === 'failing').map((i) => `${i.id}: ${i.gaps.join('; ')}`);
  expect(failing).toEqual([]);
  // An enforced item has evidence that held; a not-verified one (tests or gates not run with this report) says what did not run.
  for (const item of synth.report.items) {
    const { rules, tests, ci, docs } = item.evidence;
    const held = rules.some((r) => r.compliant.length > 0 || r.acknowledged.length > 0) || tests.some((t) => t.status === 'passed') || ci.some((c) => c.outcome === 'passed');
    const backed = item.status === 'not-verified' ? item.unverified.length > 0 : item.status === 'documented' ? docs.some((d) => d.found) : held;
    expect({ id: item.id, backed }).toEqual({ id: item.id, backed: true });
  }
});
