/**
 * CI's independent template linter: cfn-lint over every synthesized template of the default and of
 * every preset (scripts/cfn-lint.ts). `.ci/run` runs only the README's commands, so it runs here, in
 * `npm test`; a machine without cfn-lint fails this test with the install command, never skips it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presetNames } from '../../lib/config/presets';
import {
  CfnLintFinding, formatFinding, isKnownFalsePositive, lintTemplates, LintResult, runCfnLint, TAGS_SCHEMA_LAG_TYPES,
} from '../../scripts/cfn-lint';
import { auditedStage, STACKS } from '../fixtures/shared-synth';
import { testConfig } from '../fixtures/test-app';
import { presetConfig } from '../presets/preset-harness';

let result: LintResult;

beforeAll(() => {
  // The run's shared syntheses of the default and of every preset (test/fixtures/shared-synth.ts), written
  // out as template files: `npm run cfn-lint` synthesizes the same configs itself when run by hand.
  const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-test-'));
  const configs = { default: testConfig(), ...Object.fromEntries(presetNames().map((name) => [name, presetConfig(name)])) };
  const files = Object.entries(configs).flatMap(([name, config]) => {
    const { templates } = auditedStage(config);
    return STACKS.map((stack) => {
      const file = join(dir, `${name}-${stack}.template.json`);
      writeFileSync(file, JSON.stringify(templates[stack].toJSON(), undefined, 1));
      return file;
    });
  });
  result = lintTemplates(files);
}, 600_000);

test('cfn-lint finds no error in any template of the default or of any preset', () => {
  expect(result.templates.length).toBe(5 * (1 + presetNames().length));
  expect(result.errors.map(formatFinding)).toEqual([]);
});

test('only Tags on listeners, listener rules and scalable targets are ignored', () => {
  for (const f of result.ignored) {
    expect(f.Rule.Id).toBe('E3002');
    expect(f.Message).toContain("'Tags' was unexpected");
  }
});

const finding = (path: string[], message = "Additional properties are not allowed ('Tags' was unexpected)", rule = 'E3002'): CfnLintFinding => ({
  Filename: 't.json', Level: 'Error', Message: message, Rule: { Id: rule }, Location: { Path: path, Start: { LineNumber: 1 } },
});
const templateWith = (type: string) => ({ Resources: { R: { Type: type } } });

test('the ignore is exact: the three types with Tags only', () => {
  for (const type of TAGS_SCHEMA_LAG_TYPES) expect(isKnownFalsePositive(finding(['Resources', 'R', 'Properties', 'Tags']), templateWith(type))).toBe(true);
  // Tags on another type, another property on a listed type, another rule: all still errors.
  expect(isKnownFalsePositive(finding(['Resources', 'R', 'Properties', 'Tags']), templateWith('AWS::ElasticLoadBalancingV2::TargetGroup'))).toBe(false);
  expect(isKnownFalsePositive(finding(['Resources', 'R', 'Properties'], "Additional properties are not allowed ('Foo' was unexpected)"), templateWith('AWS::ElasticLoadBalancingV2::Listener'))).toBe(false);
  expect(isKnownFalsePositive(finding(['Resources', 'R', 'Properties', 'Tags'], "'Tags' was unexpected", 'E3012'), templateWith('AWS::ElasticLoadBalancingV2::Listener'))).toBe(false);
});

test('a machine without cfn-lint fails with the install command', () => {
  expect(() => runCfnLint(['x.template.json'], 'cfn-lint-not-installed-here')).toThrow(/pip install cfn-lint/);
});
