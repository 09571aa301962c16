/**
 * The report as Markdown, for a pull request or a ticket: summary first (per pack, per section), then
 * every item with its status, evidence and exceptions.
 */
import type { AuditReport, Finding, ItemReport, ItemStatus, SourceLocation } from './model';

const BADGE: Record<ItemStatus, string> = {
  enforced: '✅ enforced',
  'enforced-with-exceptions': '☑️ enforced with exceptions',
  documented: '📄 documented',
  failing: '❌ failing',
};

/** Escapes text for a Markdown table cell or line. */
function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/([*_`<>[\]])/g, '\\$1');
}

const at = (l: SourceLocation | undefined) => (l ? `\`${l.file}:${l.line}\`` : '');

function findingLines(f: Finding): string[] {
  return f.resources.map((r) => {
    const where = r.location ? ` at ${at(r.location)}` : '';
    const ack = f.acknowledgment ? ` — acknowledged (\`${f.acknowledgment.id}\` at \`${f.acknowledgment.acknowledgedAt}\`): ${md(f.acknowledgment.reason)}` : '';
    return `  - \`${f.ruleId}\` on \`${r.constructPath}\`${where}${ack}`;
  });
}

function itemSection(item: ItemReport): string[] {
  const lines = [`### ${item.id} — ${BADGE[item.status]}`, '', md(item.text), '', `*${md(item.statusReason)}*`, ''];
  if (item.seeds.length) lines.push(`Seeds: ${item.seeds.join(', ')}. Evidence kinds: ${item.evidenceKinds.join(' + ')}.`, '');
  for (const r of item.evidence.rules) {
    lines.push(`- Rule \`${r.ruleId}\`${r.pack ? ` (${md(r.pack)})` : ''}: **${r.result}**${r.compliant.length ? `, compliant on ${r.compliant.length} resource(s)` : ''}`);
    for (const f of [...r.violations, ...r.acknowledged]) lines.push(...findingLines(f));
  }
  for (const t of item.evidence.tests) lines.push(`- Test: ${md(t.name)} (${at(t.location)})`);
  for (const c of item.evidence.ci) lines.push(`- CI step \`${c.step}\`: ${c.found ? `run at ${at(c.location)}` : '**not found**'}`);
  for (const d of item.evidence.docs) lines.push(`- Document [${md(d.link)}](${d.link})${d.found ? '' : ' **missing**'}`);
  for (const a of item.acknowledgments) {
    lines.push(`- Exception \`${a.id}\` on \`${a.path}\` (owner ${md(a.owner)}, review by ${a.reviewBy}, ${a.matchedFindings} finding(s)): ${md(a.reason)}`);
  }
  for (const g of item.gaps) lines.push(`- **Gap:** ${md(g)}`);
  lines.push('');
  return lines;
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
      `${s.items.documented} documented, ${s.items.failing} failing.`,
    '',
    '## Packs',
    '',
    '| Pack | Conclusion | Unacknowledged findings | Acknowledged | Compliant results |',
    '| --- | --- | ---: | ---: | ---: |',
    ...s.packs.map((p) => `| ${md(p.name)} | ${p.conclusion} | ${p.violations} | ${p.acknowledged} | ${p.compliant ?? 'n/a'} |`),
    '',
    '## Checklist sections',
    '',
    '| Section | Items | Enforced | With exceptions | Documented | Failing |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...s.sections.map((x) => `| ${md(x.title)} | ${x.total} | ${x.enforced} | ${x['enforced-with-exceptions']} | ${x.documented} | ${x.failing} |`),
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
  else for (const f of open) lines.push(`- ${md(f.pack)} \`${f.ruleId}\` (${f.severity}): ${md(f.description)}`, ...findingLines(f));
  lines.push('', '## Acknowledgments', '');
  if (report.acknowledgments.length === 0) lines.push('None.', '');
  else {
    lines.push('| Id | Construct | Item | Owner | Review by | Findings | Reason |', '| --- | --- | --- | --- | --- | ---: | --- |');
    for (const a of report.acknowledgments) {
      lines.push(`| \`${a.id}\` | \`${a.path}\` | ${a.item} | ${md(a.owner)} | ${a.reviewBy} | ${a.matchedFindings} | ${md(a.reason)} |`);
    }
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
