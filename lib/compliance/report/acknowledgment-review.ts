/**
 * Keeps exceptions from rotting: every acknowledgment must name a checklist item that exists (and say so
 * in its reason), have an owner, a valid review-by date that is neither past nor more than a year out, use
 * a namespaced id (`<pack>::<rule>`, so the finding stays visible in the validation report), and match a
 * finding the synthesis actually acknowledged (cdk-nag 3 silently accepts a typo or a finding since fixed).
 */
import type { AuditedAcknowledgment } from './audit-report';
import type { ValidationReport } from './validation-report';

/** What the review needs besides the acknowledgments. */
export interface AcknowledgmentReviewContext {
  /** The ids of the checklist items. */
  readonly itemIds: readonly string[];
  /** Validation reports of the syntheses the acknowledgments apply to (default app, presets). */
  readonly validationReports: readonly ValidationReport[];
  /** Today. @default new Date() */
  readonly now?: Date;
}

/** Whether a suppressed finding of a validation report was acknowledged by `ack`. */
export function acknowledges(ack: AuditedAcknowledgment, finding: { acknowledgedId: string; acknowledgedAt: string }): boolean {
  return finding.acknowledgedId === ack.id && (finding.acknowledgedAt === ack.path || finding.acknowledgedAt.endsWith(`/${ack.path}`));
}

/** The problems of each acknowledgment, one line each naming it; empty when all hold. */
export function acknowledgmentProblems(acks: readonly AuditedAcknowledgment[], context: AcknowledgmentReviewContext): string[] {
  const now = context.now ?? new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const suppressed = context.validationReports.flatMap((r) => r.pluginReports.flatMap((p) => p.suppressedViolations ?? []));
  const problems: string[] = [];
  for (const ack of acks) {
    const name = `acknowledgment ${ack.id} on ${ack.path}`;
    if (!context.itemIds.includes(ack.item)) problems.push(`${name}: item must be a checklist item id, got '${ack.item}'`);
    if (!ack.reason.includes(ack.item)) problems.push(`${name}: reason must name its item ${ack.item}, got '${ack.reason}'`);
    if (!/^[^:\s]+::\S+/.test(ack.id)) problems.push(`${name}: id must be namespaced '<pack>::<rule>' so the finding stays in the report`);
    if (ack.owner.trim().length === 0) problems.push(`${name}: owner must not be empty`);
    const review = /^\d{4}-\d{2}-\d{2}$/.test(ack.reviewBy) ? Date.parse(`${ack.reviewBy}T00:00:00Z`) : NaN;
    if (Number.isNaN(review)) problems.push(`${name}: reviewBy must be an ISO date YYYY-MM-DD, got '${ack.reviewBy}'`);
    else if (review < today) problems.push(`${name}: expired, reviewBy ${ack.reviewBy} is past: review it and set a new date`);
    else if (review > Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), now.getUTCDate())) problems.push(`${name}: reviewBy ${ack.reviewBy} is more than a year out: at most one year`);
    if (!suppressed.some((f) => acknowledges(ack, f))) {
      problems.push(`${name}: matches no finding in the validation report (a typo, or a finding since fixed): remove or correct it`);
    }
  }
  return problems;
}
