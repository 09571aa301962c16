/**
 * Builds the auditor report from what a synthesis produced and what ran for the same commit: the
 * checklist, CDK's validation report, the compliant results observed by `AuditedValidation`, the
 * acknowledgments, the test runner's results and the CI gates' recorded outcomes. Pure: every input is
 * passed in, nothing is read here.
 */
import type { CompliantResult } from '../audited-validation';
import type { Acknowledgment } from '../acknowledgments';
import { itemsOfRuleId } from './finding-map';
import {
  AcknowledgmentRecord,
  AUDIT_REPORT_SCHEMA_VERSION,
  AuditReport,
  CiEvidence,
  CompliantRule,
  DocEvidence,
  EvidenceKind,
  EvidenceRuns,
  Finding,
  FindingResource,
  ItemReport,
  ItemStatus,
  MappedFinding,
  PackReport,
  RuleEvidence,
  SourceLocation,
  STATUS_LEGEND,
  StatusCounts,
  TestEvidence,
} from './model';
import type { GateResult, GitState, TestRun } from './run-results';
import { sourceLocationOf } from './source-location';
import { testsOfItem } from './test-catalog';
import type { PluginReport, ValidationReport } from './validation-report';

/** A checklist item as the report needs it (lib/compliance/checklist.ts maps onto this). */
export interface AuditedItem {
  /** e.g. `AUTH-3`. */
  readonly id: string;
  /** The section id, e.g. `AUTH`. */
  readonly section: string;
  /** The item's text. */
  readonly text: string;
  /** The seed documents it comes from. @default [] */
  readonly seeds?: readonly string[];
  /** The evidence kinds the checklist requires. */
  readonly evidenceKinds: readonly EvidenceKind[];
  /** The nag rule ids that evidence it, e.g. `McpPerimeter-TLS1`, `AwsSolutions-ELB2`. @default [] */
  readonly rules?: readonly string[];
  /** Test-name prefixes (`'AUTH-3:'`) that must have run; tests named `'<id>: …'` count anyway. @default [] */
  readonly tests?: readonly string[];
  /** CI steps (gate ids, or command text for gates not in CI_GATES). @default [] */
  readonly ci?: readonly string[];
  /** Repository paths of documents, optionally with `#anchor`. @default [] */
  readonly docs?: readonly string[];
}

/** An acknowledgment as the report needs it: the kit's own, without its config condition. */
export type AuditedAcknowledgment = Omit<Acknowledgment, 'when'>;

/** A pack that was registered for this synthesis. */
export interface RegisteredPack {
  /** Its plugin name. */
  readonly name: string;
  /** Its version (cdk-nag's for cdk-nag's packs, the kit's for the kit's pack). @default - unknown */
  readonly version?: string;
  /** The rule ids it has, when known (lets a rule be attributed to its pack even when it did not fire). @default - derived from the rule id's prefix */
  readonly ruleIds?: readonly string[];
  /** Whether its compliant results were observed; only then is "no finding" reported as compliant. */
  readonly observesCompliance: boolean;
  /** Whether it ran (synthesis reached validation). */
  readonly ran: boolean;
}

/** Where CI performs a gate's check. */
export interface CiStepLocation {
  /** The command that performs the check. */
  readonly command: string;
  /** Its line, when CI reaches it. @default - CI does not reach it */
  readonly location?: SourceLocation;
}

/** Everything the report is built from. */
export interface AuditInputs {
  /** The checklist, in order. */
  readonly checklist: readonly AuditedItem[];
  /** Section titles by section id. @default - the section id */
  readonly sectionTitles?: Readonly<Record<string, string>>;
  /** CDK's validation report. @default - none was written */
  readonly validationReport?: ValidationReport;
  /** Where it was, relative to the assembly directory. @default - none */
  readonly validationReportFile?: string;
  /** The packs registered for this synthesis. */
  readonly packs: readonly RegisteredPack[];
  /** What the packs found compliant. */
  readonly compliant: readonly CompliantResult[];
  /** The acknowledgments applied. */
  readonly acknowledgments: readonly AuditedAcknowledgment[];
  /** The construct path the acknowledgments' paths are relative to (the stage's path, e.g. `dev`). @default - the app root */
  readonly acknowledgmentScope?: string;
  /** The commit and tree state the report is built on. @default - unknown */
  readonly git?: GitState;
  /** The test run of the same commit and tree state. @default - tests were not run with this report */
  readonly testRun?: TestRun;
  /** Where the test run was read from, relative to the repository root. @default 'reports/test-results.json' */
  readonly testRunFile?: string;
  /** Why there is no test run (none recorded, or one of another commit). @default - none */
  readonly testRunNote?: string;
  /** Where CI performs a step's check. */
  readonly findCiStep: (step: string) => CiStepLocation;
  /** A gate's recorded outcome of the same commit and tree state. @default - none recorded */
  readonly gateResult?: (step: string) => GateResult | undefined;
  /** Whether a document link resolves to a file of the repository. */
  readonly docExists: (link: string) => boolean;
  /** The repository root, to make stack-trace paths relative. */
  readonly repoRoot: string;
  /** How synthesis ended. */
  readonly synthesis: { readonly outcome: 'succeeded' | 'failed'; readonly error?: string };
  /** The tool's name and version. @default mcp-perimeter 0.0.0 */
  readonly tool?: { readonly name: string; readonly version: string };
  /** The clock. @default new Date() */
  readonly now?: Date;
}

