import { Lazy, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { MCP_PERIMETER_RULE_IDS, McpPerimeterChecks } from '../../lib/compliance/mcp-perimeter-checks';
import { checkPerimeter, nagStack } from './rules/nag-harness';

test('the pack runs exactly these rules (a dropped or renamed rule fails here)', () => {
  expect(MCP_PERIMETER_RULE_IDS).toEqual([
    'McpPerimeter-TLS1', 'McpPerimeter-TLS2', 'McpPerimeter-TLS3', 'McpPerimeter-TLS4',
    'McpPerimeter-EDGE1', 'McpPerimeter-EDGE2', 'McpPerimeter-EDGE3', 'McpPerimeter-EDGE4', 'McpPerimeter-EDGE5', 'McpPerimeter-EDGE6',
    'McpPerimeter-AUTH1', 'McpPerimeter-AUTH7',
    'McpPerimeter-SEC1', 'McpPerimeter-SEC2', 'McpPerimeter-SEC4',
    'McpPerimeter-AUDIT3', 'McpPerimeter-AUDIT4', 'McpPerimeter-AUDIT5',
    'McpPerimeter-NET1', 'McpPerimeter-NET2', 'McpPerimeter-NET3', 'McpPerimeter-NET4',
    'McpPerimeter-WORK1', 'McpPerimeter-WORK3',
  ]);
  expect(new McpPerimeterChecks().ruleIds).toEqual(MCP_PERIMETER_RULE_IDS);
  expect(new McpPerimeterChecks().name).toBe('McpPerimeter');
});

test('the pack records compliant and non-compliant results with the checklist item, and no inapplicable ones', () => {
  // GIVEN
  const stack = nagStack();
  new kms.Key(stack, 'Rotating', { enableKeyRotation: true });
  new kms.Key(stack, 'Fixed', { enableKeyRotation: false });
  // WHEN
  const run = checkPerimeter(stack);
  // THEN
  const sec2 = run.results.filter((r) => r.ruleId === 'McpPerimeter-SEC2');
  expect(sec2).toEqual([
    { ruleId: 'McpPerimeter-SEC2', item: 'SEC-2', constructPath: 'Test/Rotating/Resource', resourceType: 'AWS::KMS::Key', compliance: 'compliant', findings: [] },
    { ruleId: 'McpPerimeter-SEC2', item: 'SEC-2', constructPath: 'Test/Fixed/Resource', resourceType: 'AWS::KMS::Key', compliance: 'non-compliant', findings: ['EnableKeyRotation'] },
  ]);
  expect(run.results.filter((r) => r.ruleId === 'McpPerimeter-TLS1')).toEqual([]);
  expect(run.violationsOf('McpPerimeter-SEC2')).toEqual(['Test/Fixed/Resource[EnableKeyRotation]']);
});

test('an acknowledged finding leaves the violations for the validation report\'s acknowledged list, and stays non-compliant in results', () => {
  // GIVEN
  const stack = nagStack();
  const key = new kms.Key(stack, 'Fixed', { enableKeyRotation: false });
  Validations.of(key).acknowledge({ id: 'McpPerimeter::McpPerimeter-SEC2[EnableKeyRotation]', reason: 'SEC-2: test of the acknowledgment path' });
  // WHEN
  const run = checkPerimeter(stack);
  // THEN
  expect(run.violationsOf('McpPerimeter-SEC2')).toEqual([]);
  expect(run.acknowledged).toEqual([{ ruleId: 'McpPerimeter-SEC2', finding: 'EnableKeyRotation', path: 'Test/Fixed/Resource' }]);
  expect(run.results.find((r) => r.ruleId === 'McpPerimeter-SEC2')?.compliance).toBe('non-compliant');
});

test('each validation starts a fresh record of results', () => {
  // GIVEN
  const stack = nagStack();
  new kms.Key(stack, 'Rotating', { enableKeyRotation: true });
  const pack = new McpPerimeterChecks();
  // WHEN
  pack.validateScope(stack);
  const first = pack.results.length;
  pack.validateScope(stack);
  // THEN
  expect(first).toBeGreaterThan(0);
  expect(pack.results.length).toBe(first);
});

test('a rule that throws is recorded as an error and reported as a violation', () => {
  // GIVEN: a key with a property that cannot be resolved
  const stack = nagStack();
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  (key.node.defaultChild as kms.CfnKey).addPropertyOverride('Description', Lazy.string({ produce: () => { throw new Error('unresolvable'); } }));
  const pack = new McpPerimeterChecks();
  // WHEN
  const report = pack.validateScope(stack);
  // THEN
  expect(pack.results.find((r) => r.ruleId === 'McpPerimeter-SEC2')).toMatchObject({ compliance: 'error', error: expect.stringMatching(/unresolvable/) });
  expect(report.violations.find((v) => v.ruleName === 'McpPerimeter-SEC2')?.description).toMatch(/Rule threw an error/);
});
