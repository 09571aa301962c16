import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { SignCommand } from '@aws-sdk/client-kms';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { ExitCode } from '../../lib/cli/errors';
import { awsError, cfnMock, cli, kmsMock, mockAws, NOW, SIGNING_KEY_ARN } from './cli-harness';

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const NOW_S = NOW.getTime() / 1000;

function configFile(config: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cli-config-')), 'config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** KMS Sign answered by a real P-256 private key: DER signature over the RAW message, as KMS does. */
function kmsSignsWithRealKey(): void {
  kmsMock.on(SignCommand).callsFake((input) => ({
    KeyId: SIGNING_KEY_ARN,
    SigningAlgorithm: input.SigningAlgorithm,
    Signature: new Uint8Array(sign('sha256', Buffer.from(input.Message), keys.privateKey)),
  }));
}

const ISSUE = ['jwt', 'issue', '--stage', 'dev', '--agent-id', 'billing-bot', '--role', 'agent'];

beforeEach(() => {
  mockAws();
  kmsSignsWithRealKey();
});

test('AUTH-5: jwt issue prints an ES256 JWT signed by the KMS key that jose verifies with the public key', async () => {
  // WHEN
  const run = await cli([...ISSUE, '--agent-type', 'claude-code', '--ttl', '8h']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  const jwt = run.stdout.trim();
  const { payload, protectedHeader } = await jwtVerify(jwt, keys.publicKey, {
    algorithms: ['ES256'], issuer: 'https://mcp.example.com', audience: 'mcp-perimeter-dev', currentDate: NOW,
  });
  expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'JWT', kid: SIGNING_KEY_ARN });
  expect(payload).toEqual({
    sub: 'billing-bot', agent_type: 'claude-code', role: 'agent',
    iss: 'https://mcp.example.com', aud: 'mcp-perimeter-dev',
    iat: NOW_S, exp: NOW_S + 8 * 3600, jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
  });
});

