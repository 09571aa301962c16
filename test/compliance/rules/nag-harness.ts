/**
 * Runs the McpPerimeter pack the way the app does (a validation plugin, `app.synth()`) and reads its
 * findings from the cloud assembly's validation report; the pack's `results` tell what was found
 * compliant.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { McpPerimeterChecks, McpPerimeterResult } from '../../../lib/compliance/mcp-perimeter-checks';
import { TEST_ENV, testApp } from '../../fixtures/test-app';

/** One violation of the validation report. */
export interface NagViolation {
  /** The rule id without its finding, e.g. `McpPerimeter-TLS1`. */
  readonly ruleId: string;
  /** The finding, e.g. `SslPolicy::ELBSecurityPolicy-2016-08`. @default - none */
  readonly finding?: string;
  /** The construct path of the violating resource. */
  readonly path: string;
}

/** What one validation found. */
export interface NagRun {
  /** The McpPerimeter violations that were not acknowledged. */
  readonly violations: readonly NagViolation[];
  /** The McpPerimeter violations that were acknowledged. */
  readonly acknowledged: readonly NagViolation[];
  /** Every applicable rule evaluation the pack recorded. */
  readonly results: readonly McpPerimeterResult[];
  /** The violations of `ruleId` as `path` or `path[finding]`. */
  violationsOf(ruleId: string): string[];
  /** The resources `ruleId` found compliant. */
  compliantOf(ruleId: string): string[];
}

interface ReportViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
  readonly violatingConstructs: ReadonlyArray<{ readonly constructPath: string }>;
}

interface ValidationReport {
  readonly pluginReports: ReadonlyArray<{
    readonly pluginName: string;
    readonly violations: readonly ReportViolation[];
    readonly suppressedViolations?: readonly ReportViolation[];
  }>;
}

const outdirs = new WeakMap<App, string>();

/** A stack in a fresh test app (cdk.json context, no bundling) whose cloud assembly goes to a temporary folder. */
export function nagStack(id = 'Test', props: StackProps = {}): Stack {
  const outdir = mkdtempSync(join(tmpdir(), 'mcp-perimeter-nag-'));
  const app = testApp({ bundling: false, props: { outdir } });
  outdirs.set(app, outdir);
  return new Stack(app, id, { env: TEST_ENV, ...props });
}

function flatten(violations: readonly ReportViolation[] = []): NagViolation[] {
  return violations.flatMap((v) => {
    const match = /^([^[]+)(?:\[(.*)\])?$/.exec(v.ruleName);
    const ruleId = match?.[1] ?? v.ruleName;
    const finding = match?.[2];
    return v.violatingConstructs.map((c) => ({ ruleId, path: c.constructPath, ...(finding === undefined ? {} : { finding }) }));
  });
}

/**
 * Synthesizes the app of `scope` with the McpPerimeter pack registered and returns what it found.
 * @throws when another plugin (CloudFormation's own validation) reports an error: the fixture is wrong
 */
export function checkPerimeter(scope: Stack | App): NagRun {
  const app = App.isApp(scope) ? scope : (scope.node.root as App);
  const pack = new McpPerimeterChecks(app);
  Validations.of(app).addPlugins(pack);
  const mute = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    app.synth();
  } catch (error) {
    // a failed validation throws after writing its report; anything else is the fixture's fault
    if (!existsSync(join(app.outdir, 'validation-report.json'))) throw error;
  } finally {
    mute.mockRestore();
  }
  const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  const outdir = outdirs.get(app);
  if (outdir) rmSync(outdir, { recursive: true, force: true });

  const others = report.pluginReports.filter((r) => r.pluginName !== pack.name)
    .flatMap((r) => r.violations.filter((v) => v.severity === 'error' || v.severity === 'fatal').map((v) => `${r.pluginName}: ${v.ruleName} ${v.description}`));
  if (others.length > 0) throw new Error(`the fixture is not valid CloudFormation: ${others.join('; ')}`);

  const mine = report.pluginReports.find((r) => r.pluginName === pack.name);
  const violations = flatten(mine?.violations);
  const results = [...pack.results];
  return {
    violations,
    acknowledged: flatten(mine?.suppressedViolations),
    results,
    violationsOf: (ruleId) => violations.filter((v) => v.ruleId === ruleId).map((v) => (v.finding ? `${v.path}[${v.finding}]` : v.path)),
    compliantOf: (ruleId) => results.filter((r) => r.ruleId === ruleId && r.compliance === 'compliant').map((r) => r.constructPath),
  };
}
