/**
 * Opaque token verification at fleet scale (issue 15, points 1, 2, 3 and 7; AUTH-3, SEC-3).
 *
 * A token is looked up in the store by its SHA-256 digest the first time an instance sees it, and the
 * answer is remembered:
 * - **positive** (a valid record) and **negative** (no record, or a revoked one) answers, each in its
 *   own bounded LRU map, so a flood of garbage can only evict garbage, never a valid token;
 * - an answer younger than `refreshMs` is used as is; from `refreshAheadMs` a valid token is re-read
 *   in the background, so steady traffic never waits; older answers are re-read before use, so a
 *   revocation is seen within `refreshMs` (plus the gateway's cache TTL);
 * - the store fails, times out or is busy: that one request is refused (`tokens_unavailable`), unless the
 *   token was valid when last read at most `maxStaleMs` ago, which then keeps serving (an outage of the
 *   store does not become an outage of the perimeter; fail closed for everything not seen recently);
 * - lookups of one digest share one call; first-sight lookups in flight are bounded per instance
 *   (`maxConcurrentLookups`), and refreshes of valid tokens have their own equal allowance, so a garbage
 *   flood cannot starve the tokens already in use;
 * - every age is measured on a monotonic clock: a wall-clock step can neither extend a cached answer nor
 *   shorten the stale bound; `expiresAt` alone is compared with wall-clock time.
 *
 * Before any of that, the token's characters are checked (the kit issues the prefix and base64url), so
 * malformed input costs no store call. Tokens carry no checksum: the version-1 tokens already issued
 * have none and must keep working, so random well-formed garbage is answered by the negative cache,
 * the lookup bound and the WAF's per-IP rate rule instead.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ageOf, monotonicNow, type MonotonicClock } from './monotonic';
import type { StoredToken, TokenLookup } from './token-lookup';
import type { TokenRecord } from './token-record';

/** Why an opaque token is refused (401). */
export type OpaqueTokenRefusal = 'token_unknown' | 'token_expired' | 'token_revoked' | 'token_malformed' | 'tokens_unavailable';

/** The outcome of verifying an opaque token. */
export type CachedVerification =
  | { readonly ok: true; readonly record: TokenRecord }
  | { readonly ok: false; readonly reason: OpaqueTokenRefusal; readonly tokenId?: string };

/** How the cache behaves. */
export interface TokenCacheOptions {
  /** The store. */
  readonly lookup: TokenLookup;
  /** The issued token prefix (`auth.tokenPrefix`). */
  readonly tokenPrefix: string;
  /** Age after which an answer is re-read before use (`auth.refreshSeconds` × 1000). */
  readonly refreshMs: number;
  /** Longest time a valid token's last answer serves while the store fails (`auth.maxStaleSeconds` × 1000). */
  readonly maxStaleMs: number;
  /** Age from which a valid token is re-read in the background. @default 75% of refreshMs */
  readonly refreshAheadMs?: number;
  /** Valid tokens remembered (LRU). @default 10000 */
  readonly maxEntries?: number;
  /** Unknown or revoked tokens remembered (LRU). @default 10000 */
  readonly maxNegativeEntries?: number;
  /** First-sight lookups in flight at once; more are refused without a store call. @default 16 */
  readonly maxConcurrentLookups?: number;
  /** How long a request waits for the store. @default 2000 */
  readonly timeoutMs?: number;
  /** The monotonic clock, milliseconds. @default performance.now */
  readonly monotonicNow?: MonotonicClock;
  /** Told about every failed, timed-out or refused lookup (never with the token or its digest). */
  readonly onError?: (error: unknown) => void;
}

interface Entry {
  readonly stored: StoredToken | undefined;
  /** The record's digest bytes (valid answers only), compared in constant time. */
  readonly digest: Buffer | undefined;
  readonly expiresAtMs: number;
  /** Monotonic ms when the store was asked (not when it answered: the conservative age). */
  readonly askedAt: number;
}

/** Raised (reported, never thrown to a caller) when a lookup is not even tried. */
export class LookupRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LookupRefusedError';
  }
}

/** Characters after the prefix: base64url, as the kit issues (token-record.ts `newToken`). */
const TOKEN_BODY = /^[A-Za-z0-9_-]+$/;
/** Longest opaque token looked up; the kit issues 47 characters. */
const MAX_TOKEN_LENGTH = 512;

