/**
 * API Gateway's authorizer result cache, as the local gateway emulates it: one answer per
 * identity-source value (the credential header values), kept for the TTL and reused for every route
 * and method of the API. A policy that allows only the first route a token called therefore denies the
 * token's next route until the entry expires, exactly as in AWS; authorizers must answer with a policy
 * covering every route the caller may use.
 */
import type { AuthorizerResult } from './policy-evaluation';

/** A TTL cache of authorizer answers keyed by identity-source values. */
export class AuthorizerCache {
  private readonly entries = new Map<string, { readonly result: AuthorizerResult; readonly expiresAt: number }>();

  /**
   * @param ttlSeconds how long an answer is reused; 0 turns the cache off (every request calls the authorizer).
   * @param now the clock in milliseconds. @default Date.now
   */
  constructor(private readonly ttlSeconds: number, private readonly now: () => number = Date.now) {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > 3600) {
      throw new Error(`cache ttlSeconds must be an integer from 0 to 3600 (API Gateway's range), got ${ttlSeconds}`);
    }
  }

  /** Whether the cache is on (TTL above 0). */
  get enabled(): boolean {
    return this.ttlSeconds > 0;
  }

  /** The cached answer for these identity-source values, if any and not expired. */
  get(identity: readonly string[]): AuthorizerResult | undefined {
    const key = JSON.stringify(identity);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.result;
  }

  /** Keeps an answer for the TTL (a no-op when the cache is off). */
  put(identity: readonly string[], result: AuthorizerResult): void {
    if (!this.enabled) return;
    this.entries.set(JSON.stringify(identity), { result, expiresAt: this.now() + this.ttlSeconds * 1000 });
  }
}
