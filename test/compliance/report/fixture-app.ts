/**
 * Small apps for the report's tests: a two-rule pack of our own (`Fixture`) and a bucket and queues
 * that are compliant, acknowledged or violating on purpose.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, aws_s3 as s3, aws_sqs as sqs, CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { AuditedSynthesisError, gitState, synthesizeWithAudit, writeGateResult, writeTestRun } from '../../../lib/compliance/report';
import type { AuditedAcknowledgment, AuditedItem, AuditReport, AuditReportFiles, GateResult, TestResult } from '../../../lib/compliance/report';

/** Versioning is on for every S3 bucket. */
function BucketVersioned(node: CfnResource): NagRuleResult {
  if (!(node instanceof s3.CfnBucket)) return NagRuleCompliance.NOT_APPLICABLE;
  const cfg = Stack.of(node).resolve(node.versioningConfiguration) as { status?: string } | undefined;
  return cfg?.status === 'Enabled' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

/** Every SQS queue is encrypted with a KMS key of its own. */
function QueueEncrypted(node: CfnResource): NagRuleResult {
  if (!(node instanceof sqs.CfnQueue)) return NagRuleCompliance.NOT_APPLICABLE;
  return node.kmsMasterKeyId ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

/** A pack of two rules, named like a real one. */
export class FixtureChecks extends NagPack {
  public readonly name = 'Fixture';
  constructor(scope?: IConstruct) {
    super(scope);
    this.packName = 'Fixture';
  }
  protected checkResource(node: CfnResource): void {
    this.applyRule({ info: 'The bucket is not versioned.', explanation: 'T-1', level: NagMessageLevel.ERROR, rule: BucketVersioned, node });
    this.applyRule({ info: 'The queue is not encrypted with a KMS key.', explanation: 'T-2', level: NagMessageLevel.ERROR, rule: QueueEncrypted, node });
  }
}

/** A checklist of four items over the fixture pack. */
export const FIXTURE_CHECKLIST: readonly AuditedItem[] = [
  { id: 'T-1', section: 'T', text: 'Buckets are versioned.', evidenceKinds: ['nag'], rules: ['Fixture-BucketVersioned'] },
  { id: 'T-2', section: 'T', text: 'Queues are encrypted.', evidenceKinds: ['nag', 'test'], rules: ['Fixture-QueueEncrypted'] },
  { id: 'T-3', section: 'T', text: 'Secrets are scanned in CI.', evidenceKinds: ['ci'], ci: ['secretlint'] },
  { id: 'T-4', section: 'T', text: 'Requests need a `token` header.', evidenceKinds: ['test'], tests: ['T-4:'] },
  { id: 'D-1', section: 'D', text: 'Keys are rotated by an operator.', evidenceKinds: ['doc'], docs: ['docs/operations.md#rotation'] },
];

/** The fixture's acknowledgment of the plain queue. */
export const FIXTURE_ACK: AuditedAcknowledgment = {
  path: 'Store/PlainQueue',
  id: 'Fixture::Fixture-QueueEncrypted',
  item: 'T-2',
  reason: 'T-2: the queue carries only public build notifications',
  owner: 'platform-security',
  reviewBy: '2099-01-01',
};

/** What the fixture app contains. */
export interface FixtureAppOptions {
  /** Whether to add a second, unacknowledged, unencrypted queue. @default false */
  readonly violating?: boolean;
  /** Whether to acknowledge the plain queue. @default true */
  readonly acknowledge?: boolean;
  /** Whether a construct fails its own validation, so synthesis stops before the packs run. @default false */
  readonly broken?: boolean;
}

/** A temp outdir. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An app with a stage `Fixture` and a stack `Store` holding a versioned bucket and queues. */
export function fixtureApp(options: FixtureAppOptions = {}): { app: App; outdir: string } {
  const outdir = tempDir('audit-fixture-');
  const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stage = new Stage(app, 'Fixture', { env: { account: '111111111111', region: 'eu-west-1' } });
  const stack = new Stack(stage, 'Store');
  new s3.Bucket(stack, 'Versioned', { versioned: true });
  const plain = new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.SQS_MANAGED });
  new sqs.Queue(stack, 'KeyQueue', { encryption: sqs.QueueEncryption.KMS });
  if (options.violating) new sqs.Queue(stack, 'Forgotten', { encryption: sqs.QueueEncryption.SQS_MANAGED });
  if (options.broken) stack.node.addValidation({ validate: () => ['fixture: broken on purpose'] });
  if (options.acknowledge ?? true) Validations.of(plain).acknowledge({ id: FIXTURE_ACK.id, reason: FIXTURE_ACK.reason });
  return { app, outdir };
}

