import { catalogChecklistTests, escapeHtml, itemIdsOfTestName, sourceLocationOf, testsInSource } from '../../../lib/compliance/report';
import { fixtureRepo } from './fixture-app';

test('REPORT: a test evidences the checklist ids its name starts with, one or several', () => {
  // THEN
  expect(itemIdsOfTestName('AUTH-3: opaque tokens are compared in constant time')).toEqual(['AUTH-3']);
  expect(itemIdsOfTestName('AUTH-3, AUTH-4: tokens are digests')).toEqual(['AUTH-3', 'AUTH-4']);
  expect(itemIdsOfTestName('SUPPLY-1/SUPPLY-2: lock file and scan')).toEqual(['SUPPLY-1', 'SUPPLY-2']);
  expect(itemIdsOfTestName('REPORT: not a checklist id')).toEqual([]);
  expect(itemIdsOfTestName('fails when AUTH-3 is broken')).toEqual([]);
  expect(itemIdsOfTestName('AUTH-3 without a colon')).toEqual([]);
});

test('REPORT: skipped and todo tests are not evidence; test, it and test.only are', () => {
  // GIVEN
  const source = [
    "test('AUTH-1: a', () => {});",
    "it(\"AUTH-2: b\", () => {});",
    'test.only(`AUTH-3: c ${x}`, () => {});',
    "test.skip('AUTH-4: skipped', () => {});",
    "test.todo('AUTH-5: later');",
    "xit('AUTH-6: x', () => {});",
    "xtest('AUTH-7: x', () => {});",
    "mytest('AUTH-8: not jest', () => {});",
    "describe('AUTH-9: a describe is not a test', () => {});",
  ].join('\n');
  // WHEN
  const tests = testsInSource(source, 'test/a.test.ts');
  // THEN
  expect(tests.map((t) => t.name)).toEqual(['AUTH-1: a', 'AUTH-2: b', 'AUTH-3: c ${x}']);
  expect(tests[1].location).toEqual({ file: 'test/a.test.ts', line: 2, column: 1 });
});

test('REPORT: the test catalog reads every *.test.ts under test/ and keeps only tests named after items', () => {
  // GIVEN
  const root = fixtureRepo({
    'test/a/b.test.ts': "test('NET-1: private', () => {});\ntest('unrelated', () => {});\n",
    'test/c.test.ts': "test('NET-2: no open ingress', () => {});\n",
    'test/helper.ts': "test('NET-3: not a test file', () => {});\n",
  });
  // WHEN
  const tests = catalogChecklistTests(root);
  // THEN
  expect(tests.map((t) => [t.name, t.location.file])).toEqual([
    ['NET-1: private', 'test/a/b.test.ts'],
    ['NET-2: no open ingress', 'test/c.test.ts'],
  ]);
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