/** Verifies opaque tokens against a store, with the caches and bounds above. */
export class TokenCache {
  private readonly valid = new Map<string, Entry>();
  private readonly refused = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry | undefined>>();
  private firstSightInFlight = 0;
  private refreshesInFlight = 0;
  private readonly mono: MonotonicClock;
  private readonly refreshAheadMs: number;
  private readonly maxEntries: number;
  private readonly maxNegativeEntries: number;
  private readonly maxConcurrent: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: TokenCacheOptions) {
    this.mono = options.monotonicNow ?? monotonicNow;
    this.refreshAheadMs = options.refreshAheadMs ?? Math.floor(options.refreshMs * 0.75);
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxNegativeEntries = options.maxNegativeEntries ?? 10_000;
    this.maxConcurrent = options.maxConcurrentLookups ?? 16;
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  /** How many answers are remembered: valid and refused. */
  get size(): { readonly valid: number; readonly refused: number } {
    return { valid: this.valid.size, refused: this.refused.size };
  }

  /** Forgets every answer (the next sight of each token asks the store). */
  clear(): void {
    this.valid.clear();
    this.refused.clear();
  }

  /** Verifies `token` (which starts with the prefix) at wall-clock `nowMs`. Never rejects. */
  async verify(token: string, nowMs: number): Promise<CachedVerification> {
    if (token.length > MAX_TOKEN_LENGTH || !token.startsWith(this.options.tokenPrefix) || !TOKEN_BODY.test(token.slice(this.options.tokenPrefix.length))) {
      return { ok: false, reason: 'token_malformed' };
    }
    const digest = createHash('sha256').update(token, 'utf8').digest();
    const key = `sha256:${digest.toString('hex')}`;
    let entry = this.valid.get(key) ?? this.refused.get(key);
    const age = entry ? ageOf(this.mono(), entry.askedAt) : Infinity;
    if (age >= this.options.refreshMs) {
      const wasValid = entry?.digest !== undefined;
      const fresh = await this.fetch(key, wasValid);
      if (fresh) entry = fresh;
      else if (!(wasValid && entry && ageOf(this.mono(), entry.askedAt) <= this.options.maxStaleMs)) return { ok: false, reason: 'tokens_unavailable' };
    } else if (entry!.digest !== undefined && age >= this.refreshAheadMs && !this.inflight.has(key)) {
      void this.fetch(key, true);
    }
    return this.evaluate(entry!, digest, nowMs);
  }

  private evaluate(entry: Entry, digest: Buffer, nowMs: number): CachedVerification {
    const stored = entry.stored;
    if (!stored) return { ok: false, reason: 'token_unknown' };
    if (stored.revokedAt !== undefined) return { ok: false, reason: 'token_revoked', tokenId: stored.record.id };
    if (!entry.digest || !timingSafeEqual(digest, entry.digest)) return { ok: false, reason: 'token_unknown' };
    if (!(entry.expiresAtMs > nowMs)) return { ok: false, reason: 'token_expired', tokenId: stored.record.id };
    return { ok: true, record: stored.record };
  }

  /** Asks the store (or joins the call in flight); undefined when it failed, timed out or was not tried. */
  private fetch(key: string, refresh: boolean): Promise<Entry | undefined> {
    let call = this.inflight.get(key);
    if (!call) {
      if ((refresh ? this.refreshesInFlight : this.firstSightInFlight) >= this.maxConcurrent) {
        this.report(new LookupRefusedError(`${this.maxConcurrent} token lookups already in flight`));
        return Promise.resolve(undefined);
      }
      if (refresh) this.refreshesInFlight++;
      else this.firstSightInFlight++;
      const askedAt = this.mono();
      call = this.options.lookup.lookup(key).then(
        (stored) => this.remember(key, stored, askedAt),
        (error: unknown) => {
          this.report(error);
          return undefined;
        },
      ).finally(() => {
        this.inflight.delete(key);
        if (refresh) this.refreshesInFlight--;
        else this.firstSightInFlight--;
      });
      this.inflight.set(key, call);
    }
    return this.withTimeout(call);
  }

  private remember(key: string, stored: StoredToken | undefined, askedAt: number): Entry {
    const valid = stored !== undefined && stored.revokedAt === undefined;
    const entry: Entry = {
      stored,
      digest: valid ? Buffer.from(stored.record.digest.slice('sha256:'.length), 'hex') : undefined,
      expiresAtMs: stored ? Date.parse(stored.record.expiresAt) : 0,
      askedAt,
    };
    const [into, other, max] = valid ? [this.valid, this.refused, this.maxEntries] : [this.refused, this.valid, this.maxNegativeEntries];
    other.delete(key);
    into.delete(key);
    into.set(key, entry);
    if (into.size > max) into.delete(into.keys().next().value as string);
    return entry;
  }

  private async withTimeout(call: Promise<Entry | undefined>): Promise<Entry | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        this.report(new LookupRefusedError(`token lookup did not answer within ${this.timeoutMs} ms`));
        resolve(undefined);
      }, this.timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([call, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A failing reporter must not change a decision.
    }
  }
}
