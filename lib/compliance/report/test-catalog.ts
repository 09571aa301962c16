/**
 * Which checklist items a test evidences, by its name as the test runner ran it: a test whose title, or
 * a describe title around it, starts with `'<ITEM-ID>: …'` (or `'<ID>, <ID>: …'`) evidences those items.
 * The names come from the runner's own results (reports/test-results.json, written by
 * test/results-reporter.js), never from source text, so a string in a fixture can never pass for a test.
 */
import type { TestResult, TestRun } from './run-results';

const ID_PREFIX = /^((?:[A-Z][A-Z0-9]*-\d+)(?:\s*(?:,|\/|&|and)\s*[A-Z][A-Z0-9]*-\d+)*)\s*:/;

/** The checklist ids a test name starts with (`'AUTH-3: …'` -> `['AUTH-3']`). */
export function itemIdsOfTestName(name: string): string[] {
  const m = ID_PREFIX.exec(name.trim());
  if (!m) return [];
  return m[1].split(/\s*(?:,|\/|&|and)\s*/).filter((s) => s.length > 0);
}

/** The checklist ids a test as run evidences: its title's and its describe titles'. */
export function itemIdsOfTest(test: Pick<TestResult, 'title' | 'ancestorTitles'>): string[] {
  return [...new Set([...test.ancestorTitles, test.title].flatMap(itemIdsOfTestName))];
}

/** The tests of a run that evidence `itemId`, in run order. */
export function testsOfItem(run: TestRun, itemId: string): TestResult[] {
  return run.tests.filter((t) => itemIdsOfTest(t).includes(itemId));
}
