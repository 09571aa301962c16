import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml, gitState, inlineCodeHtml, itemIdsOfTest, itemIdsOfTestName, readTestRun, sourceLocationOf, testsOfItem } from '../../../lib/compliance/report';
import { completeFixtureRepo } from './fixture-app';

const REPO_ROOT = join(__dirname, '..', '..', '..');

test('REPORT: a test evidences the checklist ids its name starts with, one or several', () => {
  // THEN
  expect(itemIdsOfTestName('AUTH-3: opaque tokens are compared in constant time')).toEqual(['AUTH-3']);
  expect(itemIdsOfTestName('AUTH-3, AUTH-4: tokens are digests')).toEqual(['AUTH-3', 'AUTH-4']);
  expect(itemIdsOfTestName('SUPPLY-1/SUPPLY-2: lock file and scan')).toEqual(['SUPPLY-1', 'SUPPLY-2']);
  expect(itemIdsOfTestName('REPORT: not a checklist id')).toEqual([]);
  expect(itemIdsOfTestName('fails when AUTH-3 is broken')).toEqual([]);
  expect(itemIdsOfTestName('AUTH-3 without a colon')).toEqual([]);
});

test('REPORT: test evidence is the list the runner reports: a describe title counts, parameters are as they ran, and nothing else is read', () => {
  // GIVEN a run as test/results-reporter.js records it
  const run = {
    commit: 'c',
    dirty: false,
    treeState: 'c',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    partial: false,
    tests: [
      { fullName: 'AUTH-3: 64 runs agree', ancestorTitles: [], title: 'AUTH-3: 64 runs agree', status: 'passed' as const, file: 'test/a.test.ts' },
      { fullName: 'AUTH-4: tokens issue and revoke', ancestorTitles: ['AUTH-4: tokens'], title: 'issue and revoke', status: 'failed' as const, file: 'test/b.test.ts' },
      { fullName: 'REPORT: mentions AUTH-3: in the middle', ancestorTitles: [], title: 'REPORT: mentions AUTH-3: in the middle', status: 'passed' as const, file: 'test/c.test.ts' },
    ],
  };
  // WHEN / THEN
  expect(itemIdsOfTest(run.tests[1])).toEqual(['AUTH-4']);
  expect(testsOfItem(run, 'AUTH-3').map((t) => t.fullName)).toEqual(['AUTH-3: 64 runs agree']);
  expect(testsOfItem(run, 'AUTH-4').map((t) => t.status)).toEqual(['failed']);
});

test('REPORT: the jest reporter records the commit, the tree state and every test as it ran (a fixture string never becomes a test)', () => {
  // GIVEN a repository with one test file whose fixture holds a test-shaped string, and a parameterized test
  const root = completeFixtureRepo({ tests: null });
  mkdirSync(join(root, 'test'));
  writeFileSync(
    join(root, 'test', 'x.test.ts'),
    ["const fixture = \"test('AUTH-1: a', () => {})\";", "test.each([1, 2])('AUTH-2: run %i', (n) => { expect(n).toBeGreaterThan(0); });", "test('AUTH-3: fails', () => { expect(fixture).toBe(''); });"].join('\n'),
  );
  writeFileSync(
    join(root, 'jest.config.js'),
    `module.exports = { rootDir: ${JSON.stringify(root)}, testMatch: ['**/test/*.test.ts'], transform: { '^.+\\\\.ts$': [${JSON.stringify(require.resolve('ts-jest'))}, { diagnostics: false, tsconfig: { esModuleInterop: true } }] }, reporters: [${JSON.stringify(join(REPO_ROOT, 'test', 'results-reporter.js'))}] };`,
  );
  // WHEN jest runs there
  const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--config', join(root, 'jest.config.js'), '--ci'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules') } });
  const run = readTestRun(root);
  if (!run) throw new Error(`no results written; jest said: ${jest.stderr}`);
  // THEN
  expect(run.commit).toBe(gitState(root).commit);
  expect(run.dirty).toBe(true);
  expect(run.treeState).toBe(gitState(root).treeState);
  expect(run.partial).toBe(false);
  expect(run.tests.map((t) => [t.fullName, t.status]).sort()).toEqual([
    ['AUTH-2: run 1', 'passed'],
    ['AUTH-2: run 2', 'passed'],
    ['AUTH-3: fails', 'failed'],
  ]);
  expect(run.tests[0].file).toBe('test/x.test.ts');
});

test('REPORT: the source location is the first stack frame inside the repository and outside node_modules', () => {
  // GIVEN a CDK creation trace and an acknowledgment trace
  const trace = '...new Queue2 in aws-cdk-lib...\nQueue (/repo/node_modules/x/q.js:1:1)\nnew EdgeStack (/repo/lib/stacks/edge-stack.ts:42:7)\nmain (/repo/bin/app.ts:9:3)';
  // THEN
  expect(sourceLocationOf([trace], '/repo')).toEqual({ file: 'lib/stacks/edge-stack.ts', line: 42, column: 7 });
  expect(sourceLocationOf('    at applyAcknowledgments (/repo/lib/compliance/acknowledgments.ts:60:25)', '/repo')).toEqual({
    file: 'lib/compliance/acknowledgments.ts',
    line: 60,
    column: 25,
  });
  expect(sourceLocationOf('at x (/elsewhere/file.ts:1:1)', '/repo')).toBeUndefined();
  expect(sourceLocationOf(undefined, '/repo')).toBeUndefined();
});

test('REPORT: text from findings is escaped in the HTML page', () => {
  // THEN
  expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
});

test('REPORT: inline code of the checklist becomes <code> in HTML, escaped inside and out', () => {
  // THEN
  expect(inlineCodeHtml('Tokens in `access_token` or `<x>` & more')).toBe('Tokens in <code>access_token</code> or <code>&lt;x&gt;</code> &amp; more');
  expect(inlineCodeHtml('a lone ` backtick')).toBe('a lone ` backtick');
});
