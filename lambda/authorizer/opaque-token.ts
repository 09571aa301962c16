/**
 * Opaque token verification (AUTH-3): the SHA-256 digest of the presented token is looked up among the
 * stored digests, and the match is confirmed with a constant-time comparison. Tokens carry 256 bits of
 * entropy, so no password hash is needed (and none is affordable per request).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenRecord } from './token-record';

/** Why an opaque token is refused (401). */
export type OpaqueRefusal = 'token_unknown' | 'token_expired';

/** The outcome of verifying an opaque token. */
export type OpaqueVerification =
  | { readonly ok: true; readonly record: TokenRecord }
  | { readonly ok: false; readonly reason: OpaqueRefusal; readonly tokenId?: string };

interface IndexEntry {
  readonly record: TokenRecord;
  readonly digest: Buffer;
  readonly expiresAtMs: number;
}

/** An immutable snapshot of token records, indexed by digest for one lookup per request. */
export class TokenIndex {
  /**
   * Indexes `records`. Two records with the same digest are both left out (neither can be trusted to
   * be the one meant) and their ids reported in `conflicts`.
   */
  static of(records: readonly TokenRecord[]): TokenIndex {
    const byDigest = new Map<string, IndexEntry>();
    const conflicts = new Set<string>();
    const dropped = new Set<string>();
    for (const record of records) {
      const hex = record.digest.slice('sha256:'.length);
      const existing = byDigest.get(hex);
      if (existing || dropped.has(hex)) {
        if (existing) conflicts.add(existing.record.id);
        conflicts.add(record.id);
        byDigest.delete(hex);
        dropped.add(hex);
        continue;
      }
      byDigest.set(hex, { record, digest: Buffer.from(hex, 'hex'), expiresAtMs: Date.parse(record.expiresAt) });
    }
    return new TokenIndex(byDigest, [...conflicts]);
  }

  private constructor(
    private readonly byDigest: ReadonlyMap<string, IndexEntry>,
    /** Ids of records left out because they share a digest. */
    readonly conflicts: readonly string[],
  ) {}

  /** How many tokens the snapshot holds. */
  get size(): number {
    return this.byDigest.size;
  }

  /** Verifies a presented token at `nowMs` (epoch milliseconds). */
  verify(token: string, nowMs: number): OpaqueVerification {
    const digest = createHash('sha256').update(token, 'utf8').digest();
    const entry = this.byDigest.get(digest.toString('hex'));
    if (!entry || !timingSafeEqual(digest, entry.digest)) return { ok: false, reason: 'token_unknown' };
    if (!(entry.expiresAtMs > nowMs)) return { ok: false, reason: 'token_expired', tokenId: entry.record.id };
    return { ok: true, record: entry.record };
  }
}

/**
 * Verifies an opaque token against a list of token records, as the authorizer does (the CLI's
 * round-trip tests call it). Builds an index per call: use `TokenIndex` for repeated checks.
 */
export function verifyOpaqueToken(token: string, records: readonly TokenRecord[], now: Date = new Date()): OpaqueVerification {
  return TokenIndex.of(records).verify(token, now.getTime());
}
