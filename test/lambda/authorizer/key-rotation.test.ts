/**
 * Issue 15, point 6: JWT keys rotate without downtime. The README's procedure (Token rotation), run as a
 * sequence against the real authorizer: issue with A; make B current with A previous; both verify;
 * retire A; A-signed JWTs are refused, B-signed ones still verify.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createAuthorizer } from '../../../lambda/authorizer/authorizer';
import { keyRingResolver } from '../../../lambda/authorizer/key-ring';
import { SsmHmacSecret } from '../../../lambda/authorizer/ssm-hmac-secret';
import { bearer, NOW, requestEvent, settingsWith, signJwt, testAuditLog } from './fixtures';

const SECRET = '/mcp-perimeter/dev/jwt/hs256-secret';
const ssm = mockClient(SSMClient);

afterAll(() => ssm.restore());

test('SEC-3 / AUTH-5: the HS256 rotation procedure keeps every live JWT working, then refuses the retired secret', async () => {
  // GIVEN: SSM holds secret A; both clocks are the test's
  const parameters = new Map<string, string>();
  ssm.on(GetParameterCommand).callsFake((input: { Name: string }) => {
    const value = parameters.get(input.Name);
    if (value === undefined) throw new ParameterNotFound({ message: 'not found', $metadata: {} });
    return { Parameter: { Name: input.Name, Type: 'SecureString', Value: value } };
  });
  const a = randomBytes(32).toString('base64url');
  const b = randomBytes(32).toString('base64url');
  parameters.set(SECRET, a);
  let wall = NOW;
  let mono = 0;
  const secret = new SsmHmacSecret({ client: new SSMClient({ region: 'eu-west-1' }), parameterName: SECRET, refreshMs: 60_000, maxStaleMs: 900_000, now: () => mono });
  const settings = settingsWith({ jwt: { mode: 'hs256', algorithms: ['HS256'], hmacSecretParameter: SECRET, issuer: 'https://issuer.example.com', audience: 'mcp-perimeter' } });
  const authorizer = createAuthorizer({ settings, jwtKey: secret.resolver, auditLog: testAuditLog(), now: () => wall, monotonicNow: () => mono });
  const decide = async (jwt: string) => authorizer.decide(requestEvent({ method: 'GET', path: '/mcp', headers: bearer(jwt) }));
  const advance = (ms: number) => { wall += ms; mono += ms; };

  // step 1: tokens are issued with A
  const signedA = await signJwt(new TextEncoder().encode(a), 'HS256', { jti: 'a-1' });
  expect(await decide(signedA)).toMatchObject({ kind: 'policy', allowed: true });

  // step 2: put A at <name>-previous, then B at <name>; within refreshSeconds both verify
  parameters.set(`${SECRET}-previous`, a);
  parameters.set(SECRET, b);
  advance(61_000);
  const signedB = await signJwt(new TextEncoder().encode(b), 'HS256', { jti: 'b-1', iat: Math.floor(wall / 1000) });
  const signedA2 = await signJwt(new TextEncoder().encode(a), 'HS256', { jti: 'a-2', iat: Math.floor(wall / 1000) - 60 });
  expect(await decide(signedB)).toMatchObject({ kind: 'policy', allowed: true });
  expect(await decide(signedA2)).toMatchObject({ kind: 'policy', allowed: true });

  // step 3: after the longest JWT lifetime, delete <name>-previous; A-signed JWTs are refused within refreshSeconds
  parameters.delete(`${SECRET}-previous`);
  advance(61_000);
  const signedA3 = await signJwt(new TextEncoder().encode(a), 'HS256', { jti: 'a-3', iat: Math.floor(wall / 1000) });
  const signedB2 = await signJwt(new TextEncoder().encode(b), 'HS256', { jti: 'b-2', iat: Math.floor(wall / 1000) });
  expect(await decide(signedA3)).toEqual({ kind: 'unauthorized', reason: 'jwt_signature' });
  expect(await decide(signedB2)).toMatchObject({ kind: 'policy', allowed: true });
});

test('AUTH-5: with a key ring, an ES256 JWT signed by the previous KMS key verifies, one signed by an unknown key does not', async () => {
  // GIVEN
  const current = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const previous = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const settings = settingsWith({ jwt: { mode: 'kms', algorithms: ['ES256'], kmsKeyId: 'alias/signing', issuer: 'https://issuer.example.com', audience: 'mcp-perimeter' } });
  const authorizer = createAuthorizer({
    settings, jwtKey: keyRingResolver(async () => [current.publicKey, previous.publicKey]), auditLog: testAuditLog(), now: () => NOW,
  });
  const decide = async (jwt: string) => authorizer.decide(requestEvent({ method: 'GET', path: '/mcp', headers: bearer(jwt) }));
  // WHEN / THEN
  expect(await decide(await signJwt(current.privateKey, 'ES256', { jti: 'c' }))).toMatchObject({ allowed: true });
  expect(await decide(await signJwt(previous.privateKey, 'ES256', { jti: 'p' }))).toMatchObject({ allowed: true });
  expect(await decide(await signJwt(stranger.privateKey, 'ES256', { jti: 's' }))).toEqual({ kind: 'unauthorized', reason: 'jwt_signature' });
});
