/**
 * The port through which the authorizer finds ONE token record, by the SHA-256 digest of the presented
 * token (issue 15, point 1): the store is asked about the tokens actually presented, never for all of
 * them. Adapters: `DynamoDbTokenLookup` (AWS, one GetItem), `SourceTokenLookup` (a `TokenSource`: the
 * local perimeter's folder, tests).
 */
import { TokenIndex } from './opaque-token';
import type { TokenRecord } from './token-record';
import type { TokenSource } from './token-source';

/** What the store holds for a digest. */
export interface StoredToken {
  /** The version-1 record; its `digest` equals the digest looked up. */
  readonly record: TokenRecord;
  /** Set once the token is revoked (the record stays as a tombstone, so nothing can bring it back). */
  readonly revokedAt?: string;
}

/** Finds a token record by digest. */
export interface TokenLookup {
  /**
   * The record stored under `digest` (`sha256:` and 64 lowercase hex), or undefined when there is none.
   * Rejects when the store cannot answer (the caller then refuses that request, or serves a recent
   * answer within the staleness bound); a stored value that is not a valid record is reported and
   * answered as undefined.
   */
  lookup(digest: string): Promise<StoredToken | undefined>;
}

/**
 * A lookup over a `TokenSource` that reads every record on each lookup (the local perimeter's folder,
 * tests): fine for a handful of records, never used in Lambda. Two records with one digest are both
 * ignored (neither can be trusted to be the one meant) and reported.
 */
export class SourceTokenLookup implements TokenLookup {
  constructor(private readonly source: TokenSource, private readonly onConflict?: (tokenIds: readonly string[]) => void) {}

  async lookup(digest: string): Promise<StoredToken | undefined> {
    const records = await this.source.load();
    const index = TokenIndex.of(records.filter((r) => r.digest === digest));
    if (index.conflicts.length > 0) this.onConflict?.(index.conflicts);
    const record = index.size === 1 ? records.find((r) => r.digest === digest) : undefined;
    return record ? { record } : undefined;
  }
}
