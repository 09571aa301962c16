/**
 * Round trips through the authorizer's own code (lambda/authorizer): tokens and JWTs made by the CLI
 * are decided by `createAuthorizer`, looking token records up with its `DynamoDbTokenLookup` in the same
 * in-memory token table the CLI wrote to, and verifying JWTs with its `KmsPublicKey` + `JwtVerifier`
 * against the public half of the real P-256 key that answers the mocked KMS Sign.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MemoryAuditLog } from '../../lambda/authorizer/audit';
import { type Authorizer, createAuthorizer, type Decision } from '../../lambda/authorizer/authorizer';
import { KmsPublicKey } from '../../lambda/authorizer/kms-public-key';
import { verifyOpaqueToken } from '../../lambda/authorizer/opaque-token';
import { validateAuthorizerSettings } from '../../lambda/authorizer/settings';
import { DynamoDbTokenLookup } from '../../lambda/authorizer/dynamodb-token-lookup';
import { parseTokenRecord } from '../../lambda/authorizer/token-record';
import { loadConfig } from '../../lib/config';
import { authorizerSettingsFromConfig } from '../../lib/constructs/authorizer/authorizer-settings';
import { ExitCode } from '../../lib/cli/errors';
import { cli, FakeParameterStore, FakeTokenTable, kmsMock, mockAws, NOW, SIGNING_KEY_ARN, TOKEN_PATH, TOKEN_TABLE } from './cli-harness';

const HOUR = 3_600_000;
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const CONFIG_FILE = join(mkdtempSync(join(tmpdir(), 'cli-rt-')), 'dev.json');
writeFileSync(CONFIG_FILE, JSON.stringify({
  stage: 'dev',
  auth: { refreshSeconds: 60, jwt: { mode: 'kms', issuer: 'https://mcp.example.com', audience: 'mcp-perimeter-dev' } },
  rbac: { scopes: { 'docs:read': ['read'] } },
}));
const config = loadConfig({ file: CONFIG_FILE });

/** A mutable clock shared by the CLI and the authorizer. */
let clock = NOW.getTime();
let monotonic = 0;
let audit: MemoryAuditLog;
let authorizer: Authorizer;

function request(credential: string, method = 'GET', path = '/mcp') {
  return {
    methodArn: `arn:aws:execute-api:eu-west-1:111111111111:abcdef1234/dev/${method}${path}`,
    httpMethod: method,
    path,
    headers: { Authorization: `Bearer ${credential}` },
    requestContext: { requestId: 'req-1', stage: 'dev', identity: { sourceIp: '203.0.113.7' } },
  };
}

function allowed(decision: Decision): boolean {
  return decision.kind === 'policy' && decision.allowed;
}

beforeEach(() => {
  clock = NOW.getTime();
  mockAws();
  new FakeParameterStore().install();
  new FakeTokenTable().install();
  monotonic = 0;
  kmsMock.on(SignCommand).callsFake((input) => ({ KeyId: SIGNING_KEY_ARN, Signature: new Uint8Array(sign('sha256', Buffer.from(input.Message), keys.privateKey)) }));
  kmsMock.on(GetPublicKeyCommand).resolves({
    KeyId: SIGNING_KEY_ARN, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'],
    PublicKey: new Uint8Array(keys.publicKey.export({ format: 'der', type: 'spki' })),
  });
  const settings = validateAuthorizerSettings(authorizerSettingsFromConfig(config, { tokenPath: TOKEN_PATH, kmsKeyId: SIGNING_KEY_ARN }));
  audit = new MemoryAuditLog();
  authorizer = createAuthorizer({
    settings,
    tokenLookup: new DynamoDbTokenLookup({ client: new DynamoDBClient({ region: 'eu-west-1' }), tableName: TOKEN_TABLE }),
    jwtKey: new KmsPublicKey({ client: new KMSClient({ region: 'eu-west-1' }), keyId: SIGNING_KEY_ARN }).resolver,
    auditLog: audit,
    now: () => clock,
    monotonicNow: () => monotonic,
  });
});

async function create(): Promise<{ token: string; id: string }> {
  const run = await cli(['tokens', 'create', '--stage', 'dev', '--config', CONFIG_FILE, '--agent-id', 'billing-bot', '--agent-type', 'claude-code', '--role', 'agent', '--scopes', 'docs:read', '--json'], { now: new Date(clock) });
  expect(run.code).toBe(ExitCode.OK);
  return JSON.parse(run.stdout);
}

test('AUTH-4: a token from tokens create is accepted by the authorizer with the identity it was issued for', async () => {
  // GIVEN
  const { token, id } = await create();
  // WHEN
  const decision = await authorizer.decide(request(token));
  // THEN
  expect(allowed(decision)).toBe(true);
  expect(decision.kind === 'policy' && decision.answer.context).toMatchObject({
    agentId: 'billing-bot', agentType: 'claude-code', role: 'agent', scopes: 'docs:read', tokenId: id, credentialType: 'opaque',
  });
  expect(JSON.stringify(audit.decisions)).not.toContain(token);
});

