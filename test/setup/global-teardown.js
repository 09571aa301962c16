/** jest globalTeardown: removes the run's shared-synthesis folder (see test/setup/global-setup.js). */
const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  const dir = process.env.MCP_PERIMETER_SYNTH_CACHE;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
