/**
 * `npm run bench`: the authorizer's speed against issue 3's budgets.
 *
 * - warm decisions per credential type (opaque token, JWT HS256, JWT ES256 via the KMS key), each a full
 *   decision: credential, verification, permissions, policy, and the audit line through the real
 *   JSON-lines audit log (its output discarded): p50, p99 and decisions per second;
 * - cold start: a fresh Node process timing from before the AWS SDK and the bundle are loaded to the
 *   first decision answered, with SSM mocked (aws-sdk-client-mock, itself loaded before the clock starts);
 * - the bundle: lambda/authorizer/index.ts through esbuild as the CDK bundles it (node22, cjs, minified,
 *   @aws-sdk/* external).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { JsonLinesAuditLog } from '../lambda/authorizer/audit';
import { createAuthorizer, type Authorizer, type AuthorizerRequest } from '../lambda/authorizer/authorizer';
import { validateAuthorizerSettings, type AuthorizerSettings } from '../lambda/authorizer/settings';
import { newToken, newTokenId, serializeTokenRecord, tokenDigest, type TokenRecord } from '../lambda/authorizer/token-record';
import { StaticTokenSource } from '../lambda/authorizer/token-source';
import { loadConfig } from '../lib/config';
import { authorizerSettingsFromConfig } from '../lib/constructs/authorizer/authorizer-settings';

const ROOT = join(__dirname, '..');
const WARMUP = 2_000;
const RUNS = 20_000;
const COLD_STARTS = 5;

const BUDGETS = { opaqueP50: 20, opaqueP99: 200, jwtP50: 150, coldMs: 150, bundleKb: 500 };

/** The authorizer settings the embedded default config deploys, built as the edge stack builds them. */
const DEFAULT_CONFIG = loadConfig();
const SETTINGS: AuthorizerSettings = authorizerSettingsFromConfig(DEFAULT_CONFIG, { tokenPath: `/mcp-perimeter/${DEFAULT_CONFIG.stage}/tokens` });
const JWT_BASE = { issuer: 'https://issuer.example.com', audience: 'mcp-perimeter' };

function issue(): { token: string; record: TokenRecord } {
  const token = newToken('mcp_');
  const now = Date.now();
  return {
    token,
    record: {
      v: 1, id: newTokenId(), digest: tokenDigest(token), agentId: 'bench-agent', agentType: 'claude', role: 'agent', scopes: ['docs:read'],
      createdAt: new Date(now - 3600_000).toISOString(), expiresAt: new Date(now + 86400_000).toISOString(),
    },
  };
}

function event(credential: string): AuthorizerRequest {
  const headers = { Authorization: `Bearer ${credential}`, Accept: 'application/json', 'User-Agent': 'claude-code/1.0', Host: 'mcp.example.com' };
  return {
    methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/POST/mcp',
    httpMethod: 'POST',
    path: '/mcp',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    requestContext: { requestId: 'bench', stage: 'prod', identity: { sourceIp: '203.0.113.7', userAgent: 'claude-code/1.0' } },
  };
}

interface Measured { p50: number; p99: number; perSecond: number }

