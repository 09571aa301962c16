/**
 * The report as one self-contained HTML page an auditor can read and print: no script, no external
 * asset (a Content-Security-Policy of `default-src 'none'` makes sure of it), summary first (per pack,
 * per checklist section), then every item with its evidence and exceptions.
 */
import { EVIDENCE_LEGEND, ITEM_STATUSES } from './model';
import type { AuditReport, CiEvidence, Finding, FindingResource, ItemReport, ItemStatus, PackReport, RuleEvidence, SourceLocation } from './model';

const LABEL: Record<ItemStatus, string> = {
  enforced: 'Enforced',
  'enforced-with-exceptions': 'Enforced with exceptions',
  documented: 'Documented',
  'not-verified': 'Not verified',
  failing: 'Failing',
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const e = escapeHtml;
/** Above this many tests, an item's passed tests are collapsed under a count. */
const TESTS_SHOWN = 5;
const code = (s: string) => `<code>${e(s)}</code>`;

/** Escapes text and renders its Markdown `inline code` spans (the checklist's notation) as `<code>`. */
export function inlineCodeHtml(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part) => (/^`[^`]+`$/.test(part) ? code(part.slice(1, -1)) : e(part)))
    .join('');
}
const at = (l: SourceLocation | undefined) => (l ? ` <span class="loc">${e(l.file)}:${l.line}</span>` : '');
const where = (r: FindingResource) => (r.location ? at(r.location) : ` <span class="loc unknown">${e(r.locationUnknown ?? 'no source line known')}</span>`);
const pill = (status: ItemStatus) => `<span class="pill ${status}">${LABEL[status]}</span>`;
const conclusionPill = (c: PackReport['conclusion']) => `<span class="pill pack-${c}">${c === 'not-run' ? 'not run' : c}</span>`;

const CSS = `
:root{--ink:#1b2430;--muted:#5b6675;--line:#d9dee5;--bg:#f5f7fa;--card:#fff;--ok:#1f7a4d;--ok-bg:#e3f4ea;--warn:#8a5a00;--warn-bg:#fdf1d8;
--doc:#234e8c;--doc-bg:#e4ecf8;--bad:#a32020;--bad-bg:#fbe4e4;--nv:#5a3f8c;--nv-bg:#ece6f6;--accent:#0b3d63}
*{box-sizing:border-box}
html{font:14px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;color:var(--ink);background:var(--bg)}
body{margin:0}
header.top{background:var(--accent);color:#fff;padding:28px 40px 24px}
header.top h1{margin:0 0 4px;font-size:24px;font-weight:600;letter-spacing:.2px}
header.top p{margin:0;color:#d5e2ee}
main{max-width:1120px;margin:0 auto;padding:24px 40px 48px}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
h2{font-size:18px;margin:32px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:0}
.cards{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;margin-top:4px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px}
.card .n{font-size:28px;font-weight:650;line-height:1.1}
.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.6px}
.card.enforced .n{color:var(--ok)}.card.enforced-with-exceptions .n{color:var(--warn)}.card.documented .n{color:var(--doc)}.card.not-verified .n{color:var(--nv)}.card.failing .n{color:var(--bad)}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#eef1f5;font-size:12px;text-transform:uppercase;letter-spacing:.5px;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr:last-child td{border-bottom:0}
.bar{display:flex;height:10px;border-radius:5px;overflow:hidden;background:#e6e9ee;min-width:120px}
.bar span{display:block;height:100%}
.bar .enforced{background:var(--ok)}.bar .enforced-with-exceptions{background:#d99a1e}.bar .documented{background:#4a78c2}.bar .not-verified{background:#8a6cc0}.bar .failing{background:var(--bad)}
.pill{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap}
.pill.enforced,.pill.pack-success{color:var(--ok);background:var(--ok-bg)}
.pill.enforced-with-exceptions{color:var(--warn);background:var(--warn-bg)}
.pill.documented,.pill.pack-not-run{color:var(--doc);background:var(--doc-bg)}
.pill.not-verified{color:var(--nv);background:var(--nv-bg)}
.pill.failing,.pill.pack-failure,.pill.test-failed,.pill.gate-failed{color:var(--bad);background:var(--bad-bg)}
.pill.test-passed,.pill.gate-passed{color:var(--ok);background:var(--ok-bg)}
.pill.test-skipped,.pill.test-todo,.pill.gate-not-run,.pill.gate-no-result{color:var(--nv);background:var(--nv-bg)}
dl.legend{display:grid;grid-template-columns:max-content 1fr;gap:6px 14px;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:0}
dl.legend dt{margin:0}dl.legend dd{margin:0}
details.tests{display:inline-block;margin:0}
details{margin:2px 0 4px 68px;color:var(--muted);font-size:13px}details summary{cursor:pointer}details ul{margin:4px 0;padding-left:18px}
.unverified{color:var(--nv);font-weight:600}
.item{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--line);border-radius:8px;padding:14px 18px;margin:0 0 12px;break-inside:avoid}
.item.enforced{border-left-color:var(--ok)}.item.enforced-with-exceptions{border-left-color:#d99a1e}.item.documented{border-left-color:#4a78c2}.item.not-verified{border-left-color:#8a6cc0}.item.failing{border-left-color:var(--bad)}
.item header{display:flex;gap:12px;align-items:baseline;flex-wrap:wrap}
.item .id{font-weight:700;font-size:15px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.item .text{margin:6px 0 4px}
.item .why{color:var(--muted);font-style:italic;margin:0 0 8px}
.meta{color:var(--muted);font-size:12px}
.evidence{margin:6px 0 0;padding:0;list-style:none}
.evidence li{padding:3px 0 3px 0}
.kind{display:inline-block;min-width:64px;margin-right:6px;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.5px;color:var(--muted)}
.sub{margin:2px 0 4px 68px;padding:0;list-style:disc;color:var(--muted);font-size:13px}
.gap{color:var(--bad);font-weight:600}
.exception{background:var(--warn-bg);border-radius:6px;padding:6px 10px;margin-top:6px}
code,.loc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
code{background:#eef1f5;padding:0 4px;border-radius:4px;word-break:break-all}
.loc{color:var(--muted)}
.banner{border-radius:8px;padding:12px 16px;margin:0 0 8px;font-weight:600}
.banner.succeeded{background:var(--ok-bg);color:var(--ok)}.banner.failed{background:var(--bad-bg);color:var(--bad)}
footer{color:var(--muted);font-size:12px;text-align:center;padding:0 0 32px}
@media print{
  html{background:#fff;font-size:11px}
  header.top{background:#fff;color:var(--ink);padding:0 0 8px;border-bottom:2px solid var(--ink)}
  header.top p{color:var(--muted)}
  main{max-width:none;padding:0}
  .cards{grid-template-columns:repeat(6,1fr)}
  h2{break-after:avoid}
  .item,table{break-inside:avoid}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
@page{margin:14mm}
`;

function bar(c: { total: number } & Record<ItemStatus, number>): string {
  if (c.total === 0) return '<div class="bar"></div>';
  const seg = (k: ItemStatus) => (c[k] ? `<span class="${k}" style="width:${(100 * c[k]) / c.total}%"></span>` : '');
  const label = ITEM_STATUSES.map((k) => `${c[k]} ${LABEL[k].toLowerCase()}`).join(', ');
  return `<div class="bar" role="img" aria-label="${e(label)}">${ITEM_STATUSES.map(seg).join('')}</div>`;
}

function findingItems(findings: readonly Finding[]): string {
  const lis = findings.flatMap((f) =>
    f.resources.map((r) => {
      const a = f.acknowledgment;
      const ack = a
        ? ` — acknowledged${a.owner ? ` <span class="meta">(owner ${e(a.owner)}, review by ${e(a.reviewBy ?? '')})</span>` : ''}: ${e(a.reason)}`
        : ' — <span class="gap">unacknowledged</span>';
      return `<li>${code(f.ruleId)} on ${code(r.constructPath)}${where(r)}${ack}</li>`;
    }),
  );
  return lis.length ? `<ul class="sub">${lis.join('')}</ul>` : '';
}

function compliantDetails(r: RuleEvidence): string {
  if (r.compliant.length === 0) return '';
  const n = r.compliant.length;
  return `<details class="compliant"><summary>compliant on ${n} resource${n === 1 ? '' : 's'}</summary><ul>${r.compliant.map((p) => `<li>${code(p)}</li>`).join('')}</ul></details>`;
}

function ciHtml(c: CiEvidence): string {
  const outcome = { passed: 'passed', failed: 'failed', 'not-run': 'not run', 'no-result': 'not run with this report' }[c.outcome];
  const when = c.ranAt ? ` <span class="meta">in a run of this commit, ${e(c.ranAt)}</span>` : '';
  const why = c.reason && c.outcome !== 'passed' ? `: ${e(c.reason)}` : '';
  const place = c.found ? ` — performed by ${code(c.command)}${at(c.location)}` : ` — ${code(c.command)} <span class="gap">is not reached from the CI entry point</span>`;
  return `<li><span class="kind">ci</span>${code(c.step)} <span class="pill gate-${c.outcome}">${outcome}</span>${when}${why}${place}</li>`;
}

function itemHtml(item: ItemReport): string {
  const ev: string[] = [];
  for (const r of item.evidence.rules) {
    ev.push(
      `<li><span class="kind">nag</span>${code(r.ruleId)}${r.pack ? ` <span class="meta">(${e(r.pack)}, evaluated in this synthesis)</span>` : ''}: <strong>${e(r.result)}</strong>` +
        `${findingItems([...r.violations, ...r.acknowledged])}${compliantDetails(r)}</li>`,
    );
  }
  for (const m of item.evidence.findings) {
    ev.push(`<li class="mapped-finding"><span class="kind">finding</span><span class="gap">unacknowledged</span> ${e(m.finding.pack)} ${code(m.finding.ruleId)} <span class="meta">(${e(m.via)})</span>: ${e(m.finding.description)}${findingItems([m.finding])}</li>`);
  }
  const testLi = (t: ItemReport['evidence']['tests'][number]) =>
    `<li><span class="kind">test</span><span class="pill test-${t.status}">${e(t.status)}</span> ${e(t.name)} <span class="loc">${e(t.file)}</span></li>`;
  // Many tests: the failed ones stay in view, the others are collapsed under a count.
  const [shown, folded] = item.evidence.tests.length > TESTS_SHOWN ? [item.evidence.tests.filter((t) => t.status === 'failed'), item.evidence.tests.filter((t) => t.status !== 'failed')] : [item.evidence.tests, []];
  for (const t of shown) ev.push(testLi(t));
  if (folded.length) {
    const passed = folded.filter((t) => t.status === 'passed').length;
    ev.push(
      `<li><span class="kind">test</span><details class="tests"><summary>${passed} test${passed === 1 ? '' : 's'} passed${folded.length > passed ? `, ${folded.length - passed} skipped` : ''} in the test run of this commit</summary><ul class="evidence">${folded.map(testLi).join('')}</ul></details></li>`,
    );
  }
  for (const c of item.evidence.ci) ev.push(ciHtml(c));
  for (const d of item.evidence.docs) ev.push(`<li><span class="kind">doc</span>${code(d.link)} <span class="meta">documented only</span>${d.found ? '' : ' <span class="gap">missing</span>'}</li>`);
  const exceptions = item.acknowledgments.map(
    (a) =>
      `<div class="exception"><strong>Exception</strong> ${code(a.id)} on ${code(a.path)}: ${e(a.reason)} ` +
      `<span class="meta">— owner ${e(a.owner)}, review by ${e(a.reviewBy)}, ${a.matchedFindings} finding${a.matchedFindings === 1 ? '' : 's'}</span></div>`,
  );
  const gaps = [
    ...item.gaps.map((g) => `<li><span class="kind">gap</span><span class="gap">${e(g)}</span></li>`),
    ...item.unverified.map((u) => `<li><span class="kind">unverified</span><span class="unverified">${e(u)}</span></li>`),
  ];
  return `<article class="item ${item.status}" id="${e(item.id)}">
<header><span class="id">${e(item.id)}</span>${pill(item.status)}<span class="meta">seeds ${e(item.seeds.join(', ') || '—')} · evidence ${e(item.evidenceKinds.join(' + '))}</span></header>
<p class="text">${inlineCodeHtml(item.text)}</p>
<p class="why">${e(item.statusReason)}</p>
${ev.length ? `<ul class="evidence">${ev.join('\n')}</ul>` : ''}
${exceptions.join('\n')}
${gaps.length ? `<ul class="evidence">${gaps.join('')}</ul>` : ''}
</article>`;
}

/** The report as one self-contained HTML page. */
export function toHtml(report: AuditReport): string {
  const s = report.summary;
  const cards = ITEM_STATUSES
    .map((k) => `<div class="card ${k}"><div class="n">${s.items[k]}</div><div class="l">${LABEL[k]}</div></div>`)
    .join('');
  const packRows = s.packs
    .map(
      (p) =>
        `<tr><td>${e(p.name)}</td><td>${e(report.packs.find((x) => x.name === p.name)?.version ?? 'unknown')}</td><td>${conclusionPill(p.conclusion)}</td><td class="num">${p.violations}</td>` +
        `<td class="num">${p.acknowledged}</td><td class="num">${p.compliant ?? '—'}</td></tr>`,
    )
    .join('\n');
  const sectionRows = s.sections
    .map(
      (x) =>
        `<tr><td><a href="#section-${e(x.id)}">${e(x.title)}</a></td><td class="num">${x.total}</td><td class="num">${x.enforced}</td>` +
        `<td class="num">${x['enforced-with-exceptions']}</td><td class="num">${x.documented}</td><td class="num">${x['not-verified']}</td><td class="num">${x.failing}</td><td>${bar(x)}</td></tr>`,
    )
    .join('\n');
  const sections = s.sections
    .map((x) => {
      const items = report.items.filter((i) => i.section === x.id);
      return `<section id="section-${e(x.id)}"><h2>${e(x.title)}</h2>\n${items.map(itemHtml).join('\n')}</section>`;
    })
    .join('\n');
  const open = report.packs.flatMap((p) => p.violations);
  const ackRows = report.acknowledgments
    .map(
      (a) =>
        `<tr><td>${code(a.id)}</td><td>${code(a.path)}</td><td><a href="#${e(a.item)}">${e(a.item)}</a></td><td>${e(a.owner)}</td>` +
        `<td>${e(a.reviewBy)}</td><td class="num">${a.matchedFindings}</td><td>${e(a.reason)}</td></tr>`,
    )
    .join('\n');
  const total = s.items;
  const legend =
    `<dl class="legend">${ITEM_STATUSES.map((k) => `<dt>${pill(k)}</dt><dd>${e(report.legend[k])}</dd>`).join('')}</dl>` +
    `<ul class="evidence">${Object.entries(EVIDENCE_LEGEND).map(([k, v]) => `<li><span class="kind">${e(k)}</span>${e(v)}</li>`).join('')}</ul>`;
  const r = report.runs;
  const t = r.tests;
  const runs =
    `<ul class="evidence" id="runs"><li><span class="kind">commit</span>${code(r.commit)}${r.dirty ? ' <span class="meta">with uncommitted changes</span>' : ''}</li>` +
    (t
      ? `<li><span class="kind">tests</span>the run of ${e(t.finishedAt)} (${code(t.file)}): ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${t.partial ? ' <span class="unverified">— a partial run (only some test files)</span>' : ''}</li>`
      : `<li><span class="kind">tests</span><span class="unverified">not run with this report</span> <span class="meta">(${e(r.testsNote ?? 'no results')})</span></li>`) +
    r.gates
      .map((g) => `<li><span class="kind">ci</span>${code(g.step)} <span class="pill gate-${g.outcome}">${g.outcome === 'no-result' ? 'not run with this report' : e(g.outcome.replace('-', ' '))}</span>${g.ranAt ? ` <span class="meta">${e(g.ranAt)}</span>` : ''}${g.reason ? ` — ${e(g.reason)}` : ''}</li>`)
      .join('') +
    '</ul>';
  const unmapped = report.unmappedFindings.length
    ? `<p>Mapped to no checklist item:</p><ul class="evidence">${report.unmappedFindings.map((f) => `<li>${e(f.pack)} ${code(f.ruleId)}</li>`).join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>mcp-perimeter auditor report</title>
<style>${CSS}</style>
</head>
<body>
<header class="top">
<h1>mcp-perimeter — auditor report</h1>
<p>Generated ${e(report.generatedAt)} by ${e(report.tool.name)} ${e(report.tool.version)} · report schema ${e(report.schemaVersion)} · ${total.total} checklist items</p>
</header>
<main>
<h2>Summary</h2>
<div class="banner ${report.synthesis.outcome}">Synthesis ${e(report.synthesis.outcome)}${report.synthesis.error ? `: ${e(report.synthesis.error)}` : ''}</div>
<div class="cards"><div class="card"><div class="n">${total.total}</div><div class="l">Checklist items</div></div>${cards}</div>
<h2>Legend</h2>
${legend}
<h2>Evidence runs</h2>
${runs}
<h2>Packs</h2>
<table><thead><tr><th>Pack</th><th>Version</th><th>Conclusion</th><th class="num">Unacknowledged</th><th class="num">Acknowledged</th><th class="num">Compliant results</th></tr></thead>
<tbody>
${packRows}
</tbody></table>
<h2>Checklist sections</h2>
<table><thead><tr><th>Section</th><th class="num">Items</th><th class="num">Enforced</th><th class="num">With exceptions</th><th class="num">Documented</th><th class="num">Not verified</th><th class="num">Failing</th><th>Status</th></tr></thead>
<tbody>
${sectionRows}
</tbody></table>
${sections}
<h2>Unacknowledged findings</h2>
${open.length ? `<ul class="evidence" id="unacknowledged">${open.map((f) => `<li><span class="kind">${e(f.severity)}</span>${e(f.pack)} ${code(f.ruleId)}: ${e(f.description)}${findingItems([f])}</li>`).join('\n')}</ul>` : '<p>None.</p>'}
${unmapped}
<h2>Acknowledgments</h2>
${
  report.acknowledgments.length
    ? `<table><thead><tr><th>Id</th><th>Construct</th><th>Item</th><th>Owner</th><th>Review by</th><th class="num">Findings</th><th>Reason</th></tr></thead><tbody>\n${ackRows}\n</tbody></table>`
    : '<p>None.</p>'
}
</main>
<footer>mcp-perimeter auditor report · the same content as report.json, report.md and report.sarif in this folder</footer>
</body>
</html>
`;
}
