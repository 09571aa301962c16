/**
 * The checklist (lib/compliance/checklist.ts) as the report reads it: each item's evidence; CI steps are
 * gate ids, located through CI_GATES (ci-catalog.ts).
 */
import { CHECKLIST, CHECKLIST_SECTIONS, ChecklistItem } from '../checklist';
import type { AuditedItem } from './audit-report';

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
    ci: item.evidence.ci,
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