/** Times RUNS decisions after WARMUP; `request` is one request, or one per decision (distinct credentials). */
async function measure(authorizer: Authorizer, request: AuthorizerRequest | AuthorizerRequest[]): Promise<Measured> {
  const at = (i: number) => (Array.isArray(request) ? request[i] : request);
  for (let i = 0; i < WARMUP; i++) await authorizer.handle(at(i));
  const samples = new Float64Array(RUNS);
  const started = process.hrtime.bigint();
  for (let i = 0; i < RUNS; i++) {
    const r = at(WARMUP + i);
    const t0 = process.hrtime.bigint();
    await authorizer.handle(r);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  samples.sort();
  return { p50: samples[Math.floor(RUNS * 0.5)], p99: samples[Math.floor(RUNS * 0.99)], perSecond: RUNS / totalSeconds };
}

async function warm(): Promise<Record<string, Measured>> {
  const { token, record } = issue();
  const hmac = new TextEncoder().encode('a-bench-hs256-secret-of-32-bytes-or-more!');
  const es = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const iat = Math.floor(Date.now() / 1000);
  const claims = { sub: 'bench-agent', agent_type: 'claude', role: 'agent', scope: 'docs:read', ...JWT_BASE, iss: JWT_BASE.issuer, aud: JWT_BASE.audience, iat, exp: iat + 3600 };
  const hsJwt = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(hmac);
  const esJwt = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).sign(es.privateKey);
  // Distinct JWTs (a jti each), so every decision verifies a signature: the first-sight cost.
  const distinct = async (key: Uint8Array | KeyObject, alg: string) =>
    Promise.all(Array.from({ length: WARMUP + RUNS }, (_, i) => new SignJWT({ ...claims, jti: `j-${i}` }).setProtectedHeader({ alg }).sign(key).then(event)));
  const hsDistinct = await distinct(hmac, 'HS256');
  const esDistinct = await distinct(es.privateKey, 'ES256');

  const auditLog = new JsonLinesAuditLog();
  const source = new StaticTokenSource([record]);
  const opaque = createAuthorizer({ settings: validateAuthorizerSettings(SETTINGS), tokenSource: source, auditLog });
  const hs = createAuthorizer({
    settings: validateAuthorizerSettings({ ...SETTINGS, jwt: { mode: 'hs256', algorithms: ['HS256'], hmacSecretParameter: '/p/secret', ...JWT_BASE } }),
    tokenSource: source, auditLog, jwtKey: async () => hmac,
  });
  const kms = createAuthorizer({
    settings: validateAuthorizerSettings({ ...SETTINGS, jwt: { mode: 'kms', algorithms: ['ES256'], kmsKeyId: 'alias/signing', ...JWT_BASE } }),
    tokenSource: source, auditLog, jwtKey: async () => es.publicKey,
  });

  // The audit lines are serialized as in Lambda; only the final write to the terminal is dropped.
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return {
      'opaque token': await measure(opaque, event(token)),
      'JWT HS256, first sight': await measure(hs, hsDistinct),
      'JWT HS256, repeat': await measure(hs, event(hsJwt)),
      'JWT ES256 (KMS), first sight': await measure(kms, esDistinct),
      'JWT ES256 (KMS), repeat': await measure(kms, event(esJwt)),
      'refused (unknown token, 401)': await measureRefusal(opaque, event(newToken('mcp_'))),
    };
  } finally {
    process.stdout.write = write;
  }
}

async function measureRefusal(authorizer: Authorizer, request: AuthorizerRequest): Promise<Measured> {
  const deciding = { handle: (r: AuthorizerRequest) => authorizer.decide(r) } as unknown as Authorizer;
  return measure(deciding, request);
}

async function bundle(dir: string): Promise<{ file: string; bytes: number }> {
  const file = join(dir, 'authorizer.js');
  await build({
    entryPoints: [join(ROOT, 'lambda/authorizer/index.ts')],
    bundle: true, platform: 'node', target: 'node22', format: 'cjs', minify: true, external: ['@aws-sdk/*'],
    outfile: file, logLevel: 'silent',
  });
  return { file, bytes: statSync(file).size };
}

