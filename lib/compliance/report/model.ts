/**
 * The auditor report's schema: what `cdk.out/audit/report.json` holds. SCHEMA.md (next to this file)
 * describes every field for readers who do not read TypeScript; this file is the source of truth.
 *
 * Versioning: `schemaVersion` is semver. A new optional field is a minor bump; a removed, renamed or
 * re-typed field, or a new status value, is a major bump.
 */

/** The schema version this module writes. */
export const AUDIT_REPORT_SCHEMA_VERSION = '1.0.0';

/** The evidence kinds of the checklist. */
export type EvidenceKind = 'nag' | 'test' | 'ci' | 'doc';

/**
 * A checklist item's status.
 * - `enforced`: machine evidence (a nag rule that checked resources and found them compliant, a named test,
 *   a CI step) and no acknowledged exception.
 * - `enforced-with-exceptions`: the same, with at least one acknowledged finding (each with its reason).
 * - `documented`: no machine can check it; a document in the repository is the evidence.
 * - `failing`: an unacknowledged violation of one of its rules, declared evidence that is missing, or no evidence.
 */
export type ItemStatus = 'enforced' | 'enforced-with-exceptions' | 'documented' | 'failing';

/** Every status, in report order. */
export const ITEM_STATUSES: readonly ItemStatus[] = ['enforced', 'enforced-with-exceptions', 'documented', 'failing'];

/** A place in the repository's source: the line that created a resource or made an acknowledgment. */
export interface SourceLocation {
  /** Path relative to the repository root, with `/` separators, e.g. `lib/stacks/edge-stack.ts`. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. @default - unknown */
  readonly column?: number;
}

/** One resource a finding is about. */
export interface FindingResource {
  /** The construct path, e.g. `Prod/Edge/Api/Resource`. */
  readonly constructPath: string;
  /** The construct's fully qualified type, e.g. `aws-cdk-lib.aws_s3.CfnBucket`. @default - unknown */
  readonly constructFqn?: string;
  /** The line of the repository's code that created it. @default - unknown (no stack trace in the repository) */
  readonly location?: SourceLocation;
}

/** Why a finding is acceptable: the acknowledgment cdk-nag/CDK matched it with. */
export interface FindingAcknowledgment {
  /** The namespaced id, `<pack>::<rule>`. */
  readonly id: string;
  /** The reason given, naming the checklist item. */
  readonly reason: string;
  /** The construct path the acknowledgment was made on (it covers everything below). */
  readonly acknowledgedAt: string;
  /** The line of the repository's code that made it. @default - unknown */
  readonly location?: SourceLocation;
}

/** One rule of one pack that fired on one or more resources. */
export interface Finding {
  /** The pack (validation plugin) name. */
  readonly pack: string;
  /** The rule id, possibly with a granular finding, e.g. `AwsSolutions-IAM5[Action::s3:*]`. */
  readonly ruleId: string;
  /** What the rule says is wrong. */
  readonly description: string;
  /** `error`, `warning` (or `info`, `fatal` from other plugins), as the pack reports it. */
  readonly severity: string;
  /** The resources it fired on. */
  readonly resources: readonly FindingResource[];
  /** Present when the finding is acknowledged. @default - not acknowledged */
  readonly acknowledgment?: FindingAcknowledgment;
}

/** What one rule found compliant. */
export interface CompliantRule {
  /** The rule id, e.g. `McpPerimeter-TLS1`. */
  readonly ruleId: string;
  /** The construct paths it checked and found compliant. */
  readonly resources: readonly string[];
}

/** One pack's results over the whole app. */
export interface PackReport {
  /** The plugin name, e.g. `AwsSolutions`, `NIST.800.53.R5`, `CloudFormation Validate`. */
  readonly name: string;
  /** `success`: no unacknowledged error; `failure`: at least one; `not-run`: validation never ran (synthesis failed before it). */
  readonly conclusion: 'success' | 'failure' | 'not-run';
  /** Unacknowledged findings. */
  readonly violations: readonly Finding[];
  /** Acknowledged findings, each with its acknowledgment. */
  readonly acknowledged: readonly Finding[];
  /** What it found compliant; `null` where the plugin does not expose it (only cdk-nag packs do). */
  readonly compliant: readonly CompliantRule[] | null;
}

/** How one nag rule evidences one item. */
export interface RuleEvidence {
  /** The rule id as the checklist names it. */
  readonly ruleId: string;
  /** The pack that ran it. @default - no pack that ran has this rule */
  readonly pack?: string;
  /**
   * `compliant`: checked resources, all compliant; `acknowledged`: at least one finding, every one
   * acknowledged (the compliant resources are listed too);
   * `violated`: at least one unacknowledged violation; `not-applicable`: the pack ran and the rule met no
   * resource it applies to (or, for packs that do not expose compliant results, simply did not fire);
   * `not-run`: no pack with this rule ran.
   */
  readonly result: 'compliant' | 'acknowledged' | 'violated' | 'not-applicable' | 'not-run';
  /** Construct paths found compliant. */
  readonly compliant: readonly string[];
  /** Unacknowledged findings of this rule. */
  readonly violations: readonly Finding[];
  /** Acknowledged findings of this rule. */
  readonly acknowledged: readonly Finding[];
}