/** `ns::Rule-1[finding]` -> `Rule-1[finding]`. */
function stripNamespace(id: string): string {
  const at = id.indexOf('::');
  const bracket = id.indexOf('[');
  // A `::` inside the finding suffix (`[Resource::*]`) is not a namespace.
  return at === -1 || (bracket !== -1 && bracket < at) ? id : id.slice(at + 2);
}

/** Whether a reported rule name (maybe with a `[finding]`) is the rule `ruleId`. */
function isRule(reported: string, ruleId: string): boolean {
  const r = stripNamespace(reported);
  const id = stripNamespace(ruleId);
  return r === id || r.startsWith(`${id}[`);
}

function resourceOf(c: PluginReport['violations'][number]['violatingConstructs'][number], repoRoot: string): FindingResource {
  const location = sourceLocationOf(c.stackTraces, repoRoot);
  const traced = (c.stackTraces ?? []).some((t) => t.trim().length > 0);
  return {
    constructPath: c.constructPath ?? '(unknown)',
    ...(c.constructFqn ? { constructFqn: c.constructFqn } : {}),
    ...(location
      ? { location }
      : {
          locationUnknown: traced
            ? 'no source line known: the creation stack trace has no frame in the repository (only library code)'
            : 'no source line known: no creation stack trace was recorded',
        }),
  };
}

function findingsOf(plugin: PluginReport, inputs: AuditInputs): { violations: Finding[]; acknowledged: Finding[] } {
  const finding = (v: PluginReport['violations'][number]): Finding => ({
    pack: plugin.pluginName,
    ruleId: v.ruleName,
    description: v.description,
    severity: v.severity,
    resources: v.violatingConstructs.map((c) => resourceOf(c, inputs.repoRoot)),
  });
  const violations = plugin.violations.map(finding);
  const acknowledged: Finding[] = (plugin.suppressedViolations ?? []).map((v) => {
    const kit = inputs.acknowledgments.find((a) => a.id === v.acknowledgedId && matchesPath(v.acknowledgedAt, a.path));
    return {
      ...finding(v),
      acknowledgment: {
        id: v.acknowledgedId,
        reason: v.reason,
        acknowledgedAt: v.acknowledgedAt,
        location: sourceLocationOf(v.acknowledgedStackTrace, inputs.repoRoot),
        ...(kit ? { owner: kit.owner, reviewBy: kit.reviewBy, item: kit.item } : {}),
      },
    };
  });
  return { violations, acknowledged };
}

/** Whether a full construct path is the acknowledgment's path (relative to the stage, or full). */
function matchesPath(fullPath: string, ackPath: string): boolean {
  return fullPath === ackPath || fullPath.endsWith(`/${ackPath}`);
}

function groupCompliant(results: readonly CompliantResult[]): CompliantRule[] {
  const byRule = new Map<string, string[]>();
  for (const r of results) {
    const list = byRule.get(r.ruleId) ?? [];
    list.push(r.constructPath);
    byRule.set(r.ruleId, list);
  }
  return [...byRule.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([ruleId, resources]) => ({ ruleId, resources: resources.sort() }));
}

function buildPacks(inputs: AuditInputs): PackReport[] {
  const reported = new Map((inputs.validationReport?.pluginReports ?? []).map((p) => [p.pluginName, p]));
  const names = [...inputs.packs.map((p) => p.name), ...[...reported.keys()].filter((n) => !inputs.packs.some((p) => p.name === n))];
  return names.map((name) => {
    const registered = inputs.packs.find((p) => p.name === name);
    const plugin = reported.get(name);
    const { violations, acknowledged } = plugin ? findingsOf(plugin, inputs) : { violations: [], acknowledged: [] };
    const ran = plugin !== undefined || (registered?.ran ?? false);
    const failed = violations.some((v) => v.severity === 'error' || v.severity === 'fatal') || plugin?.conclusion === 'failure';
    return {
      name,
      ...(registered?.version ? { version: registered.version } : {}),
      conclusion: !ran ? 'not-run' : failed ? 'failure' : 'success',
      violations,
      acknowledged,
      compliant: registered?.observesCompliance && ran ? groupCompliant(inputs.compliant.filter((c) => c.pack === name)) : null,
    };
  });
}

