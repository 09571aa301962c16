/**
 * The tests that evidence checklist items, found by reading the test files (never by running them):
 * a test named `'<ITEM-ID>: …'` (or `'<ID>, <ID>: …'`) evidences those items. Skipped and todo tests
 * (`test.skip`, `test.todo`, `xit`, `xtest`) do not count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SourceLocation } from './model';

/** A test found in a test file, with the checklist ids its name starts with. */
export interface CatalogedTest {
  /** The test's name as written (template literals keep their `${…}`). */
  readonly name: string;
  /** The checklist ids its name starts with. */
  readonly itemIds: readonly string[];
  /** Where it is declared, relative to the repository root. */
  readonly location: SourceLocation;
}

// A call `test(` / `it(` (optionally `.only(` / `.concurrent(`), not preceded by `.`, a word character or `x`.
const TEST_CALL = /(?<![.\w$])(?:test|it)(?:\.only|\.concurrent)?\s*\(\s*(['"`])/g;
const ID_PREFIX = /^((?:[A-Z][A-Z0-9]*-\d+)(?:\s*(?:,|\/|&|and)\s*[A-Z][A-Z0-9]*-\d+)*)\s*:/;

function readQuoted(text: string, start: number, quote: string): string | undefined {
  let out = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      out += text[i + 1] ?? '';
      i++;
    } else if (c === quote) {
      return out;
    } else if (c === '\n' && quote !== '`') {
      return undefined;
    } else {
      out += c;
    }
  }
  return undefined;
}

/** The checklist ids a test name starts with (`'AUTH-3: …'` -> `['AUTH-3']`). */
export function itemIdsOfTestName(name: string): string[] {
  const m = ID_PREFIX.exec(name.trim());
  if (!m) return [];
  return m[1].split(/\s*(?:,|\/|&|and)\s*/).filter((s) => s.length > 0);
}

/** The tests declared in one file's text. */
export function testsInSource(text: string, file: string): CatalogedTest[] {
  const out: CatalogedTest[] = [];
  TEST_CALL.lastIndex = 0;
  for (let m = TEST_CALL.exec(text); m; m = TEST_CALL.exec(text)) {
    const name = readQuoted(text, m.index + m[0].length, m[1]);
    if (name === undefined) continue;
    const before = text.slice(0, m.index);
    const line = before.split('\n').length;
    const column = m.index - before.lastIndexOf('\n');
    out.push({ name, itemIds: itemIdsOfTestName(name), location: { file, line, column } });
  }
  return out;
}

function testFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(full);
    return e.isFile() && e.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Every test under `<repoRoot>/test` whose name starts with checklist ids. */
export function catalogChecklistTests(repoRoot: string, testDir = 'test'): CatalogedTest[] {
  return testFiles(join(repoRoot, testDir))
    .sort()
    .flatMap((file) => testsInSource(readFileSync(file, 'utf8'), relative(repoRoot, file).split(sep).join('/')))
    .filter((t) => t.itemIds.length > 0);
}
