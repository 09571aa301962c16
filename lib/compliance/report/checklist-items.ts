/**
 * The checklist (lib/compliance/checklist.ts) as the report reads it: each item's evidence, with the CI
 * step ids turned into the command text that must appear in what CI runs.
 */
import { CHECKLIST, CHECKLIST_SECTIONS, ChecklistItem, CiStep } from '../checklist';
import type { AuditedItem } from './audit-report';

/** The text that shows CI runs a step (found in `.ci/run`, the npm scripts it calls, or the `scripts/` files those call). */
export const CI_STEP_COMMANDS: Readonly<Record<CiStep, string>> = {
  'npm-audit': 'npm audit --omit=dev --audit-level=',
  secretlint: 'secretlint',
  lockfile: 'scripts/check-lockfile.ts',
  'no-default-credentials': 'scripts/check-default-credentials.ts',
};

/** One checklist item as the report reads it. */
export function auditedItem(item: ChecklistItem): AuditedItem {
  return {
    id: item.id,
    section: item.section,
    text: item.text,
    seeds: item.seeds,
    evidenceKinds: item.kinds,
    rules: item.evidence.rules,
    tests: item.evidence.tests,
    ci: item.evidence.ci.map((step) => CI_STEP_COMMANDS[step]),
    docs: item.evidence.docs,
  };
}

/** The whole checklist, in order. */
export function auditedChecklist(): AuditedItem[] {
  return CHECKLIST.map(auditedItem);
}

/** Section titles by id: `TLS — encryption in transit`. */
export function checklistSectionTitles(): Record<string, string> {
  return Object.fromEntries(CHECKLIST_SECTIONS.map((s) => [s.id, `${s.id} — ${s.title}`]));
}
