/**
 * `npm run bench`: the authorizer's speed against issue 3's and issue 15's budgets.
 *
 * - warm decisions per credential type (opaque token, JWT HS256, JWT ES256 via the KMS key), each a full
 *   decision: credential, verification, permissions, policy, and the audit line through the real
 *   JSON-lines audit log: p50, p99 and decisions per second;
 * - cold start: a fresh Node process timing from before the AWS SDK and the bundle are loaded to the
 *   first decision answered, with 10, 1,000 and 100,000 tokens in a fake DynamoDB table (15 ms a call),
 *   and the store calls it made;
 * - a fleet: K instances sharing one throttled store, decisions per second and refusals;
 * - warm decisions run as deployed: in a child process whose stdout is a pipe, every audit line
 *   written, a realistic REST REQUEST event, the X-Ray trace id set;
 * - the bundle: lambda/authorizer/index.ts through esbuild as the CDK bundles it (node22, cjs, minified,
 *   @aws-sdk/* external).
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { JsonLinesAuditLog, MemoryAuditLog } from '../lambda/authorizer/audit';
import { createAuthorizer, type Authorizer, type AuthorizerRequest } from '../lambda/authorizer/authorizer';
import { validateAuthorizerSettings, type AuthorizerSettings } from '../lambda/authorizer/settings';
import { newToken, newTokenId, tokenDigest, type TokenRecord } from '../lambda/authorizer/token-record';
import { tokenItem } from '../lambda/authorizer/token-item';
import type { StoredToken, TokenLookup } from '../lambda/authorizer/token-lookup';
import { StaticTokenSource } from '../lambda/authorizer/token-source';
import { loadConfig } from '../lib/config';
import { authorizerSettingsFromConfig } from '../lib/constructs/authorizer/authorizer-settings';

const ROOT = join(__dirname, '..');
const WARMUP = 2_000;
const RUNS = 20_000;
const COLD_STARTS = 5;

const BUDGETS = { opaqueP50: 30, opaqueP99: 200, jwtP50: 150, coldMs: 150, bundleKb: 500 };
/** The fake store: 15 ms a call (issue 15's SSM fake). */
const STORE_LATENCY_MS = 15;
/**
 * Store throttles of the fleet runs: 40 calls/s (issue 15's SSM fake, the worst case) and 1,000 calls/s,
 * still far below a new on-demand DynamoDB table (up to 12,000 read units a second at first, an
 * eventually consistent GetItem of up to 4 KB costing half a unit: DynamoDB developer guide,
 * "On-demand capacity mode", "Initial throughput for on-demand capacity mode").
 */
const FLEET_THROTTLES = [40, 1_000];
const FLEET_SECONDS = 30;

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

/** A REST API REQUEST authorizer event as API Gateway sends it (regional endpoint behind CloudFront-style headers). */
function event(credential: string): AuthorizerRequest {
  const headers: Record<string, string> = {
    Accept: 'application/json, text/event-stream',
    'Accept-Encoding': 'gzip, deflate, br',
    Authorization: `Bearer ${credential}`,
    'Content-Type': 'application/json',
    'Content-Length': '182',
    Host: 'mcp.example.com',
    'mcp-protocol-version': '2025-06-18',
    'mcp-session-id': '6f1c2a4e-8b7d-4f3e-9a21-0c5d7e8f9a10',
    'User-Agent': 'claude-code/1.0.61 (external, cli)',
    'X-Amzn-Trace-Id': 'Root=1-67891233-abcdef012345678912345678',
    'X-Forwarded-For': '203.0.113.7',
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
  };
  return {
    type: 'REQUEST',
    methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/POST/mcp',
    resource: '/mcp',
    httpMethod: 'POST',
    path: '/mcp',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      resourceId: 'a1b2c3', resourcePath: '/mcp', httpMethod: 'POST', extendedRequestId: 'Abc12FgHIAMFq-A=', requestTime: '01/Dec/2026:10:00:00 +0000',
      path: '/prod/mcp', accountId: '123456789012', protocol: 'HTTP/1.1', stage: 'prod', domainPrefix: 'mcp', requestTimeEpoch: 1795946400000,
      requestId: '8f3b1c2d-4e5f-4a6b-9c7d-1e2f3a4b5c6d', domainName: 'mcp.example.com', apiId: 'abcdef1234',
      identity: { cognitoIdentityPoolId: null, accountId: null, cognitoIdentityId: null, caller: null, sourceIp: '203.0.113.7', principalOrgId: null, accessKey: null,
        cognitoAuthenticationType: null, cognitoAuthenticationProvider: null, userArn: null, userAgent: 'claude-code/1.0.61 (external, cli)', user: null },
    },
  } as AuthorizerRequest;
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

  // As deployed: every audit line is written to stdout, which is a pipe (the parent drains it), with
  // the X-Ray trace id of the invocation set, as the Lambda runtime sets it.
  process.env._X_AMZN_TRACE_ID = 'Root=1-67891233-abcdef012345678912345678;Parent=1a2b3c4d5e6f7a8b;Sampled=1';
  {
    return {
      'opaque token': await measure(opaque, event(token)),
      'JWT HS256, first sight': await measure(hs, hsDistinct),
      'JWT HS256, repeat': await measure(hs, event(hsJwt)),
      'JWT ES256 (KMS), first sight': await measure(kms, esDistinct),
      'JWT ES256 (KMS), repeat': await measure(kms, event(esJwt)),
      'refused (unknown token, 401)': await measureRefusal(opaque, event(newToken('mcp_'))),
    };
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

/**
 * A fake DynamoDB endpoint over HTTP on 127.0.0.1 (the JSON protocol GetItem), in this process, holding
 * `tokens` items: the measured process reaches it through the real SDK and its HTTP stack, as in
 * Lambda, and the table's size lives here, not in the measured heap. Answers after STORE_LATENCY_MS.
 */
async function fakeDynamoDb(records: readonly TokenRecord[], fillers: number): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  const items = new Map<string, string>();
  for (const r of records) items.set(r.digest, JSON.stringify({ Item: tokenItem(r) }));
  const filler = JSON.stringify({ Item: { record: { S: '{}' } } });
  for (let i = 0; i < fillers; i++) items.set(`sha256:${createHash('sha256').update(String(i)).digest('hex')}`, filler);
  let calls = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      calls++;
      const digest = (JSON.parse(body) as { Key: { digest: { S: string } } }).Key.digest.S;
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `r${calls}` });
        response.end(items.get(digest) ?? '{}');
      }, STORE_LATENCY_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, calls: () => calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * One cold start in a fresh process against a table of `tokens` items: the clock starts before the
 * bundle (and with it the AWS SDK) loads and stops at the first answer. Returns the time to load the
 * handler module, the time to the first decision, and the store calls the table saw.
 */
