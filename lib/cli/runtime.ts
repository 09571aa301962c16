/**
 * Everything a command touches outside itself, injected: AWS clients, the clock, randomness and the
 * two output streams. bin/cli.ts wires the real ones; tests wire mocks, a fixed clock and buffers.
 */
import type { AwsClients, AwsSettings } from './aws-clients';

/** The CLI's ports to the world. */
export interface CliRuntime {
  /** Builds the AWS clients; called only by commands that reach AWS (never with `--offline`). */
  readonly awsClients: (settings: AwsSettings) => AwsClients;
  /** The current time. */
  readonly now: () => Date;
  /** `n` cryptographically random bytes. */
  readonly random: (n: number) => Uint8Array;
  /** Writes to stdout: the token (once) and `--json` results, nothing else. */
  readonly stdout: (text: string) => void;
  /** Writes to stderr: progress, summaries, warnings and errors. */
  readonly stderr: (text: string) => void;
}
