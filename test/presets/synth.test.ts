import { presetNames } from '../../lib/config/presets';
import { auditedStage } from '../fixtures/shared-synth';
import { presetConfig } from './preset-harness';

// For every preset: the app as bin/app.ts builds it (stage, acknowledgments, every compliance pack)
// synthesizes, i.e. no pack reports an unacknowledged finding. (The run's shared synthesis of the
// preset, test/fixtures/shared-synth.ts, which the preset's own suite reads its templates from.)
test.each(presetNames())('preset %s: the app synthesizes with all six nag packs clean', (name) => {
  // GIVEN / WHEN
  const stage = auditedStage(presetConfig(name));
  // THEN
  expect(stage.error).toBeUndefined();
  expect(stage.open).toEqual([]);
  expect(stage.packs).toHaveLength(6);
});
