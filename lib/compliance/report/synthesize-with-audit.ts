/**
 * The main synth command's entry point: registers the packs (each wrapped in `AuditedValidation`),
 * synthesizes, and writes the auditor report into `<outdir>/audit/` whatever happens, then rethrows a
 * synthesis failure (a validation failure included) so the command still fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { PerimeterConfig } from '../../config';
import { acknowledgmentsFor } from '../acknowledgments';
import { AuditedValidation, ValidationPlugin } from '../audited-validation';
import { compliancePacks } from '../packs';
import { AuditedAcknowledgment, AuditedItem, buildAuditReport } from './audit-report';
import { auditedChecklist, checklistSectionTitles } from './checklist-items';
import { findCiStep, readCiSources } from './ci-catalog';
import type { AuditReport } from './model';
import { catalogChecklistTests } from './test-catalog';
import { readValidationReport, VALIDATION_REPORT_FILE } from './validation-report';
import { AuditReportFiles, writeAuditReport } from './write';

/** Options of `synthesizeWithAudit`. */
export interface SynthesizeWithAuditOptions {
  /** The repository root: test files, the CI script and documents are read from it; locations are relative to it. */
  readonly repoRoot: string;
  /** The app's validated config: its acknowledgments (`acknowledgmentsFor(config)`) are the ones reported. @default - none */
  readonly config?: PerimeterConfig;
  /** The acknowledgments applied to the app. @default - `acknowledgmentsFor(config)`, or none without a config */
  readonly acknowledgments?: readonly AuditedAcknowledgment[];
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

function toolOf(repoRoot: string): { name: string; version: string } {
  const file = join(repoRoot, 'package.json');
  if (!existsSync(file)) return { name: 'mcp-perimeter', version: '0.0.0' };
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
  return { name: pkg.name ?? 'mcp-perimeter', version: pkg.version ?? '0.0.0' };
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

/**
 * Registers `packs`, synthesizes `app`, writes the auditor report (report.json, .md, .sarif, .html) and
 * returns it. When synthesis fails, the report is written first (items whose rules have unacknowledged
 * violations are `failing`), then an `AuditedSynthesisError` carrying the original error is thrown.
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
  const ci = readCiSources(options.repoRoot, options.ciEntry);
  const failedByReport = validationReport?.pluginReports.some((p) => p.conclusion === 'failure') ?? false;
  const unacknowledgedErrors = (validationReport?.pluginReports ?? [])
    .flatMap((p) => p.violations)
    .filter((v) => v.severity === 'error' || v.severity === 'fatal')
    .reduce((n, v) => n + v.violatingConstructs.length, 0);
  const report = buildAuditReport({
    checklist: options.checklist ?? auditedChecklist(),
    sectionTitles: options.sectionTitles ?? (options.checklist ? undefined : checklistSectionTitles()),
    validationReport,
    validationReportFile: validationReport ? VALIDATION_REPORT_FILE : undefined,
    packs: plugins.map((p) => ({ name: p.name, ruleIds: p.ruleIds, observesCompliance: p.observesCompliance, ran: p.hasRun })),
    compliant: plugins.flatMap((p) => p.compliantResults),
    acknowledgments,
    tests: catalogChecklistTests(options.repoRoot),
    findCiStep: (step) => findCiStep(step, ci),
    docExists: (link) => documentExists(options.repoRoot, link),
    repoRoot: options.repoRoot,
    synthesis:
      failure !== undefined
        ? { outcome: 'failed', error: summaryOf(failure, unacknowledgedErrors) }
        : failedByReport
          ? { outcome: 'failed', error: 'validation failed: see the unacknowledged findings' }
          : { outcome: 'succeeded' },
    tool: toolOf(options.repoRoot),
  });
  const files = writeAuditReport(report, options.auditDir ?? join(outdir, 'audit'));
  if (failure !== undefined) throw new AuditedSynthesisError(failure, report, files);
  return { assembly: assembly!, report, files };
}
