import { Validations } from 'aws-cdk-lib';
import { applyAcknowledgments } from '../../lib/compliance/acknowledgments';
import { compliancePacks } from '../../lib/compliance/packs';
import { presetNames } from '../../lib/config/presets';
import { PerimeterStage } from '../../lib/stage';
import { testApp } from '../fixtures/test-app';
import { presetConfig } from './preset-harness';

// For every preset: the app as bin/app.ts builds it (stage, acknowledgments, every compliance pack)
// synthesizes, i.e. no pack reports an unacknowledged finding.
test.each(presetNames())('preset %s: the app synthesizes with all six nag packs clean', (name) => {
  // GIVEN
  const config = presetConfig(name);
  const app = testApp({ bundling: false });
  const stage = new PerimeterStage(app, config.stage, { config, env: { account: config.env.account, region: config.env.region } });
  applyAcknowledgments(stage, config);
  const packs = compliancePacks(app);
  Validations.of(app).addPlugins(...packs);
  // THEN
  expect(() => app.synth()).not.toThrow();
  expect(packs.map((p) => p.name)).toHaveLength(6);
});
