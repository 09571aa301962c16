#!/usr/bin/env node
/**
 * The CDK app: one PerimeterStage from the validated config, the compliance packs over all of it,
 * and the auditor report written to `<outdir>/audit/` on every synthesis, failed or not.
 *
 *   -c preset=<name>              a seed preset (lib/config/presets) merged over the embedded default
 *   -c config=path/to/file.json   a config file merged over both; it may tighten a preset, never loosen it
 *
 * Only this file reads the CDK context; a bad config stops here with a message naming each field.
 */
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { applyAcknowledgments } from '../lib/compliance/acknowledgments';
import { AuditedSynthesisError, synthesizeWithAudit } from '../lib/compliance/report/synthesize-with-audit';
import { synthSummary } from '../lib/compliance/synth-summary';
import { ConfigError, loadConfig, PerimeterConfig } from '../lib/config';
import { PerimeterStage } from '../lib/stage';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function main(): void {
  // Creation stack traces deep enough to reach the kit's own lines (the auditor report locates findings by them).
  Error.stackTraceLimit = 50;
  const app = new App();
  let config: PerimeterConfig;
  try {
    const file = app.node.tryGetContext('config') as string | undefined;
    const preset = app.node.tryGetContext('preset') as string | undefined;
    config = loadConfig({ file, preset });
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  const stage = new PerimeterStage(app, config.stage, {
    config,
    env: { account: config.env.account, region: config.env.region },
  });
  applyAcknowledgments(stage, config);
  const stacks = stage.node.children.filter((c): c is Stack => Stack.isStack(c)).map((s) => s.stackName);
  try {
    const { report, files } = synthesizeWithAudit(app, { config, repoRoot: join(__dirname, '..') });
    process.stderr.write(`${synthSummary({ config, report, files, stacks })}\n`);
  } catch (e) {
    if (e instanceof AuditedSynthesisError) {
      process.stderr.write(`${synthSummary({ config, report: e.report, files: e.files, stacks })}\n`);
      fail(e.message);
    }
    throw e;
  }
}

main();
