/**
 * The report's findings as SARIF 2.1.0, for code-scanning tools (GitHub code scanning and others): one
 * run per pack; one result per finding and resource, located on the repository line that created the
 * resource (or, when no repository line is known, only by its construct path, and the message says so);
 * acknowledged findings carry an external suppression with the acknowledgment's reason as justification
 * and its owner, review-by date and checklist item as properties. Each driver carries its version.
 */
import { createHash } from 'node:crypto';
import type { AuditReport, Finding, FindingResource, ItemReport, PackReport } from './model';

/** The SARIF version written. */
export const SARIF_VERSION = '2.1.0';
/** The SARIF 2.1.0 JSON schema. */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A SARIF log, the subset this module writes. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: string;
  readonly runs: readonly SarifRun[];
  /** The checklist items' statuses, and the legend that explains them (the same as report.json's). */
  readonly properties: {
    readonly checklistStatuses: Readonly<Record<string, string>>;
    readonly statusLegend: Readonly<Record<string, string>>;
  };
}

/** One run: one pack. */
export interface SarifRun {
  readonly tool: { readonly driver: SarifDriver };
  readonly automationDetails: { readonly id: string };
  readonly columnKind: 'utf16CodeUnits';
  readonly results: readonly SarifResult[];
  readonly properties: { readonly conclusion: string };
}

/** The tool of a run. */
export interface SarifDriver {
  readonly name: string;
  /** The pack's version: cdk-nag's for cdk-nag's packs, the kit's for the kit's pack. Absent when unknown. */
  readonly version?: string;
  readonly informationUri: string;
  readonly rules: readonly SarifRule[];
}

/** A rule of a driver. */
export interface SarifRule {
  readonly id: string;
  readonly shortDescription: { readonly text: string };
  readonly properties: { readonly checklistItems: readonly string[] };
}

/** One result: one finding on one resource. */
export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: 'error' | 'warning' | 'note';
  readonly message: { readonly text: string };
  readonly locations: readonly SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly suppressions?: readonly SarifSuppression[];
}

/** An acknowledgment, as SARIF suppression. */
export interface SarifSuppression {
  readonly kind: 'external';
  readonly status: 'accepted';
  /** The acknowledgment's reason. */
  readonly justification: string;
  /** Who answers for it, when to review it, the checklist item, and where it was made. */
  readonly properties: { readonly owner?: string; readonly reviewBy?: string; readonly checklistItem?: string; readonly acknowledgedAt: string; readonly acknowledgmentId: string };
}

/** Where a result is. */
export interface SarifLocation {
  /** Absent when no repository line is known to have created the resource. */
  readonly physicalLocation?: {
    readonly artifactLocation: { readonly uri: string; readonly uriBaseId: '%SRCROOT%' };
    readonly region: { readonly startLine: number; readonly startColumn?: number };
  };
  readonly logicalLocations: readonly { readonly fullyQualifiedName: string; readonly kind: 'resource' }[];
}

/** Options of the SARIF rendering. */
export interface SarifOptions {
  /** Where the report's readers find more about the kit. @default 'https://github.com/aws/aws-cdk' */
  readonly informationUri?: string;
}

const LEVELS: Record<string, SarifResult['level']> = { fatal: 'error', error: 'error', warning: 'warning', info: 'note' };

function baseRuleId(ruleId: string): string {
  const at = ruleId.indexOf('[');
  return at === -1 ? ruleId : ruleId.slice(0, at);
}

function itemsOfRule(ruleId: string, items: readonly ItemReport[]): string[] {
  return items.filter((i) => i.evidence.rules.some((r) => r.ruleId === baseRuleId(ruleId) || r.ruleId === ruleId)).map((i) => i.id);
}

function location(resource: FindingResource): SarifLocation {
  const loc = resource.location;
  return {
    ...(loc
      ? {
          physicalLocation: {
            artifactLocation: { uri: loc.file, uriBaseId: '%SRCROOT%' as const },
            region: { startLine: loc.line, ...(loc.column ? { startColumn: loc.column } : {}) },
          },
        }
      : {}),
    logicalLocations: [{ fullyQualifiedName: resource.constructPath, kind: 'resource' }],
  };
}

function fingerprint(pack: string, ruleId: string, constructPath: string): string {
  return createHash('sha256').update(`${pack}\u0000${ruleId}\u0000${constructPath}`).digest('hex').slice(0, 32);
}

function run(pack: PackReport, items: readonly ItemReport[], options: Required<SarifOptions>): SarifRun {
  const findings: Finding[] = [...pack.violations, ...pack.acknowledged];
  const ruleIds = [...new Set([...findings.map((f) => f.ruleId), ...(pack.compliant ?? []).map((c) => c.ruleId)])].sort();
  const descriptions = new Map(findings.map((f) => [f.ruleId, f.description]));
  const rules: SarifRule[] = ruleIds.map((id) => ({
    id,
    shortDescription: { text: descriptions.get(id) || `${id} (checked, compliant everywhere)` },
    properties: { checklistItems: itemsOfRule(id, items) },
  }));
  const results: SarifResult[] = findings.flatMap((f) =>
    f.resources.map((resource) => {
      const about = itemsOfRule(f.ruleId, items).length ? ` [checklist ${itemsOfRule(f.ruleId, items).join(', ')}]` : '';
      return {
        ruleId: f.ruleId,
        ruleIndex: ruleIds.indexOf(f.ruleId),
        level: LEVELS[f.severity] ?? 'warning',
        message: { text: `${f.description} (${resource.constructPath})${about}${resource.location ? '' : ` [${resource.locationUnknown ?? 'no source line known'}]`}` },
        locations: [location(resource)],
        partialFingerprints: { 'mcpPerimeterFinding/v1': fingerprint(pack.name, f.ruleId, resource.constructPath) },
        ...(f.acknowledgment
          ? {
              suppressions: [
                {
                  kind: 'external' as const,
                  status: 'accepted' as const,
                  justification: f.acknowledgment.reason,
                  properties: {
                    ...(f.acknowledgment.owner ? { owner: f.acknowledgment.owner } : {}),
                    ...(f.acknowledgment.reviewBy ? { reviewBy: f.acknowledgment.reviewBy } : {}),
                    ...(f.acknowledgment.item ? { checklistItem: f.acknowledgment.item } : {}),
                    acknowledgedAt: f.acknowledgment.acknowledgedAt,
                    acknowledgmentId: f.acknowledgment.id,
                  },
                },
              ],
            }
          : {}),
      };
    }),
  );
  return {
    tool: { driver: { name: pack.name, ...(pack.version ? { version: pack.version } : {}), informationUri: options.informationUri, rules } },
    automationDetails: { id: `mcp-perimeter/${pack.name.replace(/\s+/g, '-')}/` },
    columnKind: 'utf16CodeUnits',
    results,
    properties: { conclusion: pack.conclusion },
  };
}

/** The report as a SARIF 2.1.0 log. */
export function toSarif(report: AuditReport, options: SarifOptions = {}): SarifLog {
  const resolved: Required<SarifOptions> = {
    informationUri: options.informationUri ?? 'https://github.com/aws/aws-cdk',
  };
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: report.packs.map((p) => run(p, report.items, resolved)),
    properties: { checklistStatuses: Object.fromEntries(report.items.map((i) => [i.id, i.status])), statusLegend: report.legend },
  };
}