test('AUTH-4 / SEC-3: after tokens revoke the token is refused once the authorizer refreshes, within refreshSeconds', async () => {
  // GIVEN
  const { token, id } = await create();
  expect(allowed(await authorizer.decide(request(token)))).toBe(true);
  // WHEN
  const revoked = await cli(['tokens', 'revoke', '--stage', 'dev', '--config', CONFIG_FILE, '--id', id]);
  clock += 61_000;
  monotonic += 61_000;
  const decision = await authorizer.decide(request(token));
  // THEN
  expect(revoked.code).toBe(ExitCode.OK);
  expect(revoked.stderr).toMatch(/refuses it within 120 s/);
  expect(decision).toEqual({ kind: 'unauthorized', reason: 'token_revoked' });
});

test('SEC-3: after tokens rotate both tokens work until the overlap ends, then only the new one', async () => {
  // GIVEN
  const old = await create();
  clock += 80 * 24 * HOUR;
  // WHEN
  const rotated = await cli(['tokens', 'rotate', '--stage', 'dev', '--config', CONFIG_FILE, '--id', old.id, '--overlap', '24h', '--json'], { now: new Date(clock) });
  const successor = JSON.parse(rotated.stdout) as { token: string; id: string };
  await authorizer.refreshTokens();
  // THEN: during the overlap
  expect(allowed(await authorizer.decide(request(old.token)))).toBe(true);
  expect(allowed(await authorizer.decide(request(successor.token)))).toBe(true);
  // THEN: one second after the overlap
  clock += 24 * HOUR + 1000;
  expect(await authorizer.decide(request(old.token))).toEqual({ kind: 'unauthorized', reason: 'token_expired' });
  expect(allowed(await authorizer.decide(request(successor.token)))).toBe(true);
  // THEN: the successor lives its full lifetime
  clock += 85 * 24 * HOUR;
  expect(allowed(await authorizer.decide(request(successor.token)))).toBe(true);
});

test('AUTH-4: an offline token and record are accepted by verifyOpaqueToken once stored, and only until expiry', async () => {
  // GIVEN
  const run = await cli(['tokens', 'create', '--stage', 'dev', '--agent-id', 'ci', '--agent-type', 'gha', '--role', 'reader', '--expires', '2h', '--offline']);
  const [token, line] = run.stdout.split('\n');
  const record = parseTokenRecord(line!);
  // WHEN / THEN
  expect(verifyOpaqueToken(token!, [record], new Date(NOW.getTime() + HOUR))).toEqual({ ok: true, record });
  expect(verifyOpaqueToken(token!, [record], new Date(NOW.getTime() + 2 * HOUR))).toMatchObject({ ok: false, reason: 'token_expired' });
  expect(verifyOpaqueToken(`${token}x`, [record], NOW)).toMatchObject({ ok: false, reason: 'token_unknown' });
});

test('AUTH-5: a JWT from jwt issue is accepted by the authorizer, which verifies it with the KMS public key', async () => {
  // GIVEN
  const run = await cli(['jwt', 'issue', '--stage', 'dev', '--config', CONFIG_FILE, '--agent-id', 'billing-bot', '--agent-type', 'claude-code', '--role', 'agent', '--scopes', 'docs:read', '--ttl', '8h'], { now: new Date(clock) });
  const jwt = run.stdout.trim();
  // WHEN
  const decision = await authorizer.decide(request(jwt));
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(allowed(decision)).toBe(true);
  expect(decision.kind === 'policy' && decision.answer.context).toMatchObject({
    agentId: 'billing-bot', agentType: 'claude-code', role: 'agent', scopes: 'docs:read', credentialType: 'jwt',
  });
  expect(kmsMock.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
});

test('AUTH-5: a JWT from jwt issue is refused by the authorizer once it expires, and with a changed signature', async () => {
  // GIVEN
  const run = await cli(['jwt', 'issue', '--stage', 'dev', '--config', CONFIG_FILE, '--agent-id', 'a', '--role', 'reader', '--ttl', '15m'], { now: new Date(clock) });
  const jwt = run.stdout.trim();
  const [h, p, s] = jwt.split('.');
  const flipped = `${h}.${p}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`;
  // WHEN
  const tampered = await authorizer.decide(request(flipped));
  clock += 15 * 60_000 + 61_000;
  const expired = await authorizer.decide(request(jwt));
  // THEN
  expect(tampered).toEqual({ kind: 'unauthorized', reason: 'jwt_signature' });
  expect(expired).toEqual({ kind: 'unauthorized', reason: 'jwt_expired' });
});
