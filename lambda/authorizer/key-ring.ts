/**
 * Verification keys during a rotation (issue 15, point 6): a current and, while tokens signed with it
 * may still be alive, a previous key. A resolver made by `keyRingResolver` carries its candidate keys,
 * current first; `JwtVerifier` tries each in turn and moves to the next only on a signature mismatch
 * (the pattern jose documents for several matching keys), so a JWT signed with either verifies, and
 * one signed with a retired key is refused once that key is removed.
 */
import type { KeyObject } from 'node:crypto';
import type { JWTVerifyGetKey } from 'jose';
import { KeyUnavailableError } from './jwt';

/** A jose key resolver that also lists its candidate keys. */
export type KeyRingResolver = JWTVerifyGetKey & {
  /** The keys to try, current first. @throws KeyUnavailableError when not even the current key can be had. */
  readonly candidates: () => Promise<KeyObject[]>;
};

/** Makes a resolver over `candidates`: jose sees the current key; the verifier sees them all. */
export function keyRingResolver(candidates: () => Promise<KeyObject[]>): KeyRingResolver {
  const resolver = async () => {
    const keys = await candidates();
    if (keys.length === 0) throw new KeyUnavailableError('no verification key is available');
    return keys[0]!;
  };
  return Object.assign(resolver, { candidates });
}

/** The candidates of a resolver made by `keyRingResolver`, else undefined. */
export function candidatesOf(key: JWTVerifyGetKey): (() => Promise<KeyObject[]>) | undefined {
  const candidates = (key as Partial<KeyRingResolver>).candidates;
  return typeof candidates === 'function' ? candidates : undefined;
}
