/**
 * The auditor report's schema: what `cdk.out/audit/report.json` holds. SCHEMA.md (next to this file)
 * describes every field for readers who do not read TypeScript; this file is the source of truth.
 *
 * Versioning: `schemaVersion` is semver. A new optional field is a minor bump; a removed, renamed or
 * re-typed field, or a new status value, is a major bump.
 */

/** The schema version this module writes. */
export const AUDIT_REPORT_SCHEMA_VERSION = '2.0.0';

/** The evidence kinds of the checklist. */
export type EvidenceKind = 'nag' | 'test' | 'ci' | 'doc';

/**
 * A checklist item's status. Each follows the evidence: a mechanism the item claims counts only when it
 * ran for this report (a rule in this synthesis, a test in a test run of the same commit, a CI gate in a
 * run of the same commit) and held. {@link STATUS_LEGEND} says the same in words, for every rendering.
 */
export type ItemStatus = 'enforced' | 'enforced-with-exceptions' | 'documented' | 'not-verified' | 'failing';

/** Every status, in report order. */
export const ITEM_STATUSES: readonly ItemStatus[] = ['enforced', 'enforced-with-exceptions', 'documented', 'not-verified', 'failing'];

/** What each status means; every rendering prints it as its legend (report.json as `legend`, see SCHEMA.md). */
export const STATUS_LEGEND: Readonly<Record<ItemStatus, string>> = {
  enforced:
    'every mechanism the item claims ran for this report and held: its nag rules were evaluated in this synthesis and found the resources compliant, its tests passed in a test run of the same commit, its CI gates passed in a run of the same commit',
  'enforced-with-exceptions': 'enforced, with at least one acknowledged finding (each listed with its reason, owner and review-by date)',
  documented: 'no machine can check it; an operating procedure in the repository is the evidence (documented only, not verified)',
  'not-verified':
    'nothing failed, but a mechanism the item claims did not run for this report (tests not run with this report, a CI gate not run or unable to run, a rule whose pack did not run), so the item cannot be called enforced',
  failing:
    'an unacknowledged finding of any pack on a resource the item covers, a failed test or CI gate, declared evidence that does not exist, or no evidence at all',
};

/** How each kind of evidence is verified, for the legends. */
export const EVIDENCE_LEGEND: Readonly<Record<EvidenceKind, string>> = {
  nag: 'nag rule: evaluated over the synthesized templates in this synthesis',
  test: 'test: a result of the test runner (jest) in a run of the same commit, names as they ran',
  ci: 'CI gate: the outcome a gate script recorded in a run of the same commit (passed, failed, or not run with its reason)',
  doc: 'document: documented only; the file (and heading) exists, nothing checks what it says',
};

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
  /**
   * The line of the repository's code that created it. @default - none known: the creation stack trace has
   * no frame in the repository (see `locationUnknown`)
   */
  readonly location?: SourceLocation;
  /** Why no source line is known, when `location` is absent. @default - a location is known */
  readonly locationUnknown?: string;
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
  /** Who answers for it (from the kit's acknowledgment list). @default - not in the kit's list */
  readonly owner?: string;
  /** ISO date by which it must be reviewed (from the kit's acknowledgment list). @default - not in the kit's list */
  readonly reviewBy?: string;
  /** The checklist item it concerns (from the kit's acknowledgment list). @default - not in the kit's list */
  readonly item?: string;
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
  /** Its version: cdk-nag's for cdk-nag's packs, the kit's for the kit's pack. @default - unknown */
  readonly version?: string;
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

/** A test the test runner ran whose name (or a describe title around it) starts with the item's id. */
export interface TestEvidence {
  /** The full name as it ran (describe titles and the test title, parameters expanded). */
  readonly name: string;
  /** The runner's result: only `passed` is evidence; `failed` makes the item failing. */
  readonly status: 'passed' | 'failed' | 'skipped' | 'todo';
  /** The test file, relative to the repository root. */
  readonly file: string;
}

/** A CI gate that evidences an item. */
export interface CiEvidence {
  /** The gate id, e.g. `npm-audit`. */
  readonly step: string;
  /** The command that performs the check, e.g. `npm audit --omit=dev --audit-level=high`. */
  readonly command: string;
  /** Whether the CI entry point reaches the gate script (through npm scripts and scripts/ files). */
  readonly found: boolean;
  /** The line that runs the check (in the gate script), when found. @default - not found */
  readonly location?: SourceLocation;
  /**
   * What the gate recorded in a run of the same commit: `passed`, `failed`, `not-run` (it could not run,
   * `reason` says why), or `no-result` (no run of this commit recorded one: not run with this report).
   */
  readonly outcome: 'passed' | 'failed' | 'not-run' | 'no-result';
  /** The gate's own words on the outcome. @default - none */
  readonly reason?: string;
  /** When the gate finished, ISO 8601. @default - no result */
  readonly ranAt?: string;
}

/** An unacknowledged finding that concerns an item through the mapping (not one of its declared rules). */
export interface MappedFinding {
  /** The finding. */
  readonly finding: Finding;
  /** How it maps to the item, e.g. `rule family IAM` or `resource checked by McpPerimeter-SEC4`. */
  readonly via: string;
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
  /** The full construct path, with the stage prefix, as rule evidence and findings give it. */
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
    /** Unacknowledged findings of other rules on resources the item covers (see SCHEMA.md, "Findings to items"). */
    readonly findings: readonly MappedFinding[];
  };
  /** The acknowledgments that concern this item. */
  readonly acknowledgments: readonly AcknowledgmentRecord[];
  /** Findings, failures, declared evidence that is missing: why the item is `failing`. Empty otherwise. */
  readonly gaps: readonly string[];
  /** Mechanisms the item claims that did not run for this report: why it is `not-verified` (when it has no gap). */
  readonly unverified: readonly string[];
}

/** Counts per status. */
export interface StatusCounts {
  readonly total: number;
  readonly enforced: number;
  readonly 'enforced-with-exceptions': number;
  readonly documented: number;
  readonly 'not-verified': number;
  readonly failing: number;
}

/** The test run whose results the report used. */
export interface TestRunInfo {
  /** The results file, relative to the repository root. */
  readonly file: string;
  /** The commit it ran on. */
  readonly commit: string;
  /** Whether the working tree had uncommitted changes (then only a run of the very same tree state counts). */
  readonly dirty: boolean;
  /** When it finished, ISO 8601. */
  readonly finishedAt: string;
  /** Whether only some test files ran (a path pattern was given); an item without a test in it is not verified. */
  readonly partial: boolean;
  /** Counts of the run. */
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Where the report's run-time evidence came from. */
export interface EvidenceRuns {
  /** The commit the report was built on, or `unknown` outside a git checkout. */
  readonly commit: string;
  /** Whether the working tree had uncommitted changes. */
  readonly dirty: boolean;
  /** The test run used, or `null`: tests were not run with this report. */
  readonly tests: TestRunInfo | null;
  /** Why there is no test run (no results file, or results of another commit or tree state). @default - a run is used */
  readonly testsNote?: string;
  /** Each CI gate's recorded result of this commit. */
  readonly gates: readonly { readonly step: string; readonly outcome: CiEvidence['outcome']; readonly reason?: string; readonly ranAt?: string }[];
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
  /** The test run and CI gate results the report used. */
  readonly runs: EvidenceRuns;
  /** Unacknowledged findings that map to no checklist item (each still fails its pack). */
  readonly unmappedFindings: readonly Finding[];
  /** What each status means (the same as STATUS_LEGEND). */
  readonly legend: Readonly<Record<ItemStatus, string>>;
}
