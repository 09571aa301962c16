/**
 * The main synth command's entry point: registers the packs (each wrapped in `AuditedValidation`),
 * synthesizes, and writes the auditor report into `<outdir>/audit/` whatever happens, then rethrows a
 * synthesis failure (a validation failure included) so the command still fails.
 *
 * What only the synthesis knows (the packs that ran, their compliant results, the acknowledgments, the
 * outcome) is kept in `<outdir>/audit/synthesis.json`, so that `rebuildAuditReport` (`npm run report`)
 * can write the report again later, with the test and CI gate results of the same commit, without
 * synthesizing again.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import type { PerimeterConfig } from '../../config';
import { acknowledgmentsFor } from '../acknowledgments';
import { AuditedValidation, CompliantResult, ValidationPlugin } from '../audited-validation';
import { McpPerimeterChecks } from '../mcp-perimeter-checks';
import { compliancePacks } from '../packs';
import { AuditedAcknowledgment, AuditedItem, buildAuditReport, CiStepLocation, RegisteredPack } from './audit-report';
import { auditedChecklist, checklistSectionTitles } from './checklist-items';
import { CI_GATES, CiSource, findCiStep, locateGate, readCiSources } from './ci-catalog';
import type { AuditReport } from './model';
import { GateResult, gitState, readGateResult, readTestRun, sameState, TEST_RESULTS_FILE, TestRun } from './run-results';
import { readValidationReport, VALIDATION_REPORT_FILE } from './validation-report';
import { AuditReportFiles, writeAuditReport } from './write';

/** Options of `synthesizeWithAudit`. */
export interface SynthesizeWithAuditOptions {
  /** The repository root: results, the CI script and documents are read from it; locations are relative to it. */
  readonly repoRoot: string;
  /** The app's validated config: its acknowledgments (`acknowledgmentsFor(config)`) are the ones reported, relative to its stage. @default - none */
  readonly config?: PerimeterConfig;
  /** The acknowledgments applied to the app. @default - `acknowledgmentsFor(config)`, or none without a config */
  readonly acknowledgments?: readonly AuditedAcknowledgment[];
  /** The construct path the acknowledgments' paths are relative to. @default - `config.stage`, or the app root */
  readonly acknowledgmentScope?: string;
  /** The validation plugins to register on the app (wrapped); do not register them yourself as well. @default compliancePacks(app) */
  readonly packs?: readonly ValidationPlugin[];
  /** The checklist items the report is about, in order. @default - the kit's checklist (lib/compliance/checklist.ts) */
  readonly checklist?: readonly AuditedItem[];
  /** Section titles by section id. @default - the kit's checklist sections */
  readonly sectionTitles?: Readonly<Record<string, string>>;
  /** Where the report goes. @default - `<app outdir>/audit` */
  readonly auditDir?: string;
  /** The CI entry point, relative to the repository root. @default '.ci/run' */
  readonly ciEntry?: string;
}

/** What `synthesizeWithAudit` produced. */
export interface AuditedSynthesis {
  /** The cloud assembly. */
  readonly assembly: CloudAssembly;
  /** The report written. */
  readonly report: AuditReport;
  /** The files written. */
  readonly files: AuditReportFiles;
}

/** Raised after the report is written, when synthesis failed; the report's files are attached. */
export class AuditedSynthesisError extends Error {
  constructor(
    /** The synthesis error. */
    public readonly cause: unknown,
    /** The report written despite the failure. */
    public readonly report: AuditReport,
    /** The files written. */
    public readonly files: AuditReportFiles,
  ) {
    super(`${cause instanceof Error ? cause.message : String(cause)}\nThe auditor report is in ${files.html}`);
    this.name = cause instanceof Error ? cause.name : 'AuditedSynthesisError';
  }
}

function summaryOf(error: unknown, unacknowledged: number): string {
  if (error instanceof Error && error.name === 'ValidationFailed') {
    return `ValidationFailed: ${unacknowledged} unacknowledged finding(s) with errors, listed under the unacknowledged findings`;
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0].slice(0, 500);
}

function packageOf(file: string): { name?: string; version?: string } {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }) : {};
}

function toolOf(repoRoot: string): { name: string; version: string } {
  const pkg = packageOf(join(repoRoot, 'package.json'));
  return { name: pkg.name ?? 'mcp-perimeter', version: pkg.version ?? '0.0.0' };
}

/** cdk-nag's installed version, from its package.json. */
function cdkNagVersion(): string | undefined {
  try {
    return packageOf(join(dirname(require.resolve('cdk-nag')), '..', 'package.json')).version;
  } catch {
    return undefined;
  }
}

const CDK_NAG_PACKS = [AwsSolutionsChecks, NIST80053R5Checks, HIPAASecurityChecks, PCIDSS321Checks, ServerlessChecks];

