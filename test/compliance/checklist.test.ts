import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKLIST, CHECKLIST_SECTIONS, checklistItem, findChecklistItem, itemIdsOfTestName, itemsOfRule, testsByItem } from '../../lib/compliance/checklist';
import { MCP_PERIMETER_RULES, MCP_PERIMETER_RULE_IDS } from '../../lib/compliance/mcp-perimeter-checks';

/** The checklist markdown, vendored from the project's shared folder into docs/ so that CI has it. */
const CHECKLIST_MD = join(__dirname, '..', '..', 'docs', 'checklist.md');
/** The shared original beside the repository, when this checkout has one. */
const SHARED_CHECKLIST_MD = join(__dirname, '..', '..', '..', 'shared', 'checklist.md');

interface MarkdownItem { id: string; section: string; text: string; seeds: string[]; kinds: string[] }

function parseChecklist(markdown: string): { sections: Array<{ id: string; title: string }>; items: MarkdownItem[] } {
  const sections: Array<{ id: string; title: string }> = [];
  const items: MarkdownItem[] = [];
  for (const line of markdown.split('\n')) {
    const section = /^## (\w+) — (.+)$/.exec(line);
    if (section) {
      sections.push({ id: section[1], title: section[2] });
      continue;
    }
    const item = /^- ([A-Z]+-\d+) (.*) — ([a-z +]+)$/.exec(line);
    if (item) {
      const [, id, body, kinds] = item;
      items.push({
        id,
        section: sections[sections.length - 1].id,
        text: body.replace(/(?<=\.)\s*\(\d{3}[^)]*\)$/, '').trim(),
        seeds: [...new Set(body.match(/\b00[0-4]\b/g) ?? [])].sort(),
        kinds: kinds.split('+').map((k) => k.trim()),
      });
    }
  }
  return { sections, items };
}

const markdown = parseChecklist(readFileSync(CHECKLIST_MD, 'utf8'));
const withMarkdown = test;

test('the vendored docs/checklist.md is the shared checklist, word for word, where the shared folder exists', () => {
  // A clean clone has no ../shared; the vendored copy is then the contract, and it must parse.
  expect(markdown.items.length).toBeGreaterThan(30);
  if (existsSync(SHARED_CHECKLIST_MD)) expect(readFileSync(CHECKLIST_MD, 'utf8')).toBe(readFileSync(SHARED_CHECKLIST_MD, 'utf8'));
});

withMarkdown('every item of the markdown checklist is in CHECKLIST with the same section, text, seeds and evidence kinds', () => {
  // GIVEN
  const expected = markdown.items;
  // WHEN
  const encoded = CHECKLIST.map((i) => ({ id: i.id, section: i.section, text: i.text, seeds: [...i.seeds], kinds: [...i.kinds] }));
  // THEN
  expect(expected.length).toBeGreaterThan(30);
  expect(encoded).toEqual(expected);
});

withMarkdown('the sections are those of the markdown checklist, in order', () => {
  expect(CHECKLIST_SECTIONS).toEqual(markdown.sections);
});

test('every item id is unique and starts with its section', () => {
  // GIVEN / WHEN
  const ids = CHECKLIST.map((i) => i.id);
  // THEN
  expect(new Set(ids).size).toBe(ids.length);
  for (const item of CHECKLIST) expect(item.id.startsWith(`${item.section}-`)).toBe(true);
});

test('every item has evidence of each kind it calls for', () => {
  for (const item of CHECKLIST) {
    const { rules, tests, ci, docs } = item.evidence;
    expect({ id: item.id, nag: rules.length > 0 }).toEqual({ id: item.id, nag: item.kinds.includes('nag') ? true : rules.length > 0 });
    if (item.kinds.includes('test')) expect({ id: item.id, tests }).toEqual({ id: item.id, tests: [`${item.id}:`] });
    if (item.kinds.includes('ci')) expect({ id: item.id, ci: ci.length > 0 }).toEqual({ id: item.id, ci: true });
    if (item.kinds.includes('doc')) expect({ id: item.id, docs: docs.length > 0 }).toEqual({ id: item.id, docs: true });
  }
});

test('every nag-evidenced item has an McpPerimeter rule that the pack runs, and that rule names the item', () => {
  for (const item of CHECKLIST.filter((i) => i.kinds.includes('nag'))) {
    const own = item.evidence.rules.filter((r) => r.startsWith('McpPerimeter-'));
    expect({ id: item.id, own: own.length }).toEqual({ id: item.id, own: 1 });
    expect(MCP_PERIMETER_RULE_IDS).toContain(own[0]);
    expect(MCP_PERIMETER_RULES.find((r) => `McpPerimeter-${r.suffix}` === own[0])?.item).toBe(item.id);
  }
});

test('every McpPerimeter rule evidences exactly one checklist item', () => {
  for (const ruleId of MCP_PERIMETER_RULE_IDS) expect({ ruleId, items: itemsOfRule(ruleId).length }).toEqual({ ruleId, items: 1 });
});

test('built-in rule ids name a cdk-nag pack the kit runs', () => {
  const builtIn = CHECKLIST.flatMap((i) => i.evidence.rules).filter((r) => !r.startsWith('McpPerimeter-'));
  for (const rule of builtIn) expect(rule).toMatch(/^(AwsSolutions|NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321|Serverless)-[A-Za-z0-9]+$/);
});

test('itemsOfRule ignores a finding suffix', () => {
  expect(itemsOfRule('McpPerimeter-SEC1[Environment::API_TOKEN]').map((i) => i.id)).toEqual(['SEC-1']);
});

test('checklistItem finds an item, and fails naming the id received and the ids allowed', () => {
  expect(checklistItem('AUTH-3').section).toBe('AUTH');
  expect(findChecklistItem('AUTH-99')).toBeUndefined();
  expect(() => checklistItem('AUTH-99')).toThrow(/checklist item id must be one of TLS-1, .*SUPPLY-2, got 'AUTH-99'/);
});

test('itemIdsOfTestName reads the item ids before the colon, after describe titles', () => {
  expect(itemIdsOfTestName('AUTH-3: opaque tokens are compared in constant time')).toEqual(['AUTH-3']);
  expect(itemIdsOfTestName('Authorizer AUTH-2, EDGE-3: a token in the query string is refused')).toEqual(['AUTH-2', 'EDGE-3']);
  expect(itemIdsOfTestName('parses the config')).toEqual([]);
  expect(itemIdsOfTestName('fails with AUTH-3 mentioned in passing')).toEqual([]);
});

test('testsByItem maps test names to items and reports ids the checklist does not have', () => {
  // GIVEN
  const names = ['AUTH-3: constant time', 'Authorizer AUTH-2, EDGE-3: query tokens refused', 'AUTH-9: typo', 'unrelated'];
  // WHEN
  const evidence = testsByItem(names);
  // THEN
  expect(evidence.byItem.get('AUTH-3')).toEqual(['AUTH-3: constant time']);
  expect(evidence.byItem.get('EDGE-3')).toEqual(['Authorizer AUTH-2, EDGE-3: query tokens refused']);
  expect(evidence.byItem.get('AUTH-2')).toEqual(['Authorizer AUTH-2, EDGE-3: query tokens refused']);
  expect(evidence.byItem.get('AUTH-1')).toEqual([]);
  expect(evidence.byItem.size).toBe(CHECKLIST.length);
  expect(evidence.unknown).toEqual(['AUTH-9: typo']);
});
