/**
 * The port through which the authorizer gets token records. Adapters: `SsmTokenSource` (AWS),
 * `FileTokenSource` (the local perimeter and the CLI's round-trip tests), `StaticTokenSource` (tests).
 */
import type { TokenRecord } from './token-record';

/** Where token records come from. */
export interface TokenSource {
  /**
   * Every valid token record. Rejects when the records cannot be read as a whole (the last good
   * snapshot then keeps serving); malformed single records are skipped and reported, never fatal.
   */
  load(): Promise<TokenRecord[]>;
}

/** Told about a stored record that was skipped; never given the record's value. */
export type MalformedRecordReporter = (location: string, problem: string) => void;

/** A fixed list of records (tests, benches). `records` may be replaced to simulate issue and revocation. */
export class StaticTokenSource implements TokenSource {
  constructor(public records: TokenRecord[]) {}

  async load(): Promise<TokenRecord[]> {
    return [...this.records];
  }
}
