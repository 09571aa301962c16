/**
 * Writes the four renderings of an auditor report into one folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHtml } from './html';
import { toMarkdown } from './markdown';
import type { AuditReport } from './model';
import { SarifOptions, toSarif } from './sarif';

/** The files written. */
export interface AuditReportFiles {
  /** `report.json`: the report itself, see model.ts and SCHEMA.md. */
  readonly json: string;
  /** `report.md`: for a pull request or a ticket. */
  readonly markdown: string;
  /** `report.sarif`: SARIF 2.1.0 for code-scanning tools. */
  readonly sarif: string;
  /** `report.html`: one self-contained page for auditors. */
  readonly html: string;
}

/** The file names inside the audit folder. */
export const AUDIT_REPORT_FILE_NAMES = { json: 'report.json', markdown: 'report.md', sarif: 'report.sarif', html: 'report.html' } as const;

/** Writes report.json, report.md, report.sarif and report.html into `dir` (created if missing). */
export function writeAuditReport(report: AuditReport, dir: string, sarif: SarifOptions = {}): AuditReportFiles {
  mkdirSync(dir, { recursive: true });
  const files: AuditReportFiles = {
    json: join(dir, AUDIT_REPORT_FILE_NAMES.json),
    markdown: join(dir, AUDIT_REPORT_FILE_NAMES.markdown),
    sarif: join(dir, AUDIT_REPORT_FILE_NAMES.sarif),
    html: join(dir, AUDIT_REPORT_FILE_NAMES.html),
  };
  writeFileSync(files.json, `${JSON.stringify(report, undefined, 2)}\n`);
  writeFileSync(files.markdown, toMarkdown(report));
  writeFileSync(files.sarif, `${JSON.stringify(toSarif(report, sarif), undefined, 2)}\n`);
  writeFileSync(files.html, toHtml(report));
  return files;
}
