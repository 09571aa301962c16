/**
 * jest globalSetup: a fresh folder for the shared syntheses of this run (test/fixtures/shared-synth.ts),
 * passed to the workers in MCP_PERIMETER_SYNTH_CACHE; test/setup/global-teardown.js removes it.
 */
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  process.env.MCP_PERIMETER_SYNTH_CACHE = mkdtempSync(join(tmpdir(), 'mcp-perimeter-synth-'));
};