test('AUTH-5: jwt issue asks KMS for ECDSA_SHA_256 over the RAW signing input with the stage signing key', async () => {
  // WHEN
  const run = await cli(ISSUE);
  // THEN
  const input = kmsMock.commandCalls(SignCommand)[0]!.args[0].input;
  expect(input).toMatchObject({ KeyId: SIGNING_KEY_ARN, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' });
  const jwt = run.stdout.trim();
  expect(Buffer.from(input.Message!).toString('ascii')).toBe(jwt.slice(0, jwt.lastIndexOf('.')));
  expect(Buffer.from(jwt.split('.')[2]!, 'base64url')).toHaveLength(64);
});

test('AUTH-5: jwt issue puts scopes space-separated in the scope claim and defaults to a 1 h lifetime', async () => {
  // GIVEN
  const config = configFile({ rbac: { scopes: { 'docs:read': ['read'], 'docs:write': ['write'] } } });
  // WHEN
  const run = await cli([...ISSUE, '--config', config, '--scopes', 'docs:read,docs:write']);
  // THEN
  const { payload } = await jwtVerify(run.stdout.trim(), keys.publicKey, { algorithms: ['ES256'], currentDate: NOW });
  expect(payload.scope).toBe('docs:read docs:write');
  expect(payload.exp! - payload.iat!).toBe(3600);
  expect(payload.agent_type).toBeUndefined();
});

test('jwt issue takes iss, aud and claim names from the config\'s auth.jwt and only the key from the stack', async () => {
  // GIVEN
  const config = configFile({
    auth: { jwt: { mode: 'kms', issuer: 'https://issuer.example.com', audience: 'aud-1', maxLifetimeSeconds: 7200, claims: { role: 'mcp_role' } } },
  });
  mockAws({ SigningKeyArn: SIGNING_KEY_ARN });
  kmsSignsWithRealKey();
  // WHEN
  const run = await cli([...ISSUE, '--config', config, '--ttl', '2h']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  const { payload } = await jwtVerify(run.stdout.trim(), keys.publicKey, { algorithms: ['ES256'], issuer: 'https://issuer.example.com', audience: 'aud-1', currentDate: NOW });
  expect(payload.mcp_role).toBe('agent');
  expect(payload.role).toBeUndefined();
});

test('jwt issue with --signing-key-id and a config with auth.jwt makes no CloudFormation call', async () => {
  // GIVEN
  const config = configFile({ auth: { jwt: { mode: 'kms', issuer: 'https://i.example.com', audience: 'a' } } });
  // WHEN
  const run = await cli([...ISSUE, '--config', config, '--signing-key-id', 'alias/signing']);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(cfnMock.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  expect(decodeProtectedHeader(run.stdout.trim()).kid).toBe('alias/signing');
  expect(kmsMock.commandCalls(SignCommand)[0]!.args[0].input.KeyId).toBe('alias/signing');
});

test('jwt issue --json gives the JWT, its claims, kid and expiry', async () => {
  // WHEN
  const run = await cli([...ISSUE, '--json']);
  // THEN
  const out = JSON.parse(run.stdout);
  expect(out).toMatchObject({ kid: SIGNING_KEY_ARN, expiresAt: new Date(NOW.getTime() + 3_600_000).toISOString(), claims: { sub: 'billing-bot' } });
  await expect(jwtVerify(out.jwt, keys.publicKey, { algorithms: ['ES256'], currentDate: NOW })).resolves.toBeDefined();
});

test.each([
  ['25h', [], /--ttl must be from 1m to 1d, got '25h'/],
  ['30s', [], /--ttl must be from 1m to 1d, got '30s'/],
  ['3h', ['--config', 'MAX2H'], /--ttl must be from 1m to 2h, got '3h'/],
])('fails: AUTH-5: jwt issue --ttl %s exits BAD_DURATION (at most 24 h and auth.jwt.maxLifetimeSeconds)', async (ttl, extra, message) => {
  // GIVEN
  const args = extra.map((a) => (a === 'MAX2H' ? configFile({ auth: { jwt: { mode: 'kms', issuer: 'i', audience: 'a', maxLifetimeSeconds: 7200 } } }) : a));
  // WHEN
  const run = await cli([...ISSUE, '--ttl', ttl, ...args]);
  // THEN
  expect(run.code).toBe(ExitCode.BAD_DURATION);
  expect(run.stderr).toMatch(message);
  expect(kmsMock.calls()).toHaveLength(0);
});

test('fails: jwt issue with an unknown role exits UNKNOWN_ROLE_OR_SCOPE without signing', async () => {
  // WHEN
  const run = await cli(['jwt', 'issue', '--stage', 'dev', '--agent-id', 'a', '--role', 'superuser']);
  // THEN
  expect(run.code).toBe(ExitCode.UNKNOWN_ROLE_OR_SCOPE);
  expect(kmsMock.calls()).toHaveLength(0);
});

test('fails: jwt issue for a stage whose authorizer verifies JWTs from a JWKS exits CONFIG', async () => {
  // GIVEN
  const config = configFile({ network: { egress: 'nat' }, auth: { jwt: { mode: 'jwks', issuer: 'https://idp', audience: 'a', jwksUrl: 'https://idp.example.com/jwks' } } });
  // WHEN
  const run = await cli([...ISSUE, '--config', config]);
  // THEN
  expect(run.code).toBe(ExitCode.CONFIG);
  expect(run.stderr).toMatch(/verifies JWTs with auth\.jwt\.mode 'jwks', not 'kms'/);
});

test('fails: jwt issue when the stack has no SigningKeyArn output exits NOT_FOUND naming --signing-key-id', async () => {
  // GIVEN
  mockAws({ TokenPath: '/x', JwtIssuer: 'i', JwtAudience: 'a' });
  // WHEN
  const run = await cli(ISSUE);
  // THEN
  expect(run.code).toBe(ExitCode.NOT_FOUND);
  expect(run.stderr).toMatch(/stack McpPerimeter-dev-Keys has no output SigningKeyArn; pass --signing-key-id instead/);
});

test.each([
  ['DisabledException', ExitCode.KEY_UNUSABLE, /the KMS key cannot be used \(DisabledException/],
  ['KMSInvalidStateException', ExitCode.KEY_UNUSABLE, /the KMS key cannot be used/],
  ['NotFoundException', ExitCode.NOT_FOUND, /KMS key .* does not exist in this account and region/],
  ['AccessDeniedException', ExitCode.ACCESS_DENIED, /signing the JWT with KMS key .*: access denied/],
  ['ThrottlingException', ExitCode.THROTTLED, /AWS is throttling the call after 5 attempts with backoff/],
])('fails: jwt issue when KMS Sign fails with %s exits %i', async (name, code, message) => {
  // GIVEN
  kmsMock.on(SignCommand).rejects(awsError(name, name, 5));
  // WHEN
  const run = await cli(ISSUE);
  // THEN
  expect(run.code).toBe(code);
  expect(run.stderr).toMatch(message);
  expect(run.stdout).toBe('');
});

test('fails: jwt issue with a key that is not P-256 exits KEY_UNUSABLE', async () => {
  // GIVEN: a P-384 key answers, whose DER integers are 48 bytes
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  kmsMock.on(SignCommand).callsFake((input) => ({ Signature: new Uint8Array(sign('sha384', Buffer.from(input.Message), p384.privateKey)) }));
  // WHEN
  const run = await cli(ISSUE);
  // THEN
  expect(run.code).toBe(ExitCode.KEY_UNUSABLE);
  expect(run.stderr).toMatch(/returned a signature that is not ES256 .*must be ECC_NIST_P256/);
});