/** A repository root with the given files (path -> content). */
export function fixtureRepo(files: Record<string, string>): string {
  const root = tempDir('audit-repo-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A test as the runner reports it, passed unless told. */
export function ranTest(fullName: string, status: TestResult['status'] = 'passed', ancestorTitles: string[] = []): TestResult {
  return { fullName: [...ancestorTitles, fullName].join(' '), ancestorTitles, title: fullName, status, file: 'test/fixture.test.ts' };
}

/** What ran for the fixture repository's commit. */
export interface FixtureRuns {
  /** The test run's tests; `undefined`: no test run recorded. @default - every fixture item's test passed */
  readonly tests?: readonly TestResult[] | null;
  /** Whether the test run was partial. @default false */
  readonly partial?: boolean;
  /** Gate outcomes by step. @default - secretlint passed */
  readonly gates?: Readonly<Record<string, [GateResult['outcome'], string]>>;
}

/** The tests of a complete, passing fixture run. */
export const PASSING_FIXTURE_TESTS: readonly TestResult[] = [
  ranTest('T-2: a queue without a key is caught'),
  ranTest('T-4: a request without the header is refused with 401'),
];

/**
 * A git repository (one commit) where every fixture item has its evidence: the CI entry point reaches the
 * secretlint gate, the document exists, and (unless told otherwise) a test run and a secretlint gate
 * result of this very commit are recorded under reports/.
 */
export function completeFixtureRepo(runs: FixtureRuns = {}): string {
  const root = fixtureRepo({
    '.gitignore': 'reports/\n',
    'package.json': JSON.stringify({ name: 'fixture', version: '1.2.3', scripts: { test: 'jest', scan: 'bash scripts/scan-secrets.sh' } }, null, 2),
    '.ci/run': '#!/usr/bin/env bash\nset -e\nnpm ci\nnpm run scan\nnpm test\n',
    'scripts/scan-secrets.sh': '#!/usr/bin/env bash\n# runs npx --no-install secretlint (this comment line is not the step)\nset -e\nnpx --no-install secretlint "**/*"\n',
    'docs/operations.md': '# Operations\n## Rotation\n',
  });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=fixture', '-c', 'user.email=fixture@example.com', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'fixture');
  if (runs.tests !== null) {
    const now = new Date().toISOString();
    writeTestRun(root, { ...gitState(root), startedAt: now, finishedAt: now, partial: runs.partial ?? false, tests: [...(runs.tests ?? PASSING_FIXTURE_TESTS)] });
  }
  const gates: Readonly<Record<string, [GateResult['outcome'], string]>> = runs.gates ?? { secretlint: ['passed', 'secretlint found no secret'] };
  for (const [step, [outcome, reason]] of Object.entries(gates)) {
    writeGateResult(root, step, outcome, reason);
  }
  return root;
}

/**
 * The fixture run of issue #16: one unacknowledged finding (the forgotten queue, T-2), one failing test
 * (T-4) and one CI gate that could not run (secretlint, T-3); everything else holds (T-1 enforced, D-1
 * documented). Synthesized with the fixture pack only; the report is returned though synthesis fails.
 */
export function threeProblemsFixture(): { report: AuditReport; files: AuditReportFiles; outdir: string; repoRoot: string } {
  const repoRoot = completeFixtureRepo({
    tests: [PASSING_FIXTURE_TESTS[0], ranTest('T-4: a request without the header is refused with 401', 'failed')],
    gates: { secretlint: ['not-run', 'cdk.out/manifest.json is missing: the templates could not be scanned'] },
  });
  const { app, outdir } = fixtureApp({ violating: true });
  try {
    const { report, files } = synthesizeWithAudit(app, { checklist: FIXTURE_CHECKLIST, packs: [new FixtureChecks(app)], acknowledgments: [FIXTURE_ACK], repoRoot });
    return { report, files, outdir, repoRoot };
  } catch (e) {
    if (!(e instanceof AuditedSynthesisError)) throw e;
    return { report: e.report, files: e.files, outdir, repoRoot };
  }
}
