/**
 * Small apps for the report's tests: a two-rule pack of our own (`Fixture`) and a bucket and queues
 * that are compliant, acknowledged or violating on purpose.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, aws_s3 as s3, aws_sqs as sqs, CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import type { AuditedAcknowledgment, AuditedItem } from '../../../lib/compliance/report';

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
  { id: 'T-3', section: 'T', text: 'Secrets are scanned in CI.', evidenceKinds: ['ci'], ci: ['npx secretlint'] },
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

/** A repository where every fixture item has its evidence. */
export function completeFixtureRepo(): string {
  return fixtureRepo({
    'package.json': JSON.stringify({ name: 'fixture', version: '1.2.3', scripts: { test: 'jest', 'scan:secrets': 'npx secretlint "**/*"' } }, null, 2),
    '.ci/run': '#!/usr/bin/env bash\nset -e\nnpm ci\nnpm run scan:secrets\nnpm test\n',
    'docs/operations.md': '# Operations\n## Rotation\n',
    'test/queue.test.ts': "test('T-2: a queue without a key is caught', () => {});\n",
  });
}