/** One cold start in a fresh process: clock starts before the SDK and the bundle load, stops at the first answer. */
function coldStart(dir: string, bundleFile: string): number {
  const { token, record } = issue();
  const script = join(dir, 'cold.js');
  writeFileSync(script, `
const { mockClient } = require(${JSON.stringify(require.resolve('aws-sdk-client-mock'))});
process.env.AUTHORIZER_SETTINGS = ${JSON.stringify(JSON.stringify(SETTINGS))};
const write = process.stdout.write; process.stdout.write = () => true;
const t0 = process.hrtime.bigint();
const sdk = require(${JSON.stringify(require.resolve('@aws-sdk/client-ssm'))});
mockClient(sdk.SSMClient).on(sdk.GetParametersByPathCommand).resolves({ Parameters: [
  { Name: ${JSON.stringify(`${SETTINGS.tokenPath}/${record.id}`)}, Type: 'SecureString', Value: ${JSON.stringify(serializeTokenRecord(record))} } ] });
const { handler } = require(${JSON.stringify(bundleFile)});
handler(${JSON.stringify(event(token))}).then((answer) => {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write = write;
  if (!answer || answer.principalId !== 'bench-agent') throw new Error('cold start did not allow');
  console.log(ms.toFixed(2));
});
`);
  // NODE_PATH lets the bundle's external @aws-sdk/* resolve from the project, as the Lambda runtime provides them.
  const out = execFileSync(process.execPath, [script], { env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules'), NODE_NO_WARNINGS: '1' }, encoding: 'utf8' });
  return Number(out.trim().split('\n').pop());
}

/** p50 of node:crypto's bare ES256 signature verification: the floor under any first-sight ES256 decision. */
function ecdsaFloor(): number {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.from('x'.repeat(300));
  const signature = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const samples: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const t0 = process.hrtime.bigint();
    verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return samples.sort((a, b) => a - b)[2500];
}

function verdict(ok: boolean): string {
  return ok ? 'within budget' : 'OVER BUDGET';
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'authorizer-bench-'));
  const { file, bytes } = await bundle(dir);
  const colds = Array.from({ length: COLD_STARTS }, () => coldStart(dir, file)).sort((a, b) => a - b);
  const results = await warm();

  console.log(`authorizer bench (node ${process.version}, ${RUNS} decisions per type after ${WARMUP} warm-up, audit as JSON lines)`);
  console.log('');
  console.log('credential type                 p50 µs    p99 µs   decisions/s');
  for (const [name, m] of Object.entries(results)) {
    console.log(`${name.padEnd(30)} ${m.p50.toFixed(1).padStart(7)}  ${m.p99.toFixed(1).padStart(8)}  ${Math.round(m.perSecond).toString().padStart(12)}`);
  }
  const o = results['opaque token'];
  const jwtP50 = Math.max(results['JWT HS256, repeat'].p50, results['JWT ES256 (KMS), repeat'].p50);
  const jwtFirstP50 = Math.max(results['JWT HS256, first sight'].p50, results['JWT ES256 (KMS), first sight'].p50);
  const floor = ecdsaFloor();
  console.log('');
  console.log(`opaque p50 ${o.p50.toFixed(1)} µs (budget ${BUDGETS.opaqueP50}): ${verdict(o.p50 <= BUDGETS.opaqueP50)}`);
  console.log(`opaque p99 ${o.p99.toFixed(1)} µs (budget ${BUDGETS.opaqueP99}): ${verdict(o.p99 <= BUDGETS.opaqueP99)}`);
  console.log(`JWT warm p50, repeat presentation (worst of HS256, ES256) ${jwtP50.toFixed(1)} µs (budget ${BUDGETS.jwtP50}): ${verdict(jwtP50 <= BUDGETS.jwtP50)}`);
  console.log(`JWT p50, first sight (worst of HS256, ES256) ${jwtFirstP50.toFixed(1)} µs (budget ${BUDGETS.jwtP50}): ${verdict(jwtFirstP50 <= BUDGETS.jwtP50)}; node's bare ECDSA P-256 verify on this machine: p50 ${floor.toFixed(1)} µs`);
  const coldMedian = colds[Math.floor(colds.length / 2)];
  console.log(`cold start, module load to first decision, SSM mocked: median ${coldMedian.toFixed(1)} ms, max ${colds[colds.length - 1].toFixed(1)} ms over ${COLD_STARTS} processes (budget ${BUDGETS.coldMs}): ${verdict(coldMedian <= BUDGETS.coldMs)}`);
  console.log(`bundle (esbuild, node22, cjs, minified, @aws-sdk/* external): ${(bytes / 1024).toFixed(1)} KB (budget ${BUDGETS.bundleKb}): ${verdict(bytes / 1024 <= BUDGETS.bundleKb)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