/** A test whose name starts with the item's id. */
export interface TestEvidence {
  /** The full test name, e.g. `AUTH-3: opaque tokens are compared in constant time`. */
  readonly name: string;
  /** Where it is declared. */
  readonly location: SourceLocation;
}

/** A CI step that evidences an item. */
export interface CiEvidence {
  /** The step as the checklist names it, e.g. `npm audit --omit=dev`. */
  readonly step: string;
  /** Whether the CI entry point runs it (found in the CI script or the scripts it calls). */
  readonly found: boolean;
  /** Where it was found. @default - not found */
  readonly location?: SourceLocation;
}

/** A document that evidences an item. */
export interface DocEvidence {
  /** The link as the checklist gives it: a repository path, optionally with `#anchor`. */
  readonly link: string;
  /** Whether the file exists in the repository. */
  readonly found: boolean;
}

/** An acknowledgment of the kit (lib/compliance/acknowledgments.ts), as applied to this synthesis. */
export interface AcknowledgmentRecord {
  /** The namespaced finding id. */
  readonly id: string;
  /** The construct path below the stage. */
  readonly path: string;
  /** The checklist item it concerns. */
  readonly item: string;
  /** Why the finding is safe here. */
  readonly reason: string;
  /** Who answers for it. */
  readonly owner: string;
  /** ISO date by which it must be reviewed. */
  readonly reviewBy: string;
  /** The findings it matched in the validation report (none: it is stale or mistyped). */
  readonly matchedFindings: number;
}

/** One checklist item with its status and evidence. */
export interface ItemReport {
  /** The item id, e.g. `AUTH-3`. */
  readonly id: string;
  /** The section id, e.g. `AUTH`. */
  readonly section: string;
  /** The item's text. */
  readonly text: string;
  /** The seed documents it comes from. */
  readonly seeds: readonly string[];
  /** The evidence kinds the checklist requires. */
  readonly evidenceKinds: readonly EvidenceKind[];
  /** The status. */
  readonly status: ItemStatus;
  /** One sentence on why it has that status. */
  readonly statusReason: string;
  /** The evidence found. */
  readonly evidence: {
    readonly rules: readonly RuleEvidence[];
    readonly tests: readonly TestEvidence[];
    readonly ci: readonly CiEvidence[];
    readonly docs: readonly DocEvidence[];
  };
  /** The acknowledgments that concern this item. */
  readonly acknowledgments: readonly AcknowledgmentRecord[];
  /** Declared evidence that is missing, or violations: why the item is `failing`. Empty otherwise. */
  readonly gaps: readonly string[];
}

/** Counts per status. */
export interface StatusCounts {
  readonly total: number;
  readonly enforced: number;
  readonly 'enforced-with-exceptions': number;
  readonly documented: number;
  readonly failing: number;
}

/** The whole report. */
export interface AuditReport {
  /** The schema version, see AUDIT_REPORT_SCHEMA_VERSION. */
  readonly schemaVersion: string;
  /** When the report was written, ISO 8601. */
  readonly generatedAt: string;
  /** The tool that wrote it. */
  readonly tool: { readonly name: string; readonly version: string };
  /** How the synthesis went. */
  readonly synthesis: {
    /** `succeeded`, or `failed` (validation errors or another synthesis error). */
    readonly outcome: 'succeeded' | 'failed';
    /** The error's first line when it failed. @default - none */
    readonly error?: string;
    /** The cloud assembly's validation report, relative to the assembly directory; `null` if none was written. */
    readonly validationReport: string | null;
  };
  /** Summary first: per status, per section, per pack. */
  readonly summary: {
    readonly items: StatusCounts;
    readonly sections: readonly (StatusCounts & { readonly id: string; readonly title: string })[];
    readonly packs: readonly {
      readonly name: string;
      readonly conclusion: PackReport['conclusion'];
      readonly violations: number;
      readonly acknowledged: number;
      /** Compliant rule-resource results; `null` where not exposed. */
      readonly compliant: number | null;
    }[];
  };
  /** Every checklist item, in checklist order. */
  readonly items: readonly ItemReport[];
  /** Every pack that ran (or should have). */
  readonly packs: readonly PackReport[];
  /** Every acknowledgment applied to this synthesis. */
  readonly acknowledgments: readonly AcknowledgmentRecord[];
}
