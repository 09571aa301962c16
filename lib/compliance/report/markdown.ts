/**
 * The report as Markdown, for a pull request or a ticket: summary and legend first (per pack, per
 * section, where the run-time evidence came from), then every item with its status, evidence (each
 * saying how and when it was verified) and exceptions.
 */
import { EVIDENCE_LEGEND, ITEM_STATUSES } from './model';
import type { AuditReport, CiEvidence, Finding, FindingResource, ItemReport, ItemStatus, RuleEvidence, SourceLocation } from './model';

/** The status badges of the Markdown rendering. */
export const MARKDOWN_BADGE: Readonly<Record<ItemStatus, string>> = {
  enforced: '✅ enforced',
  'enforced-with-exceptions': '☑️ enforced with exceptions',
  documented: '📄 documented',
  'not-verified': '⚠️ not verified',
  failing: '❌ failing',
};

/** Escapes text for a Markdown table cell or line. */
function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/([*_`<>[\]])/g, '\\$1');
}

/** Escapes text but keeps its `inline code` spans as code. */
function mdWithCode(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part) => (/^`[^`]+`$/.test(part) ? part.replace(/\|/g, '\\|') : md(part)))
    .join('');
}

/** A code span that survives any content (backticks in it get a longer fence). */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${text.replace(/\|/g, '\\|')}${fence.length > 1 ? ' ' : ''}${fence}`;
}

const at = (l: SourceLocation | undefined) => (l ? code(`${l.file}:${l.line}`) : '');
const where = (r: FindingResource) => (r.location ? ` at ${at(r.location)}` : ` (${md(r.locationUnknown ?? 'no source line known')})`);

function findingLines(f: Finding, indent = '  '): string[] {
  return f.resources.map((r) => {
    const a = f.acknowledgment;
    const ack = a
      ? ` — acknowledged (${code(a.id)} at ${code(a.acknowledgedAt)}${a.owner ? `, owner ${md(a.owner)}` : ''}${a.reviewBy ? `, review by ${a.reviewBy}` : ''}): ${md(a.reason)}`
      : '';
    return `${indent}- ${code(f.ruleId)} on ${code(r.constructPath)}${where(r)}${ack}`;
  });
}

function compliantList(r: RuleEvidence): string[] {
  if (r.compliant.length === 0) return [];
  return [
    '',
    `  <details><summary>compliant on ${r.compliant.length} resource(s)</summary>`,
    '',
    ...r.compliant.map((p) => `  - ${code(p)}`),
    '',
    '  </details>',
    '',
  ];
}

function ciLine(c: CiEvidence): string {
  const how = {
    passed: `**passed** in a run of this commit${c.ranAt ? ` (${c.ranAt})` : ''}`,
    failed: `**failed** in a run of this commit${c.ranAt ? ` (${c.ranAt})` : ''}`,
    'not-run': `**not run**: ${md(c.reason ?? 'no reason recorded')}`,
    'no-result': '**not run with this report** (no result of this commit)',
  }[c.outcome];
  const place = c.found ? `, performed by ${code(c.command)} at ${at(c.location)}` : `, ${code(c.command)} **is not reached from the CI entry point**`;
  return `- CI gate ${code(c.step)}: ${how}${place}${c.outcome === 'passed' && c.reason ? ` — ${md(c.reason)}` : ''}`;
}

function itemSection(item: ItemReport): string[] {
  const lines = [`### ${item.id} — ${MARKDOWN_BADGE[item.status]}`, '', mdWithCode(item.text), '', `*${md(item.statusReason)}*`, ''];
  if (item.seeds.length) lines.push(`Seeds: ${item.seeds.join(', ')}. Evidence kinds: ${item.evidenceKinds.join(' + ')}.`, '');
  for (const r of item.evidence.rules) {
    lines.push(`- Rule ${code(r.ruleId)}${r.pack ? ` (${md(r.pack)})` : ''}, evaluated in this synthesis: **${r.result}**`);
    for (const f of [...r.violations, ...r.acknowledged]) lines.push(...findingLines(f));
    lines.push(...compliantList(r));
  }
  for (const m of item.evidence.findings) {
    lines.push(`- **Unacknowledged finding** of ${md(m.finding.pack)} (${md(m.via)}): ${md(m.finding.description)}`, ...findingLines(m.finding));
  }
  const testLine = (t: ItemReport['evidence']['tests'][number]) => `- Test **${t.status}** in the test run of this commit: ${md(t.name)} (${code(t.file)})`;
  const tests = item.evidence.tests;
  if (tests.length <= 5) lines.push(...tests.map(testLine));
  else {
    // Many tests: the failed ones stay in view, the others are collapsed under a count.
    lines.push(...tests.filter((t) => t.status === 'failed').map(testLine));
    const rest = tests.filter((t) => t.status !== 'failed');
    const passed = rest.filter((t) => t.status === 'passed').length;
    lines.push(`- Tests: ${passed} passed in the test run of this commit${rest.length > passed ? `, ${rest.length - passed} skipped` : ''}`, '', '  <details><summary>the tests</summary>', '');
    lines.push(...rest.map((t) => `  ${testLine(t)}`), '', '  </details>', '');
  }
  for (const c of item.evidence.ci) lines.push(ciLine(c));
  for (const d of item.evidence.docs) lines.push(`- Document [${md(d.link)}](${d.link}), documented only${d.found ? '' : ': **missing**'}`);
  for (const a of item.acknowledgments) {
    lines.push(`- Exception ${code(a.id)} on ${code(a.path)} (owner ${md(a.owner)}, review by ${a.reviewBy}, ${a.matchedFindings} finding(s)): ${md(a.reason)}`);
  }
  for (const g of item.gaps) lines.push(`- **Gap:** ${md(g)}`);
  for (const u of item.unverified) lines.push(`- **Not verified:** ${md(u)}`);
  lines.push('');
  return lines;
}

