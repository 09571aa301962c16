/**
 * The operators' CLI, `mcp-perimeter`: wires the real AWS clients, clock, randomness and process
 * streams into lib/cli's `runCli`, then exits with its code. Everything else lives in lib/cli/.
 */
import { randomBytes } from 'node:crypto';
import { createAwsClients } from '../lib/cli/aws-clients';
import { runCli } from '../lib/cli/run';

runCli(process.argv.slice(2), {
  awsClients: createAwsClients,
  now: () => new Date(),
  random: (n) => randomBytes(n),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
