/**
 * `npm run report`: writes the auditor report again (cdk.out/audit/) from the last synthesis
 * (cdk.out/audit/synthesis.json and cdk.out/validation-report.json) and the latest test run and CI gate
 * results of the same commit (reports/), without synthesizing again. CI runs it last, after the tests
 * and the gates, so CI's report carries their results.
 *
 * Usage: node -r esbuild-register scripts/write-report.ts [assemblyDir]   (default: cdk.out)
 * Exit status 1 when there is no synthesis to report on, or when an item is failing (like the synth).
 */
import { join, resolve } from 'node:path';
import { rebuildAuditReport } from '../lib/compliance/report/synthesize-with-audit';

if (require.main === module) {
  const repoRoot = resolve(__dirname, '..');
  const assemblyDir = resolve(process.argv[2] ?? join(repoRoot, 'cdk.out'));
  try {
    const { report, files } = rebuildAuditReport({ repoRoot, assemblyDir });
    const c = report.summary.items;
    process.stdout.write(
      `audit: ${c.total} items: ${c.enforced} enforced, ${c['enforced-with-exceptions']} enforced with exceptions, ${c.documented} documented, ` +
        `${c['not-verified']} not verified, ${c.failing} failing; report in ${files.html}\n`,
    );
    // The test run this report carries, as the runner counted it (reports/test-results.json of this commit),
    // so that CI's log closes on the tests' count even though the report is written after them.
    const tests = report.runs.tests;
    process.stdout.write(tests ? `tests: ${tests.passed} passed, ${tests.failed} failed${tests.skipped ? `, ${tests.skipped} skipped` : ''}\n` : `audit: ${report.runs.testsNote ?? 'tests not run with this report'}\n`);
    if (c.failing > 0) process.exit(1);
  } catch (e) {
    process.stderr.write(`audit: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
