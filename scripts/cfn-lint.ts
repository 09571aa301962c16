/**
 * An independent template linter: cfn-lint (AWS's CloudFormation linter, `pip install cfn-lint`) over
 * every synthesized template of the embedded default and of every preset. Any error fails; warnings are
 * printed. Run by the test suite (test/scripts/cfn-lint.test.ts) and by hand:
 *
 *   node -r esbuild-register scripts/cfn-lint.ts            # synthesize the default and every preset, lint
 *   node -r esbuild-register scripts/cfn-lint.ts cdk.out    # lint an existing cloud assembly
 *
 * cfn-lint is a Python tool with no npm package; it is spawned, and its JSON output is read.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../lib/config';
import { presetNames } from '../lib/config/presets';
import { PerimeterStage } from '../lib/stage';

/** One cfn-lint finding (its `--format json` shape, the fields used). */
export interface CfnLintFinding {
  readonly Filename: string;
  readonly Level: 'Error' | 'Warning' | 'Informational' | string;
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location: { readonly Path: ReadonlyArray<string | number>; readonly Start: { readonly LineNumber: number } };
}

/**
 * The findings ignored, exactly: cfn-lint's resource schemas predate CloudFormation's 2026 `Tags`
 * properties on these three types (CloudFormation accepts them, and CDK's tag aspect writes them), so it
 * reports `Tags` on them as an unexpected property (E3002). Nothing else of E3002, and no other property.
 */
export const TAGS_SCHEMA_LAG_TYPES: readonly string[] = [
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::ListenerRule',
  'AWS::ApplicationAutoScaling::ScalableTarget',
];

/** Whether a finding is the known schema lag above: E3002, `'Tags' was unexpected`, on one of the three types. */
export function isKnownFalsePositive(finding: CfnLintFinding, template: { Resources?: Record<string, { Type: string }> }): boolean {
  const [section, logicalId, properties, property] = finding.Location.Path;
  if (finding.Rule.Id !== 'E3002' || section !== 'Resources' || properties !== 'Properties') return false;
  if (!/\('Tags' was unexpected\)/.test(finding.Message)) return false;
  if (property !== undefined && property !== 'Tags') return false;
  const type = template.Resources?.[String(logicalId)]?.Type;
  return type !== undefined && TAGS_SCHEMA_LAG_TYPES.includes(type);
}

/** Every `*.template.json` under `dir` (nested assemblies included). */
export function findTemplates(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry.startsWith('asset.') ? [] : findTemplates(path);
    return entry.endsWith('.template.json') ? [path] : [];
  });
}

/** Raised when cfn-lint cannot run; the message says how to install it. */
export class CfnLintMissingError extends Error {
  constructor(detail: string) {
    super(`cfn-lint is not installed or cannot run (${detail}): install it with \`pip install cfn-lint\` (Python 3.9+), then check \`cfn-lint --version\``);
    this.name = 'CfnLintMissingError';
  }
}

/**
 * Runs cfn-lint once over `templates` and returns its findings.
 * @throws CfnLintMissingError when the executable is missing or its output is not JSON
 */
export function runCfnLint(templates: readonly string[], executable = 'cfn-lint'): CfnLintFinding[] {
  if (templates.length === 0) return [];
  const run = spawnSync(executable, ['--format', 'json', '--', ...templates], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw new CfnLintMissingError((run.error as NodeJS.ErrnoException).code ?? run.error.message);
  // Exit codes: 0 clean, otherwise a bit mask of error/warning/info levels (2, 4, 8); 1 is cfn-lint failing.
  if (run.status === 1 || run.stdout.trim() === '') {
    if (run.status === 0) return [];
    throw new CfnLintMissingError(`exit ${run.status}: ${(run.stderr || run.stdout).trim().slice(0, 500)}`);
  }
  return JSON.parse(run.stdout) as CfnLintFinding[];
}

/** What a lint found, split. */
export interface LintResult {
  readonly templates: readonly string[];
  /** Errors not ignored: any fails. */
  readonly errors: readonly CfnLintFinding[];
  /** The known false positives, ignored. */
  readonly ignored: readonly CfnLintFinding[];
  /** Warnings and informational findings (printed, never failing). */
  readonly warnings: readonly CfnLintFinding[];
}

/** Lints templates and splits the findings. */
export function lintTemplates(templates: readonly string[], executable?: string): LintResult {
  const findings = runCfnLint(templates, executable);
  const parsed = new Map<string, { Resources?: Record<string, { Type: string }> }>();
  const templateOf = (file: string) => {
    const path = resolve(file);
    if (!parsed.has(path)) parsed.set(path, JSON.parse(readFileSync(path, 'utf8')));
    return parsed.get(path)!;
  };
  const errors: CfnLintFinding[] = [];
  const ignored: CfnLintFinding[] = [];
  const warnings: CfnLintFinding[] = [];
  for (const f of findings) {
    if (f.Level !== 'Error') warnings.push(f);
    else if (isKnownFalsePositive(f, templateOf(f.Filename))) ignored.push(f);
    else errors.push(f);
  }
  return { templates, errors, ignored, warnings };
}

/** One line per finding: `file:line rule message`. */
export function formatFinding(f: CfnLintFinding): string {
  return `${f.Filename}:${f.Location.Start.LineNumber} ${f.Rule.Id} ${f.Message} (${f.Location.Path.join('/')})`;
}

/** The cdk.json context (feature flags), so the synthesized templates are the ones `cdk synth` writes. */
function cdkContext(repoRoot: string): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/**
 * Synthesizes the embedded default and every preset, each into `<outdir>/<name>`, without asset bundling
 * (the templates are the same; only asset hashes differ). Returns the assembly directories by name.
 */
export function synthesizeConfigs(outdir: string, repoRoot = join(__dirname, '..')): Record<string, string> {
  const dirs: Record<string, string> = {};
  for (const preset of [undefined, ...presetNames()]) {
    const name = preset ?? 'default';
    const config = loadConfig({ preset });
    const app = new App({ outdir: join(outdir, name), context: { ...cdkContext(repoRoot), 'aws:cdk:bundling-stacks': [] } });
    new PerimeterStage(app, config.stage, { config, env: { account: config.env.account, region: config.env.region } });
    dirs[name] = app.synth().directory;
  }
  return dirs;
}

function main(args: string[]): number {
  const dirs = args.length > 0 ? args : Object.values(synthesizeConfigs(mkdtempSync(join(tmpdir(), 'cfn-lint-'))));
  const templates = dirs.flatMap((d) => {
    if (!existsSync(d)) throw new Error(`no cloud assembly at ${d}: run \`npm run synth\` first, or give no argument to synthesize`);
    return findTemplates(d);
  });
  const result = lintTemplates(templates);
  for (const w of result.warnings) process.stdout.write(`warning ${formatFinding(w)}\n`);
  process.stdout.write(`cfn-lint: ${templates.length} templates, ${result.errors.length} errors, ${result.warnings.length} warnings, ${result.ignored.length} ignored (Tags on ${TAGS_SCHEMA_LAG_TYPES.join(', ')}: cfn-lint's schemas predate them)\n`);
  for (const e of result.errors) process.stderr.write(`error ${formatFinding(e)}\n`);
  return result.errors.length > 0 ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
