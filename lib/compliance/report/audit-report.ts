/**
 * Builds the auditor report from what a synthesis produced: the checklist, CDK's validation report, the
 * compliant results observed by `AuditedValidation`, the acknowledgments, the tests named after checklist
 * items and the CI steps. Pure: every input is passed in, nothing is read here.
 */
import type { CompliantResult } from '../audited-validation';
import {
  AcknowledgmentRecord,
  AUDIT_REPORT_SCHEMA_VERSION,
  AuditReport,
  CiEvidence,
  CompliantRule,
  DocEvidence,
  EvidenceKind,
  Finding,
  ItemReport,
  ItemStatus,
  PackReport,
  RuleEvidence,
  SourceLocation,
  StatusCounts,
  TestEvidence,
} from './model';
import { sourceLocationOf } from './source-location';
import type { CatalogedTest } from './test-catalog';
import type { PluginReport, ValidationReport } from './validation-report';
import type { Acknowledgment } from '../acknowledgments';

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
  /** Test names (or name prefixes) that must exist; tests named `'<id>: …'` count anyway. @default [] */
  readonly tests?: readonly string[];
  /** CI steps (command text) that must be found in what CI runs. @default [] */
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
  /** The rule ids it has, when known (lets a rule be attributed to its pack even when it did not fire). @default - derived from the rule id's prefix */
  readonly ruleIds?: readonly string[];
  /** Whether its compliant results were observed; only then is "no finding" reported as compliant. */
  readonly observesCompliance: boolean;
  /** Whether it ran (synthesis reached validation). */
  readonly ran: boolean;
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
  /** The tests named after checklist items. */
  readonly tests: readonly CatalogedTest[];
  /** Finds a CI step in what CI runs. */
  readonly findCiStep: (step: string) => SourceLocation | undefined;
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
  return at === -1 ? id : id.slice(at + 2);
}

/** Whether a reported rule name (maybe with a `[finding]`) is the rule `ruleId`. */
function isRule(reported: string, ruleId: string): boolean {
  const r = stripNamespace(reported);
  const id = stripNamespace(ruleId);
  return r === id || r.startsWith(`${id}[`);
}