async function coldStart(dir: string, bundleFile: string, tokens: number): Promise<{ loadMs: number; ms: number; calls: number }> {
  const { token, record } = issue();
  const store = await fakeDynamoDb([record], tokens - 1);
  const script = join(dir, 'cold.js');
  writeFileSync(script, `
process.env.AUTHORIZER_SETTINGS = ${JSON.stringify(JSON.stringify(SETTINGS))};
const write = process.stdout.write; process.stdout.write = () => true;
const t0 = process.hrtime.bigint();
const { handler } = require(${JSON.stringify(bundleFile)});
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
handler(${JSON.stringify(event(token))}).then((answer) => {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write = write;
  if (!answer || answer.principalId !== 'bench-agent') throw new Error('cold start did not allow');
  console.log(JSON.stringify({ loadMs, ms }));
});
`);
  try {
    // NODE_PATH lets the bundle's external @aws-sdk/* resolve from the project, as the Lambda runtime provides them.
    const out = await new Promise<string>((resolve, reject) => execFile(process.execPath, [script], {
      env: {
        ...process.env, NODE_PATH: join(ROOT, 'node_modules'), NODE_NO_WARNINGS: '1', AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_ENDPOINT_URL_DYNAMODB: store.url,
      },
      encoding: 'utf8',
    }, (error, stdout) => (error ? reject(error) : resolve(stdout))));
    return { ...(JSON.parse(out.trim().split('\n').pop()!) as { loadMs: number; ms: number }), calls: store.calls() };
  } finally {
    await store.close();
  }
}

/**
 * A store shared by several instances: STORE_LATENCY_MS a call, and a token bucket of `perSecond` calls
 * (burst of the same size); calls above it are throttled (rejected), as AWS does.
 */
class ThrottledStore implements TokenLookup {
  calls = 0;
  throttled = 0;
  private tokensLeft: number;
  private refilledAt = Date.now();
  constructor(private readonly records: ReadonlyMap<string, TokenRecord>, private readonly perSecond: number) {
    this.tokensLeft = perSecond;
  }

