/**
 * JWT verification with `jose` (AUTH-5): algorithms pinned by the settings (never `none`, never an
 * algorithm the key was not made for), `exp` and `iat` required, `nbf`, `iss` and `aud` checked, the
 * lifetime bounded (24 h by default) and the clock skew at most 60 s. Identity, role and scopes come
 * from configurable claims and are validated like a token record's fields, so a client cannot smuggle
 * odd characters into the backend's identity headers (AUTH-7).
 */
import { createHash, KeyObject, timingSafeEqual, verify as verifySignature } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, UnsecuredJWT, type JWTClaimVerificationOptions, type JWTHeaderParameters, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { candidatesOf } from './key-ring';
import { ageOf, monotonicNow, type MonotonicClock } from './monotonic';
import type { JwtSettings } from './settings';

/** Why a JWT is refused (401). */
export type JwtRefusal =
  | 'jwt_malformed'
  | 'jwt_algorithm'
  | 'jwt_signature'
  | 'jwt_key_unknown'
  | 'jwt_expired'
  | 'jwt_not_yet_valid'
  | 'jwt_claims'
  | 'jwt_lifetime'
  | 'jwt_identity'
  | 'jwt_keys_unavailable';

/** The identity a verified JWT carries. */
export interface JwtIdentity {
  readonly agentId: string;
  readonly agentType: string;
  readonly role: string;
  readonly scopes: readonly string[];
  /** The `jti` claim, else the agent id. */
  readonly tokenId: string;
}

/** The outcome of verifying a JWT. */
export type JwtVerification = { readonly ok: true; readonly identity: JwtIdentity } | { readonly ok: false; readonly reason: JwtRefusal };

/** Thrown by a key resolver when its key cannot be had right now (AWS down, no snapshot): a 401, never an Allow. */
export class KeyUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyUnavailableError';
  }
}

const AGENT_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const AGENT_TYPE = /^[A-Za-z0-9._-]{1,64}$/;
const ROLE = /^[a-z][a-z0-9_-]{0,63}$/;
const SCOPE = /^[A-Za-z0-9._:*-]{1,64}$/;
const TOKEN_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const MAX_SCOPES = 64;

/** base64url of `{"alg":"none"}`: the header under which jose's claim validation reads a payload on its own. */
const CLAIMS_ONLY_HEADER = Buffer.from('{"alg":"none"}').toString('base64url');
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The agent type given to a JWT that carries none. */
export const DEFAULT_JWT_AGENT_TYPE = 'jwt';

/** How long verified JWTs are remembered. */
export interface VerifiedJwtCacheOptions {
  /** Most JWTs remembered; the oldest is forgotten first. @default 1000 */
  readonly maxEntries?: number;
  /**
   * Longest time a verified JWT is remembered, so a rotated or withdrawn key stops honouring old
   * tokens within this bound (use the token refresh period), measured on the monotonic clock. 0 turns
   * the cache off.
   */
  readonly ttlMs: number;
  /** The clock the TTL is measured on (issue 15, point 7). @default performance.now */
  readonly monotonicNow?: MonotonicClock;
}

interface VerifiedEntry {
  readonly digest: Buffer;
  readonly identity: JwtIdentity;
  /** Epoch ms until which every time-based check that passed still passes (wall clock: exp, iat). */
  readonly validUntilMs: number;
  /** When it was verified, on the monotonic clock (the cache TTL). */
  readonly verifiedAt: number;
}

/**
 * Verifies JWTs against one key resolver under pinned settings.
 *
 * A JWT that verified is remembered by its SHA-256 digest (confirmed in constant time) until the
 * earliest of: its `exp` plus skew, its `iat` plus the maximum lifetime plus skew, and the cache TTL.
 * Within that window every check would pass again (signature, claims and identity do not change; `nbf`
 * only gets further in the past), so a repeat presentation skips the signature verification. Refusals
 * are never remembered.
 */
export class JwtVerifier {
  private readonly verified = new Map<string, VerifiedEntry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly mono: MonotonicClock;