/** A pack's version: its own when it has one, cdk-nag's for cdk-nag's packs, the kit's for the kit's pack. */
function packVersion(p: AuditedValidation, kitVersion: string): string | undefined {
  if (p.version) return p.version;
  if (CDK_NAG_PACKS.some((c) => p.plugin instanceof c)) return cdkNagVersion();
  if (p.plugin instanceof McpPerimeterChecks) return kitVersion;
  return undefined;
}

/** A Markdown heading's anchor, as GitHub renders it: `## Token rotation` -> `token-rotation`. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/**
 * Whether a checklist document link resolves: a repository file, and for a Markdown file with an
 * `#anchor`, a heading with that anchor. An absolute URL cannot be checked offline and counts as found.
 */
export function documentExists(repoRoot: string, link: string): boolean {
  if (/^https?:\/\//.test(link)) return true;
  const [path, anchor] = link.split('#');
  if (!path || !existsSync(join(repoRoot, path))) return false;
  if (!anchor || !path.endsWith('.md')) return true;
  const headings = readFileSync(join(repoRoot, path), 'utf8')
    .split('\n')
    .filter((l) => /^#{1,6}\s/.test(l))
    .map((l) => headingAnchor(l.replace(/^#+\s*/, '')));
  return headings.includes(anchor.toLowerCase());
}

/** What only the synthesis knows, kept as `<auditDir>/synthesis.json` for `rebuildAuditReport`. */
export interface SynthesisRecord {
  /** The packs registered, with their versions. */
  readonly packs: readonly RegisteredPack[];
  /** What they found compliant. */
  readonly compliant: readonly CompliantResult[];
  /** The acknowledgments applied. */
  readonly acknowledgments: readonly AuditedAcknowledgment[];
  /** The construct path the acknowledgments' paths are relative to. */
  readonly acknowledgmentScope?: string;
  /** How synthesis ended. */
  readonly synthesis: { readonly outcome: 'succeeded' | 'failed'; readonly error?: string };
}

/** The record's file name inside the audit folder. */
export const SYNTHESIS_RECORD_FILE = 'synthesis.json';

/** Options of `writeReportFromRecord` and `rebuildAuditReport`. */
export interface ReportFromRecordOptions {
  /** The repository root. */
  readonly repoRoot: string;
  /** The cloud assembly directory (its validation-report.json is read). */
  readonly assemblyDir: string;
  /** Where the report goes. @default - `<assemblyDir>/audit` */
  readonly auditDir?: string;
  /** The checklist items. @default - the kit's checklist */
  readonly checklist?: readonly AuditedItem[];
  /** Section titles. @default - the kit's checklist sections (when the checklist is the kit's) */
  readonly sectionTitles?: Readonly<Record<string, string>>;
  /** The CI entry point. @default '.ci/run' */
  readonly ciEntry?: string;
  /** The clock. @default new Date() */
  readonly now?: Date;
}

/** Where CI performs a step: a gate of CI_GATES at its script's line, or (other steps) the command text anywhere CI runs. */
function ciStepLocation(step: string, sources: readonly CiSource[]): CiStepLocation {
  const gate = (CI_GATES as Record<string, (typeof CI_GATES)[keyof typeof CI_GATES] | undefined>)[step];
  if (gate) return { command: gate.command ?? gate.script, location: locateGate(gate, sources) };
  return { command: step, location: findCiStep(step, sources) };
}

/** Builds the report from a synthesis record, the validation report and the results of the same commit, and writes it. */
export function writeReportFromRecord(record: SynthesisRecord, options: ReportFromRecordOptions): { report: AuditReport; files: AuditReportFiles } {
  const { repoRoot } = options;
  const validationReport = readValidationReport(options.assemblyDir);
  const ci = readCiSources(repoRoot, options.ciEntry);
  const git = gitState(repoRoot);
  // A results file that cannot be read is no evidence: the report says so rather than failing.
  let run: TestRun | undefined;
  let unreadable: string | undefined;
  try {
    run = readTestRun(repoRoot);
  } catch (e) {
    unreadable = (e as Error).message;
  }
  const runMatches = run !== undefined && sameState(run, git);
  const testRunNote = run === undefined
    ? (unreadable ?? `no test results in ${TEST_RESULTS_FILE}`)
    : runMatches
      ? undefined
      : `the test results in ${TEST_RESULTS_FILE} are of ${run.commit === git.commit ? 'another working-tree state of this commit' : `commit ${run.commit.slice(0, 12)}`}, not of ${git.commit.slice(0, 12)}${git.dirty ? ' with its uncommitted changes' : ''}`;
  const report = buildAuditReport({
    checklist: options.checklist ?? auditedChecklist(),
    sectionTitles: options.sectionTitles ?? (options.checklist ? undefined : checklistSectionTitles()),
    validationReport,
    validationReportFile: validationReport ? VALIDATION_REPORT_FILE : undefined,
    packs: record.packs,
    compliant: record.compliant,
    acknowledgments: record.acknowledgments,
    acknowledgmentScope: record.acknowledgmentScope,
    git,
    testRun: runMatches ? run : undefined,
    testRunFile: TEST_RESULTS_FILE,
    testRunNote,
    findCiStep: (step) => ciStepLocation(step, ci),
    gateResult: (step) => {
      let r: GateResult | undefined;
      try {
        r = /^[a-z0-9-]+$/.test(step) ? readGateResult(repoRoot, step) : undefined;
      } catch {
        r = undefined; // unreadable: no result of this commit
      }
      return r && sameState(r, git) ? r : undefined;
    },
    docExists: (link) => documentExists(repoRoot, link),
    repoRoot,
    synthesis: record.synthesis,
    tool: toolOf(repoRoot),
    now: options.now,
  });
  const auditDir = options.auditDir ?? join(options.assemblyDir, 'audit');
  const files = writeAuditReport(report, auditDir);
  return { report, files };
}

/**
 * Writes the auditor report again from `<assemblyDir>/audit/synthesis.json` and the assembly's
 * validation report, with the latest test and CI gate results of the same commit (`npm run report`).
 * @throws when the assembly has no synthesis record (synthesize first)
 */
export function rebuildAuditReport(options: ReportFromRecordOptions): { report: AuditReport; files: AuditReportFiles } {
  const auditDir = options.auditDir ?? join(options.assemblyDir, 'audit');
  const file = join(auditDir, SYNTHESIS_RECORD_FILE);
  if (!existsSync(file)) throw new Error(`${file} is missing: synthesize first (npm run synth), then rebuild the report`);
  const record = JSON.parse(readFileSync(file, 'utf8')) as SynthesisRecord;
  return writeReportFromRecord(record, { ...options, auditDir });
}

/**
 * Registers `packs`, synthesizes `app`, writes the auditor report (report.json, .md, .sarif, .html, and
 * synthesis.json for a later rebuild) and returns it. When synthesis fails, the report is written first
 * (items whose rules have unacknowledged findings are `failing`), then an `AuditedSynthesisError`
 * carrying the original error is thrown.
 */
export function synthesizeWithAudit(app: App, options: SynthesizeWithAuditOptions): AuditedSynthesis {
  const plugins = AuditedValidation.wrapAll(options.packs ?? compliancePacks(app));
  const acknowledgments = options.acknowledgments ?? (options.config ? acknowledgmentsFor(options.config) : []);
  Validations.of(app).addPlugins(...plugins);

  let assembly: CloudAssembly | undefined;
  let failure: unknown;
  try {
    assembly = app.synth();
  } catch (e) {
    failure = e;
  }

  const outdir = assembly?.directory ?? app.outdir;
  const validationReport = readValidationReport(outdir);
  const failedByReport = validationReport?.pluginReports.some((p) => p.conclusion === 'failure') ?? false;
  const unacknowledgedErrors = (validationReport?.pluginReports ?? [])
    .flatMap((p) => p.violations)
    .filter((v) => v.severity === 'error' || v.severity === 'fatal')
    .reduce((n, v) => n + v.violatingConstructs.length, 0);
  const kitVersion = toolOf(options.repoRoot).version;
  const scope = options.acknowledgmentScope ?? options.config?.stage;
  const record: SynthesisRecord = {
    packs: plugins.map((p) => {
      const version = packVersion(p, kitVersion);
      return { name: p.name, ...(version ? { version } : {}), ruleIds: p.ruleIds, observesCompliance: p.observesCompliance, ran: p.hasRun };
    }),
    compliant: plugins.flatMap((p) => p.compliantResults),
    acknowledgments: acknowledgments.map(({ id, path, item, reason, owner, reviewBy }) => ({ id, path, item, reason, owner, reviewBy })),
    ...(scope ? { acknowledgmentScope: scope } : {}),
    synthesis:
      failure !== undefined
        ? { outcome: 'failed', error: summaryOf(failure, unacknowledgedErrors) }
        : failedByReport
          ? { outcome: 'failed', error: 'validation failed: see the unacknowledged findings' }
          : { outcome: 'succeeded' },
  };
  const auditDir = options.auditDir ?? join(outdir, 'audit');
  mkdirSync(auditDir, { recursive: true });
  writeFileSync(join(auditDir, SYNTHESIS_RECORD_FILE), `${JSON.stringify(record)}\n`);
  const { report, files } = writeReportFromRecord(record, {
    repoRoot: options.repoRoot,
    assemblyDir: outdir,
    auditDir,
    checklist: options.checklist,
    sectionTitles: options.sectionTitles,
    ciEntry: options.ciEntry,
  });
  if (failure !== undefined) throw new AuditedSynthesisError(failure, report, files);
  return { assembly: assembly!, report, files };
}