function runsSection(report: AuditReport): string[] {
  const r = report.runs;
  const t = r.tests;
  return [
    '## Evidence runs',
    '',
    `Commit ${code(r.commit)}${r.dirty ? ' with uncommitted changes' : ''}.`,
    '',
    t
      ? `- Tests: the run of ${t.finishedAt} (${code(t.file)}): ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${t.partial ? '; a partial run (only some test files)' : ''}.`
      : `- Tests: **not run with this report** (${md(r.testsNote ?? 'no results')}).`,
    ...r.gates.map(
      (g) =>
        `- CI gate ${code(g.step)}: ${g.outcome === 'no-result' ? '**not run with this report**' : `**${g.outcome}**${g.ranAt ? ` (${g.ranAt})` : ''}`}${g.reason ? ` — ${md(g.reason)}` : ''}`,
    ),
    '',
  ];
}

/** The report as Markdown. */
export function toMarkdown(report: AuditReport): string {
  const s = report.summary;
  const lines: string[] = [
    '# mcp-perimeter auditor report',
    '',
    `Generated ${report.generatedAt} by ${report.tool.name} ${report.tool.version} (report schema ${report.schemaVersion}). ` +
      `Synthesis **${report.synthesis.outcome}**${report.synthesis.error ? `: ${md(report.synthesis.error)}` : ''}.`,
    '',
    `**${s.items.total} checklist items:** ${s.items.enforced} enforced, ${s.items['enforced-with-exceptions']} enforced with exceptions, ` +
      `${s.items.documented} documented, ${s.items['not-verified']} not verified, ${s.items.failing} failing.`,
    '',
    '## Legend',
    '',
    ...ITEM_STATUSES.map((k) => `- ${MARKDOWN_BADGE[k]}: ${md(report.legend[k])}.`),
    '',
    'How each kind of evidence is verified:',
    '',
    ...Object.values(EVIDENCE_LEGEND).map((v) => `- ${md(v)}.`),
    '',
    ...runsSection(report),
    '## Packs',
    '',
    '| Pack | Version | Conclusion | Unacknowledged findings | Acknowledged | Compliant results |',
    '| --- | --- | --- | ---: | ---: | ---: |',
    ...report.packs.map((p) => {
      const sp = s.packs.find((x) => x.name === p.name)!;
      return `| ${md(p.name)} | ${p.version ?? 'unknown'} | ${p.conclusion} | ${sp.violations} | ${sp.acknowledged} | ${sp.compliant ?? 'n/a'} |`;
    }),
    '',
    '## Checklist sections',
    '',
    '| Section | Items | Enforced | With exceptions | Documented | Not verified | Failing |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...s.sections.map((x) => `| ${md(x.title)} | ${x.total} | ${x.enforced} | ${x['enforced-with-exceptions']} | ${x.documented} | ${x['not-verified']} | ${x.failing} |`),
    '',
    '## Items',
    '',
  ];
  let section = '';
  for (const item of report.items) {
    if (item.section !== section) {
      section = item.section;
      const title = s.sections.find((x) => x.id === section)?.title ?? section;
      lines.push(`## ${md(title)}`, '');
    }
    lines.push(...itemSection(item));
  }
  const open = report.packs.flatMap((p) => p.violations);
  lines.push('## Unacknowledged findings', '');
  if (open.length === 0) lines.push('None.', '');
  else for (const f of open) lines.push(`- ${md(f.pack)} ${code(f.ruleId)} (${f.severity}): ${md(f.description)}`, ...findingLines(f));
  if (report.unmappedFindings.length > 0) {
    lines.push('', 'Mapped to no checklist item:', '');
    for (const f of report.unmappedFindings) lines.push(`- ${md(f.pack)} ${code(f.ruleId)}`);
  }
  lines.push('', '## Acknowledgments', '');
  if (report.acknowledgments.length === 0) lines.push('None.', '');
  else {
    lines.push('| Id | Construct | Item | Owner | Review by | Findings | Reason |', '| --- | --- | --- | --- | --- | ---: | --- |');
    for (const a of report.acknowledgments) {
      lines.push(`| ${code(a.id)} | ${code(a.path)} | ${a.item} | ${md(a.owner)} | ${a.reviewBy} | ${a.matchedFindings} | ${md(a.reason)} |`);
    }
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