  /**
   * @param settings the validated JWT settings.
   * @param key resolves the verification key: a JWKS (`createRemoteJWKSet`), the KMS public key, or the HS256 secret.
   * @param cache how verified JWTs are remembered. @default - not remembered
   */
  constructor(private readonly settings: JwtSettings, private readonly key: JWTVerifyGetKey, cache?: VerifiedJwtCacheOptions) {
    this.maxEntries = cache?.maxEntries ?? 1000;
    this.ttlMs = cache?.ttlMs ?? 0;
    this.mono = cache?.monotonicNow ?? monotonicNow;
  }

  /** Verifies `token` at `nowMs`. Never rejects. */
  async verify(token: string, nowMs: number): Promise<JwtVerification> {
    if (this.ttlMs <= 0) return this.verifyFully(token, nowMs);
    const digest = createHash('sha256').update(token, 'utf8').digest();
    const hex = digest.toString('hex');
    const entry = this.verified.get(hex);
    if (entry && nowMs < entry.validUntilMs && ageOf(this.mono(), entry.verifiedAt) < this.ttlMs && timingSafeEqual(digest, entry.digest)) {
      return { ok: true, identity: entry.identity };
    }
    if (entry) this.verified.delete(hex);
    const verifiedAt = this.mono();
    const verification = await this.verifyFully(token, nowMs, (payload, identity) => {
      const skew = this.settings.clockSkewSeconds;
      const validUntilMs = Math.min(
        ((payload.exp as number) + skew) * 1000,
        ((payload.iat as number) + this.settings.maxLifetimeSeconds + skew) * 1000,
      );
      if (this.verified.size >= this.maxEntries) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(hex, { digest, identity, validUntilMs, verifiedAt });
    });
    return verification;
  }

  private async verifyFully(token: string, nowMs: number, remember?: (payload: JWTPayload, identity: JwtIdentity) => void): Promise<JwtVerification> {
    const s = this.settings;
    let payload: JWTPayload;
    const claims: JWTClaimVerificationOptions = {
      issuer: s.issuer,
      audience: s.audience,
      clockTolerance: s.clockSkewSeconds,
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: s.maxLifetimeSeconds,
      currentDate: new Date(nowMs),
    };
    try {
      payload = await this.verifyWithEachKey(token, claims);
    } catch (e) {
      return { ok: false, reason: refusalOf(e) };
    }
    if ((payload.exp as number) - (payload.iat as number) > s.maxLifetimeSeconds) return { ok: false, reason: 'jwt_lifetime' };
    const identity = identityOf(payload, s.claims);
    if (!identity) return { ok: false, reason: 'jwt_identity' };
    remember?.(payload, identity);
    return { ok: true, identity };
  }

