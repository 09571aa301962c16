/**
 * The one-screen summary `npm run synth` (bin/app.ts) prints after every synthesis, failed or not: the
 * stacks, each pack with its open and acknowledged findings, the checklist items enforced / with
 * exceptions / documented / failing, the authorizer's decision cache, and where the reports are. It is
 * read from the auditor report (lib/compliance/report) and the config; it computes nothing of its own.
 */
import { basename, relative } from 'node:path';
import type { PerimeterConfig } from '../config';
import type { AuditReport } from './report/model';
import type { AuditReportFiles } from './report/write';

/** What the summary is made from. */
export interface SynthSummaryInput {
  readonly config: PerimeterConfig;
  readonly report: AuditReport;
  readonly files: AuditReportFiles;
  /** The stack names of the stage, in deployment order. */
  readonly stacks: readonly string[];
  /** Paths are shown relative to this folder. @default process.cwd() */
  readonly cwd?: string;
}

/** The authorizer cache as the stage synthesizes it (one credential header and a TTL above 0: on). */
export function cacheState(config: PerimeterConfig): string {
  const { credentialHeaders, cacheTtlSeconds, refreshSeconds } = config.auth;
  if (cacheTtlSeconds === 0) return `off (auth.cacheTtlSeconds 0); a revoked token is refused within ${refreshSeconds} s`;
  if (credentialHeaders.length > 1) return `off (${credentialHeaders.length} credential headers: ${credentialHeaders.join(', ')}); a revoked token is refused within ${refreshSeconds} s`;
  return `${cacheTtlSeconds} s per ${credentialHeaders[0]} header; a revoked token is refused within ${refreshSeconds + cacheTtlSeconds} s`;
}

/** `12 enforced, 4 with exceptions, …`: every status the report counts, in the report's order. */
function itemCounts(items: AuditReport['summary']['items']): string {
  const label = (status: string) => (status === 'enforced-with-exceptions' ? 'with exceptions' : status.replace(/-/g, ' '));
  const parts = Object.entries(items).filter(([status]) => status !== 'total').map(([status, n]) => `${n} ${label(status)}`);
  const unverified = items['not-verified'] ?? 0;
  return `${parts.join(', ')}${unverified > 0 ? ' (not verified: their evidence is test results; npm test writes them)' : ''}`;
}

/** The summary's lines (no trailing newline), at most one screen (~25 lines with six packs). */
export function synthSummary(input: SynthSummaryInput): string {
  const { config, report, files, stacks } = input;
  const cwd = input.cwd ?? process.cwd();
  const items = report.summary.items;
  const width = Math.max(...report.summary.packs.map((p) => p.name.length), 4);
  const lines = [
    `mcp-perimeter synth: stage ${config.stage}, ${report.synthesis.outcome}${report.synthesis.error ? ` (${report.synthesis.error})` : ''}`,
    `  stacks   ${stacks.join(', ')}`,
    `  packs    ${'name'.padEnd(width)}  open  acknowledged  conclusion`,
    ...report.summary.packs.map((p) => `           ${p.name.padEnd(width)}  ${String(p.violations).padStart(4)}  ${String(p.acknowledged).padStart(12)}  ${p.conclusion}`),
    `  items    ${items.total} checklist items: ${itemCounts(items)}`,
    `  cache    authorizer decisions: ${cacheState(config)}`,
    `  reports  ${relative(cwd, files.html) || files.html} (for auditors), and beside it ${[files.markdown, files.sarif, files.json].map((f) => basename(f)).join(', ')}`,
  ];
  return lines.join('\n');
}
