/**
 * Records a CI gate's outcome for the auditor report: `reports/gates/<step>.json` with the commit and
 * working-tree state it ran on (lib/compliance/report/run-results.ts). The report counts a gate only when
 * its recorded outcome is of the same commit and tree state as the report.
 *
 * Usage: node -r esbuild-register scripts/record-gate.ts <step> <passed|failed|not-run> <reason…>
 *   step: a checklist CI step (npm-audit, secretlint, lockfile, no-default-credentials)
 * Exit status 2 on a bad argument, naming it.
 */
import { join } from 'node:path';
import { CI_GATES } from '../lib/compliance/report/ci-catalog';
import { GATE_OUTCOMES, GateResult, writeGateResult } from '../lib/compliance/report/run-results';

const REPO_ROOT = join(__dirname, '..');

/** Records `step`'s outcome in this repository. @throws naming the bad argument */
export function recordGate(step: string, outcome: string, reason: string): string {
  if (!(step in CI_GATES)) throw new Error(`step must be one of ${Object.keys(CI_GATES).join(', ')}, got '${step}'`);
  if (!(GATE_OUTCOMES as readonly string[]).includes(outcome)) throw new Error(`outcome must be one of ${GATE_OUTCOMES.join(', ')}, got '${outcome}'`);
  return writeGateResult(REPO_ROOT, step, outcome as GateResult['outcome'], reason);
}

if (require.main === module) {
  const [step = '', outcome = '', ...reason] = process.argv.slice(2);
  try {
    recordGate(step, outcome, reason.join(' '));
  } catch (e) {
    process.stderr.write(`record-gate: ${(e as Error).message}\n`);
    process.exit(2);
  }
}