  async lookup(digest: string): Promise<StoredToken | undefined> {
    this.calls++;
    const now = Date.now();
    this.tokensLeft = Math.min(this.perSecond, this.tokensLeft + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
    await new Promise((resolve) => setTimeout(resolve, STORE_LATENCY_MS));
    if (this.tokensLeft < 1) {
      this.throttled++;
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    }
    this.tokensLeft -= 1;
    const record = this.records.get(digest);
    return record ? { record } : undefined;
  }
}

/**
 * K instances (each its own authorizer, handling one request at a time, as Lambda does) share one
 * throttled store; `agents` distinct tokens, each agent calling every 2 s on average, spread over the
 * instances at random, for `seconds`. Returns decisions per second, the share allowed, and store calls.
 */
async function fleet(instances: number, agents: number, seconds: number, perSecond: number) {
  const issued = Array.from({ length: agents }, issue);
  const store = new ThrottledStore(new Map(issued.map((i) => [i.record.digest, i.record])), perSecond);
  const settings = validateAuthorizerSettings(SETTINGS);
  const fleetOf = Array.from({ length: instances }, () => createAuthorizer({ settings, tokenLookup: store, auditLog: new MemoryAuditLog() }));
  const requests = issued.map((i) => event(i.token));
  let decisions = 0;
  let allowed = 0;
  let lateDecisions = 0;
  let lateAllowed = 0;
  const started = Date.now();
  const end = started + seconds * 1000;
  const lateFrom = end - 10_000;
  const perInstanceRate = agents / 2 / instances;
  await Promise.all(fleetOf.map(async (authorizer) => {
    while (Date.now() < end) {
      const d = await authorizer.decide(requests[Math.floor(Math.random() * requests.length)]!);
      decisions++;
      const ok = d.kind === 'policy' && d.allowed;
      if (ok) allowed++;
      if (Date.now() >= lateFrom) {
        lateDecisions++;
        if (ok) lateAllowed++;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / perInstanceRate - 0.05)));
    }
  }));
  return { decisionsPerSecond: decisions / seconds, allowedShare: allowed / decisions, lateAllowedShare: lateAllowed / lateDecisions, calls: store.calls, throttled: store.throttled, refused: decisions - allowed };
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

/** The warm measurements run in a child whose stdout is a pipe the parent drains (as Lambda's is); results on stderr. */
function warmInChild(): Record<string, Measured> {
  const child = spawnSync(process.execPath, ['-r', 'esbuild-register', __filename, '--warm'], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.status !== 0) throw new Error(`warm bench failed: ${child.stderr}`);
  const lines = child.stdout.split('\n').filter((l) => l.startsWith('{"level":"INFO"'));
  if (lines.length < RUNS) throw new Error(`only ${lines.length} audit lines reached the pipe`);
  return JSON.parse(child.stderr.trim().split('\n').pop()!) as Record<string, Measured>;
}

async function main(): Promise<void> {
  if (process.argv.includes('--warm')) {
    const results = await warm();
    process.stderr.write(`${JSON.stringify(results)}\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'authorizer-bench-'));
  const { file, bytes } = await bundle(dir);
  const colds = [];
  for (const n of [10, 1_000, 100_000]) {
    const runs = [];
    for (let i = 0; i < COLD_STARTS; i++) runs.push(await coldStart(dir, file, n));
    runs.sort((a, b) => a.ms - b.ms);
    const loads = runs.map((r) => r.loadMs).sort((a, b) => a - b);
    colds.push({ n, median: runs[Math.floor(runs.length / 2)]!.ms, max: runs[runs.length - 1]!.ms, load: loads[Math.floor(loads.length / 2)]!, calls: Math.max(...runs.map((r) => r.calls)) });
  }
  const results = warmInChild();

  console.log(`authorizer bench (node ${process.version}, ${RUNS} decisions per type after ${WARMUP} warm-up)`);
  console.log('warm decisions as deployed: realistic REST REQUEST event, X-Ray trace id set, every audit line written to stdout, a pipe');
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
  console.log('');
  console.log(`cold start, module load to first decision; fake DynamoDB over HTTP on 127.0.0.1, ${STORE_LATENCY_MS} ms a call, ${COLD_STARTS} processes each:`);
  console.log('tokens in table   module load ms (median)   first decision ms (median, max)   store calls (max)   verdict');
  for (const c of colds) {
    console.log(`${String(c.n).padStart(15)}   ${c.load.toFixed(1).padStart(23)}   ${c.median.toFixed(1).padStart(17)}, ${c.max.toFixed(1).padStart(7)}        ${String(c.calls).padStart(12)}   ${c.n === 100_000 ? `${verdict(c.median <= BUDGETS.coldMs)} (budget ${BUDGETS.coldMs} ms)` : ''}`);
  }
  console.log('');
  console.log(`fleet: K instances share one store (${STORE_LATENCY_MS} ms a call, throttled); 1,000 agents each calling every 2 s; ${FLEET_SECONDS} s from cold`);
  console.log('store calls/s   instances   decisions/s   allowed (all)   allowed (last 10 s)   refused   store calls   throttled');
  for (const [perSecond, k] of FLEET_THROTTLES.flatMap((t) => [[t, 4], [t, 25]])) {
    const f = await fleet(k!, 1_000, FLEET_SECONDS, perSecond!);
    console.log(`${String(perSecond).padStart(13)}   ${String(k).padStart(9)}   ${f.decisionsPerSecond.toFixed(0).padStart(11)}   ${(f.allowedShare * 100).toFixed(1).padStart(12)}%   ${(f.lateAllowedShare * 100).toFixed(1).padStart(18)}%   ${String(f.refused).padStart(7)}   ${String(f.calls).padStart(11)}   ${String(f.throttled).padStart(9)}`);
  }
  console.log('');
  console.log(`bundle (esbuild, node22, cjs, minified, @aws-sdk/* external): ${(bytes / 1024).toFixed(1)} KB (budget ${BUDGETS.bundleKb}): ${verdict(bytes / 1024 <= BUDGETS.bundleKb)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