function packOfRule(ruleId: string, inputs: AuditInputs): RegisteredPack | undefined {
  const id = stripNamespace(ruleId);
  return (
    inputs.packs.find((p) => p.ruleIds?.includes(id)) ??
    inputs.packs.find((p) => id.startsWith(`${p.name}-`)) ??
    inputs.compliant.map((c) => inputs.packs.find((p) => p.name === c.pack && c.ruleId === id)).find((p) => p !== undefined)
  );
}

function ruleEvidence(ruleId: string, inputs: AuditInputs, packs: readonly PackReport[]): RuleEvidence {
  const violations = packs.flatMap((p) => p.violations.filter((f) => isRule(f.ruleId, ruleId)));
  const acknowledged = packs.flatMap((p) => p.acknowledged.filter((f) => isRule(f.ruleId, ruleId)));
  const compliant = inputs.compliant.filter((c) => isRule(c.ruleId, ruleId)).map((c) => c.constructPath);
  const registered = packOfRule(ruleId, inputs);
  const reportedIn = packs.find((p) => [...violations, ...acknowledged].some((f) => f.pack === p.name));
  const pack = registered?.name ?? reportedIn?.name;
  const ran = reportedIn !== undefined || registered?.ran === true;
  let result: RuleEvidence['result'];
  if (violations.length > 0) result = 'violated';
  else if (!ran) result = 'not-run';
  else if (acknowledged.length > 0) result = 'acknowledged';
  else if (compliant.length > 0) result = 'compliant';
  else result = 'not-applicable';
  return { ruleId, ...(pack ? { pack } : {}), result, compliant: [...new Set(compliant)].sort(), violations, acknowledged };
}

function acknowledgmentRecords(inputs: AuditInputs, packs: readonly PackReport[]): AcknowledgmentRecord[] {
  const acknowledged = packs.flatMap((p) => p.acknowledged);
  const scope = inputs.acknowledgmentScope;
  return inputs.acknowledgments.map((a) => {
    const matched = acknowledged.filter((f) => f.acknowledgment !== undefined && f.acknowledgment.id === a.id && matchesPath(f.acknowledgment.acknowledgedAt, a.path));
    // The full path, as findings and rule evidence give it: the matched findings' own, else the scope's.
    const path = matched[0]?.acknowledgment?.acknowledgedAt ?? (scope && !a.path.startsWith(`${scope}/`) ? `${scope}/${a.path}` : a.path);
    return { id: a.id, path, item: a.item, reason: a.reason, owner: a.owner, reviewBy: a.reviewBy, matchedFindings: matched.length };
  });
}

/** Every resource each item's declared rules evaluated: compliant, acknowledged or violated. */
function coveredResources(rules: readonly RuleEvidence[]): Map<string, string> {
  const covered = new Map<string, string>();
  for (const r of rules) {
    const paths = [...r.compliant, ...[...r.violations, ...r.acknowledged].flatMap((f) => f.resources.map((x) => x.constructPath))];
    for (const p of paths) if (!covered.has(p)) covered.set(p, r.ruleId);
  }
  return covered;
}