function findingsOf(plugin: PluginReport, repoRoot: string): { violations: Finding[]; acknowledged: Finding[] } {
  const finding = (v: PluginReport['violations'][number]): Finding => ({
    pack: plugin.pluginName,
    ruleId: v.ruleName,
    description: v.description,
    severity: v.severity,
    resources: v.violatingConstructs.map((c) => ({
      constructPath: c.constructPath ?? '(unknown)',
      constructFqn: c.constructFqn,
      location: sourceLocationOf(c.stackTraces, repoRoot),
    })),
  });
  const violations = plugin.violations.map(finding);
  const acknowledged: Finding[] = (plugin.suppressedViolations ?? []).map((v) => ({
    ...finding(v),
    acknowledgment: {
      id: v.acknowledgedId,
      reason: v.reason,
      acknowledgedAt: v.acknowledgedAt,
      location: sourceLocationOf(v.acknowledgedStackTrace, repoRoot),
    },
  }));
  return { violations, acknowledged };
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
    const { violations, acknowledged } = plugin ? findingsOf(plugin, inputs.repoRoot) : { violations: [], acknowledged: [] };
    const ran = plugin !== undefined || (registered?.ran ?? false);
    const failed = violations.some((v) => v.severity === 'error' || v.severity === 'fatal') || plugin?.conclusion === 'failure';
    return {
      name,
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
  return { ruleId, pack, result, compliant: [...new Set(compliant)].sort(), violations, acknowledged };
}

function acknowledgmentRecords(inputs: AuditInputs, packs: readonly PackReport[]): AcknowledgmentRecord[] {
  const acknowledged = packs.flatMap((p) => p.acknowledged);
  return inputs.acknowledgments.map((a) => ({
    id: a.id,
    path: a.path,
    item: a.item,
    reason: a.reason,
    owner: a.owner,
    reviewBy: a.reviewBy,
    matchedFindings: acknowledged.filter(
      (f) =>
        f.acknowledgment !== undefined &&
        f.acknowledgment.id === a.id &&
        (f.acknowledgment.acknowledgedAt === a.path || f.acknowledgment.acknowledgedAt.endsWith(`/${a.path}`)),
    ).length,
  }));
}

function itemReport(item: AuditedItem, inputs: AuditInputs, packs: readonly PackReport[], acks: readonly AcknowledgmentRecord[]): ItemReport {
  const rules = (item.rules ?? []).map((r) => ruleEvidence(r, inputs, packs));
  const tests: TestEvidence[] = inputs.tests.filter((t) => t.itemIds.includes(item.id)).map((t) => ({ name: t.name, location: t.location }));
  const ci: CiEvidence[] = (item.ci ?? []).map((step) => {
    const location = inputs.findCiStep(step);
    return { step, found: location !== undefined, location };
  });
  const docs: DocEvidence[] = (item.docs ?? []).map((link) => ({ link, found: inputs.docExists(link) }));

  const gaps: string[] = [];
  for (const r of rules) {
    if (r.result === 'violated') {
      const where = r.violations.flatMap((v) => v.resources.map((res) => res.constructPath));
      gaps.push(`rule ${r.ruleId} has unacknowledged violations on ${where.join(', ')}`);
    } else if (r.result === 'not-run') {
      gaps.push(`rule ${r.ruleId} did not run: no registered pack has it${r.pack ? ` (or ${r.pack} never ran)` : ''}`);
    }
  }
  for (const declared of item.tests ?? []) {
    const declaredId = /^([A-Z][A-Z0-9]*-\d+):$/.exec(declared.trim())?.[1];
    const satisfied =
      declaredId !== undefined ? inputs.tests.some((t) => t.itemIds.includes(declaredId)) : inputs.tests.some((t) => t.name.startsWith(declared));
    if (!satisfied) {
      gaps.push(`test '${declared}' is declared in the checklist but no test file has it`);
    }
  }
  if (item.evidenceKinds.includes('test') && tests.length === 0) gaps.push(`no test is named '${item.id}: …'`);
  for (const c of ci) if (!c.found) gaps.push(`CI step '${c.step}' is not run by the CI entry point`);
  for (const d of docs) if (!d.found) gaps.push(`document ${d.link} does not exist`);

  const itemAcks = acks.filter((a) => a.item === item.id || rules.some((r) => r.acknowledged.some((f) => f.acknowledgment?.id === a.id)));
  const exceptions = itemAcks.length > 0 || rules.some((r) => r.acknowledged.length > 0);
  const machineEvidence =
    rules.some((r) => r.result === 'compliant' || r.result === 'acknowledged') || tests.length > 0 || ci.some((c) => c.found);
  const docEvidence = docs.some((d) => d.found);

  let status: ItemStatus;
  let statusReason: string;
  if (gaps.length > 0) {
    status = 'failing';
    statusReason = gaps[0];
  } else if (machineEvidence) {
    status = exceptions ? 'enforced-with-exceptions' : 'enforced';
    const parts = [
      rules.some((r) => r.compliant.length > 0) ? `${rules.filter((r) => r.compliant.length > 0).length} rule(s) with compliant resources` : '',
      tests.length ? `${tests.length} test(s)` : '',
      ci.some((c) => c.found) ? `${ci.filter((c) => c.found).length} CI step(s)` : '',
      exceptions ? `${itemAcks.length || rules.reduce((n, r) => n + r.acknowledged.length, 0)} acknowledged exception(s)` : '',
    ].filter((p) => p.length > 0);
    statusReason = `evidenced by ${parts.join(', ')}`;
  } else if (docEvidence) {
    status = 'documented';
    statusReason = `documented in ${docs.filter((d) => d.found).map((d) => d.link).join(', ')}`;
  } else {
    status = 'failing';
    statusReason = 'no evidence: no compliant rule result, no test, no CI step and no document';
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
    evidence: { rules, tests, ci, docs },
    acknowledgments: itemAcks,
    gaps,
  };
}

function counts(items: readonly ItemReport[]): StatusCounts {
  const n = (s: ItemStatus) => items.filter((i) => i.status === s).length;
  return {
    total: items.length,
    enforced: n('enforced'),
    'enforced-with-exceptions': n('enforced-with-exceptions'),
    documented: n('documented'),
    failing: n('failing'),
  };
}

/** Builds the auditor report. */
export function buildAuditReport(inputs: AuditInputs): AuditReport {
  const packs = buildPacks(inputs);
  const acknowledgments = acknowledgmentRecords(inputs, packs);
  const items = inputs.checklist.map((item) => itemReport(item, inputs, packs, acknowledgments));
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
  };
}