  /**
   * Verifies with the resolver's key; with a key ring (rotation, key-ring.ts), with each candidate key in
   * turn, current first, moving on only when the signature does not match.
   * @throws jose's errors, as `jwtVerify` would
   */
  private async verifyWithEachKey(token: string, claims: JWTClaimVerificationOptions): Promise<JWTPayload> {
    const candidates = candidatesOf(this.key);
    if (!candidates) return this.verifyWithKey(token, claims, this.key);
    const keys = await candidates();
    if (keys.length === 0) throw new KeyUnavailableError('no verification key is available');
    for (let i = 0; ; i++) {
      const key = keys[i]!;
      try {
        return await this.verifyWithKey(token, claims, async () => key);
      } catch (e) {
        if (i === keys.length - 1 || (e as { code?: string })?.code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw e;
      }
    }
  }

  private async verifyWithKey(token: string, claims: JWTClaimVerificationOptions, key: JWTVerifyGetKey): Promise<JWTPayload> {
    return (await this.verifyEs256InPlace(token, claims, key)) ?? (await jwtVerify(token, key, { algorithms: this.settings.algorithms, ...claims })).payload;
  }

  /**
   * ES256 under a P-256 public key, with the signature checked on this thread. jose verifies through the
   * callback form of `crypto.verify`, a libuv thread-pool hop that costs more than the verification itself
   * (about 150 µs a first-seen JWT here, against a 150 µs budget for the whole decision). Here node's
   * `crypto.verify` checks the 64-byte IEEE P1363 signature over the exact signing input, then jose's own
   * claim validation (`UnsecuredJWT.decode` with the same options as `jwtVerify`) reads the same payload
   * bytes. Anything else (another algorithm, `crit` or `b64` headers, a key that is not a P-256 public
   * key, a malformed part) returns undefined and goes through `jwtVerify` unchanged.
   * @throws jose's errors, as `jwtVerify` would: a bad signature, expired or invalid claims
   */
  private async verifyEs256InPlace(token: string, claims: JWTClaimVerificationOptions, getKey: JWTVerifyGetKey): Promise<JWTPayload | undefined> {
    if (!this.settings.algorithms.includes('ES256')) return undefined;
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) return undefined;
    let header: JWTHeaderParameters;
    try {
      header = decodeProtectedHeader(token) as JWTHeaderParameters;
    } catch {
      return undefined;
    }
    if (header.alg !== 'ES256' || header.crit !== undefined || header.b64 !== undefined) return undefined;
    const key = await getKey(header, { protected: parts[0], payload: parts[1], signature: parts[2] });
    if (!(key instanceof KeyObject) || key.type !== 'public' || key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return undefined;
    const signature = Buffer.from(parts[2], 'base64url');
    const signed = signature.length === 64 && verifySignature('sha256', Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), { key, dsaEncoding: 'ieee-p1363' }, signature);
    if (!signed) throw new errors.JWSSignatureVerificationFailed();
    return UnsecuredJWT.decode(`${CLAIMS_ONLY_HEADER}.${parts[1]}.`, claims).payload;
  }
}


function identityOf(payload: JWTPayload, claims: JwtSettings['claims']): JwtIdentity | undefined {
  const agentId = payload[claims.agentId];
  const agentType = payload[claims.agentType] ?? DEFAULT_JWT_AGENT_TYPE;
  const role = payload[claims.role];
  if (typeof agentId !== 'string' || !AGENT_ID.test(agentId)) return undefined;
  if (typeof agentType !== 'string' || !AGENT_TYPE.test(agentType)) return undefined;
  if (typeof role !== 'string' || !ROLE.test(role)) return undefined;
  const scopes = scopesOf(payload[claims.scopes]);
  if (!scopes) return undefined;
  const jti = payload.jti;
  if (jti !== undefined && (typeof jti !== 'string' || !TOKEN_ID.test(jti))) return undefined;
  return { agentId, agentType, role, scopes, tokenId: jti ?? agentId };
}

/** Scopes as a space-separated string (RFC 8693 `scope`) or a list (`scp`); absent means none. */
function scopesOf(claim: unknown): string[] | undefined {
  if (claim === undefined) return [];
  const list = typeof claim === 'string' ? claim.split(' ').filter((s) => s !== '') : claim;
  if (!Array.isArray(list) || list.length > MAX_SCOPES) return undefined;
  return list.every((s): s is string => typeof s === 'string' && SCOPE.test(s)) ? list : undefined;
}

function refusalOf(error: unknown): JwtRefusal {
  if (error instanceof KeyUnavailableError) return 'jwt_keys_unavailable';
  const code = (error as { code?: unknown } | undefined)?.code;
  const claim = (error as { claim?: unknown } | undefined)?.claim;
  switch (code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'jwt_algorithm';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'jwt_signature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'jwt_key_unknown';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return 'jwt_keys_unavailable';
    case 'ERR_JWT_EXPIRED':
      return claim === 'iat' ? 'jwt_lifetime' : 'jwt_expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claim === 'nbf' ? 'jwt_not_yet_valid' : 'jwt_claims';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'jwt_malformed';
    default:
      // jose raises a TypeError when the key does not fit the algorithm (HS256 with a public key…);
      // anything else (a network error fetching a JWKS) means the key could not be had.
      if (error instanceof TypeError) return /key/i.test(error.message) ? 'jwt_algorithm' : 'jwt_malformed';
      return 'jwt_keys_unavailable';
  }
}
