/**
 * Token records as a whole list: `FileTokenSource` (the local perimeter) and `StaticTokenSource`
 * (tests). (Version-1 SSM records are read only by the CLI's `tokens migrate`.) The authorizer reads
 * them through `SourceTokenLookup` (token-lookup.ts); in Lambda it looks tokens up one at a time in
 * DynamoDB instead (issue 15), so nothing there loads every record.
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