/** The unacknowledged findings that concern an item besides its declared rules' own (see finding-map.ts). */
function mappedFindings(item: AuditedItem, rules: readonly RuleEvidence[], packs: readonly PackReport[], itemIds: readonly string[]): MappedFinding[] {
  const declared = item.rules ?? [];
  const covered = coveredResources(rules);
  const out: MappedFinding[] = [];
  for (const pack of packs) {
    for (const f of pack.violations) {
      if (declared.some((r) => isRule(f.ruleId, r))) continue;
      const byId = itemsOfRuleId(f.ruleId, f.pack, itemIds).find((m) => m.item === item.id);
      if (byId) {
        out.push({ finding: f, via: byId.via });
        continue;
      }
      const coveredBy = f.resources.map((r) => covered.get(r.constructPath)).find((r) => r !== undefined);
      if (coveredBy) out.push({ finding: f, via: `resource checked by ${coveredBy}` });
    }
  }
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function itemReport(
  item: AuditedItem,
  inputs: AuditInputs,
  packs: readonly PackReport[],
  acks: readonly AcknowledgmentRecord[],
  itemIds: readonly string[],
): ItemReport {
  const rules = (item.rules ?? []).map((r) => ruleEvidence(r, inputs, packs));
  const findings = mappedFindings(item, rules, packs, itemIds);
  const run = inputs.testRun;
  const tests: TestEvidence[] = run ? testsOfItem(run, item.id).map((t) => ({ name: t.fullName, status: t.status, file: t.file })) : [];
  const ci: CiEvidence[] = (item.ci ?? []).map((step) => {
    const { command, location } = inputs.findCiStep(step);
    const result = inputs.gateResult?.(step);
    return {
      step,
      command,
      found: location !== undefined,
      ...(location ? { location } : {}),
      outcome: result?.outcome ?? 'no-result',
      ...(result ? { reason: result.reason, ranAt: result.finishedAt } : {}),
    };
  });
  const docs: DocEvidence[] = (item.docs ?? []).map((link) => ({ link, found: inputs.docExists(link) }));

  // gaps make the item failing; unverified make it not-verified (when there is no gap).
  const gaps: string[] = [];
  const unverified: string[] = [];
  for (const r of rules) {
    if (r.result === 'violated') {
      const where = r.violations.flatMap((v) => v.resources.map((res) => res.constructPath));
      gaps.push(`rule ${r.ruleId} has unacknowledged findings on ${where.join(', ')}`);
    } else if (r.result === 'not-run') {
      if (r.pack) unverified.push(`rule ${r.ruleId} was not evaluated: its pack ${r.pack} did not run in this synthesis`);
      else gaps.push(`rule ${r.ruleId} is declared but no registered pack has it`);
    }
  }
  for (const m of findings) {
    const where = m.finding.resources.map((r) => r.constructPath).join(', ');
    gaps.push(`unacknowledged ${m.finding.pack} finding ${m.finding.ruleId} on ${where} (${m.via})`);
  }
  const claimsTests = item.evidenceKinds.includes('test') || (item.tests ?? []).length > 0;
  for (const t of tests.filter((x) => x.status === 'failed')) gaps.push(`test failed: ${t.name}`);
  if (claimsTests) {
    if (!run) unverified.push(`tests not run with this report${inputs.testRunNote ? ` (${inputs.testRunNote})` : ''}`);
    else if (!tests.some((t) => t.status === 'passed' || t.status === 'failed')) {
      if (run.partial) unverified.push(`no test named '${item.id}: …' was in the test run, which ran only some test files`);
      else gaps.push(`no test named '${item.id}: …' passed in the test run of this commit`);
    }
  }
  for (const c of ci) {
    if (!c.found) gaps.push(`CI step '${c.step}' (${c.command}) is not reached from the CI entry point`);
    else if (c.outcome === 'failed') gaps.push(`CI gate '${c.step}' failed: ${c.reason ?? 'no reason recorded'}`);
    else if (c.outcome === 'not-run') unverified.push(`CI gate '${c.step}' could not run: ${c.reason ?? 'no reason recorded'}`);
    else if (c.outcome === 'no-result') unverified.push(`CI gate '${c.step}' not run with this report (no result of this commit)`);
  }
  for (const d of docs) if (!d.found) gaps.push(`document ${d.link} does not exist`);

  const itemAcks = acks.filter((a) => a.item === item.id || rules.some((r) => r.acknowledged.some((f) => f.acknowledgment?.id === a.id)));
  const exceptions = itemAcks.length > 0 || rules.some((r) => r.acknowledged.length > 0);
  const passedTests = tests.filter((t) => t.status === 'passed').length;
  const passedGates = ci.filter((c) => c.outcome === 'passed').length;
  const heldRules = rules.filter((r) => r.result === 'compliant' || r.result === 'acknowledged').length;
  const machineEvidence = heldRules > 0 || passedTests > 0 || passedGates > 0;
  const docEvidence = docs.some((d) => d.found);

  let status: ItemStatus;
  let statusReason: string;
  if (gaps.length > 0) {
    status = 'failing';
    statusReason = gaps[0];
  } else if (unverified.length > 0) {
    status = 'not-verified';
    statusReason = unverified[0];
  } else if (machineEvidence) {
    status = exceptions ? 'enforced-with-exceptions' : 'enforced';
    const parts = [
      heldRules ? `${plural(heldRules, 'rule')} evaluated in this synthesis` : '',
      passedTests ? `${plural(passedTests, 'test')} passed in the test run of this commit` : '',
      passedGates ? `${plural(passedGates, 'CI gate')} passed in a run of this commit` : '',
      exceptions ? plural(itemAcks.length || rules.reduce((n, r) => n + r.acknowledged.length, 0), 'acknowledged exception') : '',
    ].filter((p) => p.length > 0);
    statusReason = `evidenced by ${parts.join(', ')}`;
  } else if (docEvidence) {
    status = 'documented';
    statusReason = `documented only, in ${docs.filter((d) => d.found).map((d) => d.link).join(', ')}`;
  } else {
    status = 'failing';
    statusReason = 'no evidence: no rule result, no passed test, no passed CI gate and no document';
    gaps.push(statusReason);
  }

  return {
    id: item.id,
    section: item.section,
    text: item.text,
    seeds: item.seeds ?? [],
    evidenceKinds: item.evidenceKinds,
    status,
    statusReason,
    evidence: { rules, tests, ci, docs, findings },
    acknowledgments: itemAcks,
    gaps,
    unverified,
  };
}

function counts(items: readonly ItemReport[]): StatusCounts {
  const n = (s: ItemStatus) => items.filter((i) => i.status === s).length;
  return {
    total: items.length,
    enforced: n('enforced'),
    'enforced-with-exceptions': n('enforced-with-exceptions'),
    documented: n('documented'),
    'not-verified': n('not-verified'),
    failing: n('failing'),
  };
}

function evidenceRuns(inputs: AuditInputs): EvidenceRuns {
  const run = inputs.testRun;
  const steps = [...new Set(inputs.checklist.flatMap((i) => i.ci ?? []))];
  return {
    commit: inputs.git?.commit ?? 'unknown',
    dirty: inputs.git?.dirty ?? false,
    tests: run
      ? {
          file: inputs.testRunFile ?? 'reports/test-results.json',
          commit: run.commit,
          dirty: run.dirty,
          finishedAt: run.finishedAt,
          partial: run.partial,
          passed: run.tests.filter((t) => t.status === 'passed').length,
          failed: run.tests.filter((t) => t.status === 'failed').length,
          skipped: run.tests.filter((t) => t.status === 'skipped' || t.status === 'todo').length,
        }
      : null,
    ...(run ? {} : { testsNote: inputs.testRunNote ?? 'no test results of this commit' }),
    gates: steps.map((step) => {
      const r = inputs.gateResult?.(step);
      return { step, outcome: r?.outcome ?? 'no-result', ...(r ? { reason: r.reason, ranAt: r.finishedAt } : {}) };
    }),
  };
}

/** Builds the auditor report. */
export function buildAuditReport(inputs: AuditInputs): AuditReport {
  const packs = buildPacks(inputs);
  const acknowledgments = acknowledgmentRecords(inputs, packs);
  const itemIds = inputs.checklist.map((i) => i.id);
  const items = inputs.checklist.map((item) => itemReport(item, inputs, packs, acknowledgments, itemIds));
  const mapped = new Set<Finding>(items.flatMap((i) => [...i.evidence.findings.map((m) => m.finding), ...i.evidence.rules.flatMap((r) => r.violations)]));
  const sectionIds = [...new Set(items.map((i) => i.section))];
  return {
    schemaVersion: AUDIT_REPORT_SCHEMA_VERSION,
    generatedAt: (inputs.now ?? new Date()).toISOString(),
    tool: inputs.tool ?? { name: 'mcp-perimeter', version: '0.0.0' },
    synthesis: {
      outcome: inputs.synthesis.outcome,
      ...(inputs.synthesis.error ? { error: inputs.synthesis.error } : {}),
      validationReport: inputs.validationReport ? (inputs.validationReportFile ?? 'validation-report.json') : null,
    },
    summary: {
      items: counts(items),
      sections: sectionIds.map((id) => ({ id, title: inputs.sectionTitles?.[id] ?? id, ...counts(items.filter((i) => i.section === id)) })),
      packs: packs.map((p) => ({
        name: p.name,
        conclusion: p.conclusion,
        violations: p.violations.reduce((n, f) => n + f.resources.length, 0),
        acknowledged: p.acknowledged.reduce((n, f) => n + f.resources.length, 0),
        compliant: p.compliant === null ? null : p.compliant.reduce((n, r) => n + r.resources.length, 0),
      })),
    },
    items,
    packs,
    acknowledgments,
    runs: evidenceRuns(inputs),
    unmappedFindings: packs.flatMap((p) => p.violations).filter((f) => !mapped.has(f)),
    legend: STATUS_LEGEND,
  };
}
