import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { createLocalJWKSet, exportJWK, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { JwtVerifier, KeyUnavailableError } from '../../../lambda/authorizer/jwt';
import type { JwtSettings } from '../../../lambda/authorizer/settings';
import { jwtKeys, madeCredential, NOW, settingsWith, signJwt } from './fixtures';

const BASE = { issuer: 'https://issuer.example.com', audience: 'mcp-perimeter' };
const jwtSettings = (jwt: Record<string, unknown>): JwtSettings => settingsWith({ jwt: { ...BASE, ...jwt } as never }).jwt!;

const HS = () => new JwtVerifier(jwtSettings({ mode: 'hs256', algorithms: ['HS256'], hmacSecretParameter: '/mcp-perimeter/dev/jwt-secret' }), async () => jwtKeys().hmac);
const KMS = () => new JwtVerifier(jwtSettings({ mode: 'kms', algorithms: ['ES256'], kmsKeyId: 'alias/mcp-perimeter-dev-signing' }), async () => jwtKeys().es256.publicKey);

async function jwks(): Promise<JWTVerifyGetKey> {
  const k = jwtKeys();
  const es = { ...(await exportJWK(k.es256.publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' };
  const rs = { ...(await exportJWK(k.rs256.publicKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' };
  return createLocalJWKSet({ keys: [es, rs] });
}
const JWKS = async () => new JwtVerifier(jwtSettings({ mode: 'jwks', algorithms: ['ES256', 'RS256'], jwksUrl: 'https://issuer.example.com/jwks' }), await jwks());

function b64(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

test.each([
  ['HS256 with the SSM secret', HS, () => signJwt(jwtKeys().hmac, 'HS256')],
  ['ES256 with the KMS public key', KMS, () => signJwt(jwtKeys().es256.privateKey, 'ES256')],
])('AUTH-5: a valid JWT (%s) yields the identity from the configured claims', async (_case, verifier, sign) => {
  // GIVEN
  const token = await sign();
  // WHEN
  const verified = await verifier().verify(token, NOW);
  // THEN
  expect(verified).toEqual({ ok: true, identity: { agentId: 'agent-7', agentType: 'claude', role: 'agent', scopes: [], tokenId: 'agent-7' } });
});

test('AUTH-5: ES256 and RS256 from a JWKS are selected by kid', async () => {
  const v = await JWKS();
  const es = await signJwt(jwtKeys().es256.privateKey, 'ES256', { jti: 'jwt-1', scope: 'docs:read docs:write' }, { kid: 'es-1' });
  const rs = await signJwt(jwtKeys().rs256.privateKey, 'RS256', {}, { kid: 'rs-1' });
  expect(await v.verify(es, NOW)).toMatchObject({ ok: true, identity: { tokenId: 'jwt-1', scopes: ['docs:read', 'docs:write'] } });
  expect(await v.verify(rs, NOW)).toMatchObject({ ok: true });
});

test('AUTH-7: role, agent type and scopes are read from configurable claims', async () => {
  // GIVEN: an IdP that puts them elsewhere (seed 003)
  const settings = jwtSettings({ mode: 'hs256', algorithms: ['HS256'], hmacSecretParameter: '/p/s', claims: { agentId: 'client_id', agentType: 'typ_', role: 'x-role', scopes: 'scp' } });
  const token = await signJwt(jwtKeys().hmac, 'HS256', { client_id: 'svc-1', typ_: 'ci', 'x-role': 'reader', scp: ['read-only'] });
  // WHEN
  const verified = await new JwtVerifier(settings, async () => jwtKeys().hmac).verify(token, NOW);
  // THEN
  expect(verified).toEqual({ ok: true, identity: { agentId: 'svc-1', agentType: 'ci', role: 'reader', scopes: ['read-only'], tokenId: 'svc-1' } });
});

const iat = Math.floor(NOW / 1000);

test.each([
  ['expired', { exp: iat - 61 }, 'jwt_expired'],
  ['nbf in the future', { nbf: iat + 120 }, 'jwt_not_yet_valid'],
  ['wrong issuer', { iss: 'https://evil.example.com' }, 'jwt_claims'],
  ['wrong audience', { aud: 'another-api' }, 'jwt_claims'],
  ['no exp', { exp: undefined }, 'jwt_claims'],
  ['no iat', { iat: undefined }, 'jwt_claims'],
  ['a lifetime over 24 h', { iat: iat - 10, exp: iat + 86400 }, 'jwt_lifetime'],
  ['issued more than 24 h ago', { iat: iat - 90000, exp: iat + 100 }, 'jwt_lifetime'],
  ['iat in the future', { iat: iat + 3600, exp: iat + 7200 }, 'jwt_claims'],
  ['no role claim', { role: undefined }, 'jwt_identity'],
  ['an agent id with odd characters', { sub: 'agent\nX-Forwarded-For: 1.2.3.4' }, 'jwt_identity'],
  ['a scope list that is not strings', { scope: [1, 2] }, 'jwt_identity'],
  ['a jti that is not a string', { jti: 42 }, 'jwt_identity'],
])('AUTH-5: a JWT with %s is refused (401)', async (_case, claims, reason) => {
  // GIVEN
  const token = await signJwt(jwtKeys().hmac, 'HS256', claims as never);
  // WHEN / THEN
  expect(await HS().verify(token, NOW)).toEqual({ ok: false, reason });
});

test('AUTH-5: clock skew of up to 60 s is accepted, not more', async () => {
  const within = await signJwt(jwtKeys().hmac, 'HS256', { exp: iat - 59 });
  const beyond = await signJwt(jwtKeys().hmac, 'HS256', { exp: iat - 61 });
  expect(await HS().verify(within, NOW)).toMatchObject({ ok: true });
  expect(await HS().verify(beyond, NOW)).toEqual({ ok: false, reason: 'jwt_expired' });
});

test('AUTH-5: alg none is refused', async () => {
  const payload = { sub: 'agent-7', role: 'admin', iss: BASE.issuer, aud: BASE.audience, iat, exp: iat + 60 };
  const none = madeCredential(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`);
  for (const v of [HS(), KMS(), await JWKS()]) {
    expect(await v.verify(none, NOW)).toMatchObject({ ok: false, reason: expect.stringMatching(/^jwt_(algorithm|malformed)$/) });
  }
});

test('AUTH-5: HS/RS confusion (the RSA public key used as an HMAC secret) is refused', async () => {
  // GIVEN: an attacker signs HS256 with the IdP's public key, which is public
  const publicPem = jwtKeys().rs256.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const forged = await signJwt(new TextEncoder().encode(publicPem), 'HS256', { role: 'admin' }, { kid: 'rs-1' });
  // WHEN / THEN
  expect(await (await JWKS()).verify(forged, NOW)).toEqual({ ok: false, reason: 'jwt_algorithm' });
});

test('AUTH-5: ES/HS confusion (the KMS public key as an HMAC secret) is refused', async () => {
  const spki = jwtKeys().es256.publicKey.export({ type: 'spki', format: 'der' });
  const forged = await signJwt(new Uint8Array(spki), 'HS256', { role: 'admin' });
  expect(await KMS().verify(forged, NOW)).toEqual({ ok: false, reason: 'jwt_algorithm' });
});

test('AUTH-5: a verifier pinned to HS256 refuses an RS256 token, and a key that does not fit the algorithm', async () => {
  const rs = await signJwt(jwtKeys().rs256.privateKey, 'RS256');
  expect(await HS().verify(rs, NOW)).toEqual({ ok: false, reason: 'jwt_algorithm' });
  // a misconfigured resolver handing a public key to an HS256 verifier still refuses
  const hsWithPublicKey = new JwtVerifier(jwtSettings({ mode: 'hs256', algorithms: ['HS256'], hmacSecretParameter: '/p/s' }), async () => jwtKeys().rs256.publicKey);
  expect(await hsWithPublicKey.verify(await signJwt(jwtKeys().hmac, 'HS256'), NOW)).toEqual({ ok: false, reason: 'jwt_algorithm' });
});

test.each(['../../../../etc/passwd', "' OR '1'='1", 'https://evil.example.com/jwks', 'es-1\u0000', ''])(
  'AUTH-5: kid injection %j finds no key',
  async (kid) => {
    const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await signJwt(attacker.privateKey, 'ES256', { role: 'admin' }, { kid });
    expect(await (await JWKS()).verify(token, NOW)).toMatchObject({ ok: false, reason: expect.stringMatching(/^jwt_(key_unknown|signature)$/) });
  },
);

test('AUTH-5: a kid naming the real key does not help a token signed by another key', async () => {
  const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const token = await signJwt(attacker.privateKey, 'ES256', { role: 'admin' }, { kid: 'es-1' });
  expect(await (await JWKS()).verify(token, NOW)).toEqual({ ok: false, reason: 'jwt_signature' });
});

test('AUTH-5: a key embedded in the header (jwk, jku, x5u) is never trusted', async () => {
  const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = await exportJWK(createPublicKey(attacker.privateKey));
  const token = await signJwt(attacker.privateKey, 'ES256', { role: 'admin' }, { jwk, jku: 'https://evil.example.com/jwks', x5u: 'https://evil.example.com/cert' });
  expect(await KMS().verify(token, NOW)).toEqual({ ok: false, reason: 'jwt_signature' });
});

test('AUTH-5: a tampered payload is refused', async () => {
  // GIVEN: a reader's token whose payload is swapped for an admin's
  const token = await signJwt(jwtKeys().es256.privateKey, 'ES256', { role: 'reader' });
  const [h, p, s] = token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  const tampered = madeCredential(`${h}.${b64({ ...claims, role: 'admin' })}.${s}`);
  // WHEN / THEN
  expect(await KMS().verify(tampered, NOW)).toEqual({ ok: false, reason: 'jwt_signature' });
});

test('AUTH-5: an unsigned token (signature stripped) is refused', async () => {
  const token = await signJwt(jwtKeys().hmac, 'HS256');
  const stripped = madeCredential(token.slice(0, token.lastIndexOf('.') + 1));
  expect(await HS().verify(stripped, NOW)).toMatchObject({ ok: false, reason: expect.stringMatching(/^jwt_(signature|malformed)$/) });
});

test('AUTH-5: garbage is refused as malformed', async () => {
  expect(await HS().verify(madeCredential('eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln'), NOW)).toMatchObject({ ok: false });
  expect(await HS().verify('a.b.c', NOW)).toEqual({ ok: false, reason: 'jwt_malformed' });
});

test('AUTH-5: when the key cannot be had, the JWT is refused (401), never allowed', async () => {
  const v = new JwtVerifier(jwtSettings({ mode: 'kms', algorithms: ['ES256'], kmsKeyId: 'k' }), async () => {
    throw new KeyUnavailableError('KMS down');
  });
  expect(await v.verify(await signJwt(jwtKeys().es256.privateKey, 'ES256'), NOW)).toEqual({ ok: false, reason: 'jwt_keys_unavailable' });
});

test('AUTH-5: a verified JWT is remembered until exp plus skew, then refused', async () => {
  // GIVEN
  let resolved = 0;
  const v = new JwtVerifier(jwtSettings({ mode: 'kms', algorithms: ['ES256'], kmsKeyId: 'k' }), async () => (resolved++, jwtKeys().es256.publicKey), { ttlMs: 3_600_000 });
  const token = await signJwt(jwtKeys().es256.privateKey, 'ES256', { exp: iat + 300 });
  // WHEN / THEN: the repeat skips the signature check
  expect(await v.verify(token, NOW)).toMatchObject({ ok: true });
  expect(await v.verify(token, NOW + 1000)).toMatchObject({ ok: true });
  expect(resolved).toBe(1);
  // AND past exp + 60 s skew it is verified afresh, and refused
  expect(await v.verify(token, NOW + 359_000)).toMatchObject({ ok: true });
  expect(await v.verify(token, NOW + 360_000)).toEqual({ ok: false, reason: 'jwt_expired' });
});

test('SEC-3: a remembered JWT is verified afresh after the cache TTL on the monotonic clock, even when the wall clock steps back', async () => {
  // GIVEN
  let key: Uint8Array = jwtKeys().hmac;
  let mono = 0;
  const v = new JwtVerifier(jwtSettings({ mode: 'hs256', algorithms: ['HS256'], hmacSecretParameter: '/p/s' }), async () => key, { ttlMs: 60_000, monotonicNow: () => mono });
  const token = await signJwt(jwtKeys().hmac, 'HS256');
  expect(await v.verify(token, NOW)).toMatchObject({ ok: true });
  // WHEN: the secret is rotated
  key = new TextEncoder().encode('a-rotated-hs256-secret-of-32-bytes-long!');
  // THEN: within the TTL it is still remembered; after it, refused, though the wall clock went back 30 s
  mono = 59_000;
  expect(await v.verify(token, NOW + 59_000)).toMatchObject({ ok: true });
  mono = 60_000;
  expect(await v.verify(token, NOW - 30_000)).toEqual({ ok: false, reason: 'jwt_signature' });
});

test('AUTH-5: refusals are never remembered, and a tampered copy of a remembered JWT is not served from memory', async () => {
  // GIVEN
  let resolved = 0;
  const v = new JwtVerifier(jwtSettings({ mode: 'kms', algorithms: ['ES256'], kmsKeyId: 'k' }), async () => (resolved++, jwtKeys().es256.publicKey), { ttlMs: 60_000 });
  const token = await signJwt(jwtKeys().es256.privateKey, 'ES256', { role: 'reader' });
  await v.verify(token, NOW);
  const [h, p, s] = token.split('.');
  const tampered = madeCredential(`${h}.${b64({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'admin' })}.${s}`);
  // WHEN
  const first = await v.verify(tampered, NOW);
  const second = await v.verify(tampered, NOW);
  // THEN
  expect(first).toEqual({ ok: false, reason: 'jwt_signature' });
  expect(second).toEqual({ ok: false, reason: 'jwt_signature' });
  expect(resolved).toBe(3);
});

/** What jose's own `jwtVerify` says of a token, with the KMS verifier's options: the reference for the in-place ES256 path. */
async function joseAccepts(token: string): Promise<boolean> {
  const s = jwtSettings({ mode: 'kms', algorithms: ['ES256'], kmsKeyId: 'alias/mcp-perimeter-dev-signing' });
  try {
    await jwtVerify(token, jwtKeys().es256.publicKey, {
      algorithms: ['ES256'], issuer: s.issuer, audience: s.audience, clockTolerance: s.clockSkewSeconds,
      requiredClaims: ['exp', 'iat'], maxTokenAge: s.maxLifetimeSeconds, currentDate: new Date(NOW),
    });
    return true;
  } catch {
    return false;
  }
}

test.each([
  ['valid', async () => signJwt(jwtKeys().es256.privateKey, 'ES256'), true],
  ['expired', async () => signJwt(jwtKeys().es256.privateKey, 'ES256', { exp: Math.floor(NOW / 1000) - 120 }), false],
  ['not yet valid', async () => signJwt(jwtKeys().es256.privateKey, 'ES256', { nbf: Math.floor(NOW / 1000) + 600 }), false],
  ['another audience', async () => signJwt(jwtKeys().es256.privateKey, 'ES256', { aud: 'other' }), false],
  ['another issuer', async () => signJwt(jwtKeys().es256.privateKey, 'ES256', { iss: 'https://evil.example.com' }), false],
  ['no iat', async () => signJwt(jwtKeys().es256.privateKey, 'ES256', { iat: undefined }), false],
  ['signed by another P-256 key', async () => signJwt(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, 'ES256'), false],
  ['signed correctly but with a crit header naming an unknown extension', async () => {
    const [, p] = (await signJwt(jwtKeys().es256.privateKey, 'ES256')).split('.');
    const h = b64({ alg: 'ES256', crit: ['x-ext'], 'x-ext': true });
    const signature = sign('sha256', Buffer.from(`${h}.${p}`), { key: jwtKeys().es256.privateKey, dsaEncoding: 'ieee-p1363' });
    return madeCredential(`${h}.${p}.${signature.toString('base64url')}`);
  }, false],
  ['the signature in DER form', async () => {
    const token = await signJwt(jwtKeys().es256.privateKey, 'ES256');
    const [h, p] = token.split('.');
    const der = sign('sha256', Buffer.from(`${h}.${p}`), jwtKeys().es256.privateKey);
    return madeCredential(`${h}.${p}.${der.toString('base64url')}`);
  }, false],
])('AUTH-5: the in-place ES256 check agrees with jose on a token that is %s', async (_case, make, accepted) => {
  // GIVEN
  const token = await make();
  // WHEN
  const verified = await KMS().verify(token, NOW);
  // THEN
  expect(await joseAccepts(token)).toBe(accepted);
  expect(verified.ok).toBe(accepted);
});

test('AUTH-5: the in-place ES256 check agrees with jose on 2,000 tokens with one character changed', async () => {
  // GIVEN a valid token
  const token = await signJwt(jwtKeys().es256.privateKey, 'ES256');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
  await fc.assert(fc.asyncProperty(fc.nat(token.length - 1), fc.nat(alphabet.length - 1), async (at, c) => {
    // WHEN one character is replaced
    const mutated = madeCredential(`${token.slice(0, at)}${alphabet[c]}${token.slice(at + 1)}`);
    // THEN our verdict is jose's verdict
    expect((await KMS().verify(mutated, NOW)).ok).toBe(await joseAccepts(mutated));
  }), { numRuns: 2000 });
});
