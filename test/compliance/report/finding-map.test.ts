/**
 * How findings of every pack map to checklist items, on the kit's own app: with ECS Exec on, the service
 * has five unacknowledged findings, and each must turn the items it concerns `failing`.
 */
import '@microsoft/jest-sarif';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKLIST } from '../../../lib/compliance/checklist';
import { bareRuleId, itemsOfRuleId, ruleNameOf, SarifLog } from '../../../lib/compliance/report';
import { loadConfig } from '../../../lib/config';
import { synthesizeDefaultApp } from './default-app-synth';
import { tempDir } from './fixture-app';

const IDS = CHECKLIST.map((i) => i.id);

test('REPORT: a rule maps to items by the kit rule id and by its family, whatever the pack', () => {
  // THEN
  expect(bareRuleId('AwsSolutions::AwsSolutions-IAM5[Resource::*]')).toBe('AwsSolutions-IAM5');
  expect(ruleNameOf('NIST.800.53.R5-IAMNoInlinePolicy', 'NIST.800.53.R5')).toBe('IAMNoInlinePolicy');
  expect(itemsOfRuleId('AwsSolutions-IAM5[Resource::*]', 'AwsSolutions', IDS)).toEqual([{ item: 'SEC-4', via: 'rule family IAM' }]);
  for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
    expect(itemsOfRuleId(`${pack}-IAMNoInlinePolicy`, pack, IDS).map((m) => m.item)).toEqual(['SEC-4']);
  }
  expect(itemsOfRuleId('McpPerimeter-WORK3', 'McpPerimeter', IDS)).toEqual([{ item: 'WORK-3', via: "the kit's rule for WORK-3" }]);
  expect(itemsOfRuleId('AwsSolutions-APIG2', 'AwsSolutions', IDS).map((m) => m.item)).toEqual(['EDGE-6']);
  expect(itemsOfRuleId('Serverless-LambdaDLQ', 'Serverless', IDS).map((m) => m.item)).toEqual(['AUTH-1']);
  expect(itemsOfRuleId('Other-Unknown1', 'Other', IDS)).toEqual([]);
});

describe('with service.enableExec: true', () => {
  const file = join(tempDir('exec-config-'), 'exec.json');
  writeFileSync(file, JSON.stringify({ service: { enableExec: true, execReason: 'on-call engineers debug stuck MCP sessions' } }));
  // without the exceptions the config's execReason brings, so that ECS Exec's five findings stay open
  const execAcks = ['Service/McpService/Resource/Service', 'Service/McpService/TaskDefinition/TaskRole/DefaultPolicy/Resource'];
  const synth = synthesizeDefaultApp(loadConfig({ file }), { keepAcknowledgment: (ack) => !execAcks.includes(ack.path) });
  const item = (id: string) => synth.report.items.find((i) => i.id === id)!;
  const open = synth.report.packs.flatMap((p) => p.violations);

  test('SEC-4, WORK-3: every unacknowledged finding of every pack turns the items it concerns failing; none is unmapped', () => {
    // THEN the five findings on the service: the task role's wildcard (AwsSolutions) and inline policy (three packs), and ECS Exec (McpPerimeter)
    const onService = open.filter((f) => f.resources.some((r) => r.constructPath.startsWith(`${synth.config.stage}/Service/`)));
    expect(onService.map((f) => f.ruleId).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'HIPAA.Security-IAMNoInlinePolicy',
      'McpPerimeter-WORK3',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'PCI.DSS.321-IAMNoInlinePolicy',
    ]);
    expect(synth.report.unmappedFindings).toEqual([]);
    // AND the unacknowledged wildcard in the task policy makes SEC-4 failing (it was "with exceptions" before)
    expect(item('SEC-4').status).toBe('failing');
    expect(item('SEC-4').evidence.findings.map((m) => [m.finding.ruleId, m.via]).sort()).toEqual([
      ['AwsSolutions-IAM5[Resource::*]', 'rule family IAM'],
      ['HIPAA.Security-IAMNoInlinePolicy', 'rule family IAM'],
      ['NIST.800.53.R5-IAMNoInlinePolicy', 'rule family IAM'],
      ['PCI.DSS.321-IAMNoInlinePolicy', 'rule family IAM'],
    ]);
    expect(item('WORK-3').status).toBe('failing');
    // AND every finding fails at least one item
    const failing = synth.report.items.filter((i) => i.status === 'failing');
    for (const f of open) {
      expect({ rule: f.ruleId, failing: failing.some((i) => i.evidence.findings.some((m) => m.finding === f) || i.evidence.rules.some((r) => r.violations.includes(f))) }).toEqual({
        rule: f.ruleId,
        failing: true,
      });
    }
  });

  test('REPORT: construct paths are full everywhere: acknowledgments carry the stage prefix that findings and rule evidence use', () => {
    // THEN
    const stage = synth.config.stage;
    for (const a of synth.report.acknowledgments) expect(a.path.startsWith(`${stage}/`)).toBe(true);
    const acknowledgedAt = new Set(synth.report.packs.flatMap((p) => p.acknowledged.map((f) => f.acknowledgment!.acknowledgedAt)));
    for (const a of synth.report.acknowledgments.filter((x) => x.matchedFindings > 0)) expect(acknowledgedAt.has(a.path)).toBe(true);
    for (const f of open) for (const r of f.resources) expect(r.constructPath.startsWith(`${stage}/`)).toBe(true);
  });

  test('REPORT: a failing finding points at the source line that created its resource, or says that none is known, never a made-up line', () => {
    // THEN
    for (const r of open.flatMap((f) => f.resources)) {
      if (r.location) expect(r.location.file).toMatch(/^(lib|bin)\//);
      else expect(r.locationUnknown).toMatch(/^no source line known/);
      expect(r.location).not.toEqual(expect.objectContaining({ file: 'bin/app.ts', line: 1 }));
    }
    const work3 = open.find((f) => f.ruleId === 'McpPerimeter-WORK3')!.resources[0];
    expect(work3.location?.file).toBe('lib/constructs/service/mcp-service.ts');
  });

  test('REPORT: the report.sarif of the kit is valid SARIF 2.1.0; each driver has its version (cdk-nag for its packs, the kit for McpPerimeter) and each suppression its owner, reason and review-by date', () => {
    // GIVEN
    const sarif = JSON.parse(readFileSync(synth.files.sarif, 'utf8')) as SarifLog;
    const nag = (JSON.parse(readFileSync(require.resolve('cdk-nag/package.json'), 'utf8')) as { version: string }).version;
    const kit = (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
    // THEN
    expect(sarif).toBeValidSarifLog();
    expect(Object.fromEntries(sarif.runs.map((r) => [r.tool.driver.name, r.tool.driver.version]))).toEqual({
      AwsSolutions: nag,
      'NIST.800.53.R5': nag,
      'HIPAA.Security': nag,
      'PCI.DSS.321': nag,
      Serverless: nag,
      McpPerimeter: kit,
    });
    const suppressions = sarif.runs.flatMap((r) => r.results.flatMap((x) => x.suppressions ?? []));
    expect(suppressions.length).toBeGreaterThan(0);
    for (const s of suppressions) {
      expect(s.justification).toMatch(/^[A-Z]+-\d+: /);
      expect(s.properties).toEqual(expect.objectContaining({ owner: expect.any(String), reviewBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), checklistItem: expect.any(String) }));
    }
  });
});
