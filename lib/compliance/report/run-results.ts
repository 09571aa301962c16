/**
 * The run-time evidence the report reads: the test runner's results (written by test/results-reporter.js
 * on every jest run) and each CI gate's outcome (written by the gate scripts), both stamped with the
 * commit and the working tree's state they ran on. The report uses only results of the very commit and
 * tree state it is built on; anything else is "not run with this report".
 *
 * Files (under `reports/`, which neither `npm ci` nor `cdk synth` touches; ignored by git):
 *   reports/test-results.json      one test run (the latest)
 *   reports/gates/<step>.json      one gate's latest outcome, e.g. reports/gates/npm-audit.json
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The results directory, relative to the repository root. */
export const RESULTS_DIR = 'reports';
/** The test results file, relative to the repository root. */
export const TEST_RESULTS_FILE = `${RESULTS_DIR}/test-results.json`;
/** The gate results directory, relative to the repository root. */
export const GATE_RESULTS_DIR = `${RESULTS_DIR}/gates`;

/** The commit and working-tree state a result belongs to. */
export interface GitState {
  /** `git rev-parse HEAD`, or `unknown` outside a git checkout. */
  readonly commit: string;
  /** Whether `git status --porcelain` lists anything (ignored files, e.g. reports/ and cdk.out/, excepted). */
  readonly dirty: boolean;
  /**
   * sha256 of `git status --porcelain` and `git diff HEAD`: equal for two runs on the same uncommitted
   * changes (untracked files count by name only). Equals `commit` when the tree is clean.
   */
  readonly treeState: string;
}

function git(repoRoot: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/** The repository's commit and tree state now. */
export function gitState(repoRoot: string): GitState {
  const commit = git(repoRoot, ['rev-parse', 'HEAD'])?.trim();
  if (!commit) return { commit: 'unknown', dirty: false, treeState: 'unknown' };
  const status = git(repoRoot, ['status', '--porcelain']) ?? '';
  if (status.trim().length === 0) return { commit, dirty: false, treeState: commit };
  const diff = git(repoRoot, ['diff', 'HEAD']) ?? '';
  return { commit, dirty: true, treeState: createHash('sha256').update(status).update('\u0000').update(diff).digest('hex') };
}

const GitStateSchema = z.object({ commit: z.string(), dirty: z.boolean(), treeState: z.string() });

const TestResultSchema = z.object({
  fullName: z.string(),
  ancestorTitles: z.array(z.string()),
  title: z.string(),
  status: z.enum(['passed', 'failed', 'skipped', 'todo']),
  file: z.string(),
});

const TestRunSchema = GitStateSchema.extend({
  startedAt: z.string(),
  finishedAt: z.string(),
  partial: z.boolean(),
  tests: z.array(TestResultSchema),
});

/** One test as the runner ran it. */
export type TestResult = z.infer<typeof TestResultSchema>;
/** One test run: what test/results-reporter.js writes. */
export type TestRun = z.infer<typeof TestRunSchema>;

/** The CI gates and the line each performs its check with. */
export const GATE_OUTCOMES = ['passed', 'failed', 'not-run'] as const;

const GateResultSchema = GitStateSchema.extend({
  step: z.string(),
  outcome: z.enum(GATE_OUTCOMES),
  reason: z.string(),
  finishedAt: z.string(),
});

/** One gate's recorded outcome. */
export type GateResult = z.infer<typeof GateResultSchema>;

function readJson<T>(file: string, schema: z.ZodType<T>): T | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const r = schema.safeParse(parsed);
  if (!r.success) {
    throw new Error(`${file} is not a results file: ${r.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}

/** Whether a result was produced on this commit and tree state. */
export function sameState(a: GitState, b: GitState): boolean {
  return a.commit !== 'unknown' && a.commit === b.commit && a.treeState === b.treeState;
}

/** Writes a test run to `<repoRoot>/reports/test-results.json`. */
export function writeTestRun(repoRoot: string, run: TestRun): string {
  const file = join(repoRoot, TEST_RESULTS_FILE);
  mkdirSync(join(repoRoot, RESULTS_DIR), { recursive: true });
  writeFileSync(file, `${JSON.stringify(TestRunSchema.parse(run), undefined, 2)}\n`);
  return file;
}

/** The latest test run, or undefined when none was recorded. @throws when the file is not a test run */
export function readTestRun(repoRoot: string): TestRun | undefined {
  return readJson(join(repoRoot, TEST_RESULTS_FILE), TestRunSchema);
}

/** Records a gate's outcome, stamped with the repository's state now. */
export function writeGateResult(repoRoot: string, step: string, outcome: GateResult['outcome'], reason: string, now = new Date()): string {
  if (!/^[a-z0-9-]+$/.test(step)) throw new Error(`gate step must be lower-case letters, digits and '-', got '${step}'`);
  const dir = join(repoRoot, GATE_RESULTS_DIR);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${step}.json`);
  const result: GateResult = { step, outcome, reason, finishedAt: now.toISOString(), ...gitState(repoRoot) };
  writeFileSync(file, `${JSON.stringify(result, undefined, 2)}\n`);
  return file;
}

/** A gate's latest recorded outcome, or undefined. @throws when the file is not a gate result */
export function readGateResult(repoRoot: string, step: string): GateResult | undefined {
  return readJson(join(repoRoot, GATE_RESULTS_DIR, `${step}.json`), GateResultSchema);
}
