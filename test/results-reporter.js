/**
 * Writes the test runner's own results to `reports/test-results.json` (lib/compliance/report/run-results.ts
 * has the schema): the commit and working-tree state the run was on, when it ran, whether it was a partial
 * run (a path or name pattern, only-changed or related tests), and every test's full name as it ran
 * (describe titles and title, parameters expanded) with its status. The auditor report takes test
 * evidence from this file only, never from source text.
 */
const { relative, sep } = require('node:path');

const STATUS = { passed: 'passed', failed: 'failed', pending: 'skipped', skipped: 'skipped', disabled: 'skipped', todo: 'todo', focused: 'passed' };

function loadRunResults() {
  // The schema and the git state live in TypeScript; register the loader only for this require.
  const { unregister } = require('esbuild-register/dist/node').register({});
  try {
    return require('../lib/compliance/report/run-results.ts');
  } finally {
    unregister();
  }
}

class ResultsReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
    this.startedAt = new Date().toISOString();
    this.runResults = loadRunResults();
    // The state of the code that runs: taken before any test can leave a file behind.
    this.git = this.runResults.gitState(globalConfig.rootDir);
  }

  onRunComplete(_contexts, results) {
    const g = this.globalConfig;
    const repoRoot = g.rootDir;
    const runResults = this.runResults;
    const tests = results.testResults.flatMap((file) =>
      file.testResults.map((t) => ({
        fullName: t.fullName,
        ancestorTitles: t.ancestorTitles,
        title: t.title,
        status: STATUS[t.status] ?? 'skipped',
        file: relative(repoRoot, file.testFilePath).split(sep).join('/'),
      })),
    );
    // A test file that failed to load has no test results: record it as one failed entry so it is not silently absent.
    for (const file of results.testResults) {
      if (file.testExecError && file.testResults.length === 0) {
        const path = relative(repoRoot, file.testFilePath).split(sep).join('/');
        tests.push({ fullName: `${path}: test file failed to run`, ancestorTitles: [], title: `${path}: test file failed to run`, status: 'failed', file: path });
      }
    }
    const partial = Boolean(g.testPathPatterns?.patterns?.length || g.testNamePattern || g.onlyChanged || g.findRelatedTests || g.onlyFailures || g.shard);
    runResults.writeTestRun(repoRoot, {
      ...this.git,
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      partial,
      tests,
    });
  }
}
module.exports = ResultsReporter;
