#!/usr/bin/env node
/**
 * The CDK app: one PerimeterStage from the validated config, the compliance packs over all of it.
 *   -c config=path/to/file.json   a config file merged over the embedded default
 * Only this file reads the environment and the CDK context.
 */
import { App, Validations } from 'aws-cdk-lib';
import { applyAcknowledgments } from '../lib/compliance/acknowledgments';
import { compliancePacks } from '../lib/compliance/packs';
import { ConfigError, loadConfig } from '../lib/config';
import { PerimeterStage } from '../lib/stage';

function main(): void {
  const app = new App();
  let config;
  try {
    const file = app.node.tryGetContext('config') as string | undefined;
    config = loadConfig({ file });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const stage = new PerimeterStage(app, config.stage, {
    config,
    env: { account: config.env.account, region: config.env.region },
  });
  applyAcknowledgments(stage, config);
  Validations.of(app).addPlugins(...compliancePacks(app));
  app.synth();
}

main();
