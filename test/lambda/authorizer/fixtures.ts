/**
 * Shared fixtures of the authorizer suite: settings, issued tokens, events, and an independent IAM
 * evaluator. Every token and JWT made here is recorded in CREDENTIALS_MADE so the canary test can prove
 * none of them reaches log output.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { MemoryAuditLog, JsonLinesAuditLog, type AuditEvent, type AuditLog } from '../../../lambda/authorizer/audit';
import type { AuthorizerRequest } from '../../../lambda/authorizer/authorizer';
import { validateAuthorizerSettings, type AuthorizerSettings, type ParsedAuthorizerSettings } from '../../../lambda/authorizer/settings';
import { newToken, newTokenId, tokenDigest, type TokenRecord } from '../../../lambda/authorizer/token-record';

/** Every credential this suite made; the canary checks none is ever logged. */
export const CREDENTIALS_MADE: string[] = [];

/** Log output tests captured for themselves; the canary checks it too. */
export const OUTPUT_CAPTURED: string[] = [];

/** The fixed clock of the suite: 2026-12-01T00:00:00Z. */
export const NOW = Date.parse('2026-12-01T00:00:00Z');

export const API_PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/';

/** The kit's default settings for stage dev. */
export const DEFAULT_SETTINGS: AuthorizerSettings = {
  stage: 'dev',
  tokenPath: '/mcp-perimeter/dev/tokens',
  tokenPrefix: 'mcp_',
  minTokenLength: 32,
  credentialHeaders: ['authorization', 'x-access-token'],
  permissions: ['read', 'write', 'admin'],
  writePermissions: ['write'],
  readOnly: false,
  roles: { reader: ['read'], agent: ['read', 'write'], admin: ['read', 'write', 'admin'] },
  routes: [
    { path: '/mcp', methods: ['ANY'], permission: 'read' },
    { path: '/api', methods: ['GET', 'HEAD'], permission: 'read' },
    { path: '/api', methods: ['ANY'], permission: 'write' },
    { path: '/admin', methods: ['ANY'], permission: 'admin' },
  ],
  publicPaths: ['/health', '/.well-known/oauth-protected-resource'],
  refreshSeconds: 60,
  maxStaleSeconds: 900,
  usageIdentifier: false,
};

/** Validated settings: the defaults with `overrides`. */
export function settingsWith(overrides: Partial<AuthorizerSettings> = {}): ParsedAuthorizerSettings {
  return validateAuthorizerSettings({ ...DEFAULT_SETTINGS, ...overrides });
}

/** An issued token and its record, as the CLI would make them. */
export interface IssuedToken {
  readonly token: string;
  readonly record: TokenRecord;
}

/** Issues a token (recorded for the canary). */
export function issueToken(options: Partial<Omit<TokenRecord, 'v' | 'digest'>> & { prefix?: string } = {}): IssuedToken {
  const token = newToken(options.prefix ?? 'mcp_');
  CREDENTIALS_MADE.push(token);
  const record: TokenRecord = {
    v: 1,
    id: options.id ?? newTokenId(),
    digest: tokenDigest(token),
    agentId: options.agentId ?? 'claude-cli-1',
    agentType: options.agentType ?? 'claude',
    role: options.role ?? 'agent',
    scopes: options.scopes ?? [],
    createdAt: options.createdAt ?? '2026-11-22T10:00:00Z',
    expiresAt: options.expiresAt ?? '2027-02-20T10:00:00Z',
  };
  return { token, record };
}

/** A REST REQUEST authorizer event. */
export function requestEvent(options: {
  method?: string;
  path?: string;
  headers?: Record<string, string> | null;
  multiValueHeaders?: Record<string, string[]> | null;
  query?: Record<string, string> | null;
  userAgent?: string;
  methodArn?: string;
} = {}): AuthorizerRequest {
  const method = options.method ?? 'POST';
  const path = options.path ?? '/mcp';
  const headers = options.headers === undefined ? {} : options.headers;
  return {
    methodArn: options.methodArn ?? `${API_PREFIX}${method}${path}`,
    httpMethod: method,
    path,
    headers,
    multiValueHeaders: options.multiValueHeaders ?? (headers ? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])) : null),
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.query ? Object.fromEntries(Object.entries(options.query).map(([k, v]) => [k, [v]])) : null,
    requestContext: {
      requestId: 'req-0001',
      stage: 'prod',
      identity: { sourceIp: '203.0.113.7', userAgent: options.userAgent ?? 'claude-code/1.0' },
    },
  };
}

/** `Authorization: Bearer <token>`. */
export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/**
 * The audit log of a test: in memory, and in the canary run also through the real JSON-lines audit log
 * (whose output the canary captures).
 */
export function testAuditLog(): MemoryAuditLog {
  const memory = new MemoryAuditLog();
  if (!(globalThis as { __AUDIT_CANARY__?: boolean }).__AUDIT_CANARY__) return memory;
  const real: AuditLog = new JsonLinesAuditLog();
  const tee = memory as MemoryAuditLog & AuditLog;
  const decision = tee.decision.bind(tee);
  const problem = tee.problem.bind(tee);
  tee.decision = (e: AuditEvent) => {
    decision(e);
    real.decision(e);
  };
  tee.problem = (c, d) => {
    problem(c, d);
    real.problem(c, d);
  };
  return tee;
}

/** Key material for JWT tests. */
export interface JwtKeys {
  readonly es256: { privateKey: KeyObject; publicKey: KeyObject };
  readonly rs256: { privateKey: KeyObject; publicKey: KeyObject };
  readonly hmac: Uint8Array;
}

let keys: JwtKeys | undefined;

/** Key pairs made once per test file. */
export function jwtKeys(): JwtKeys {
  keys ??= {
    es256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    rs256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    hmac: new TextEncoder().encode('an-hs256-secret-of-at-least-32-bytes-long!'),
  };
  return keys;
}

/** Signs a JWT (recorded for the canary). Claims default to a valid agent token at NOW. */
export async function signJwt(
  key: KeyObject | Uint8Array,
  alg: string,
  claims: JWTPayload = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const iat = Math.floor(NOW / 1000);
  const payload = { sub: 'agent-7', agent_type: 'claude', role: 'agent', scope: '', iss: 'https://issuer.example.com', aud: 'mcp-perimeter', iat, exp: iat + 3600, ...claims };
  const jwt = await new SignJWT(payload).setProtectedHeader({ alg, ...header }).sign(key);
  CREDENTIALS_MADE.push(jwt);
  return jwt;
}

/** Records a hand-made credential for the canary. */
export function madeCredential<T extends string>(credential: T): T {
  CREDENTIALS_MADE.push(credential);
  return credential;
}

const COMPILED = new WeakMap<object, { allow: RegExp; deny: RegExp }>();

/**
 * An IAM evaluator written apart from the code under test: explicit Deny wins, then Allow, else deny;
 * `*` matches any run of characters (`/` included) and `?` one character.
 */
export function iamAllows(policy: { Statement: { Effect: string; Resource: string[] | string }[] }, arn: string): boolean {
  let compiled = COMPILED.get(policy);
  if (!compiled) {
    const union = (effect: string) => {
      const patterns = policy.Statement.filter((s) => s.Effect === effect).flatMap((s) => [s.Resource].flat());
      const alternatives = patterns.map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.'));
      return alternatives.length ? new RegExp(`^(?:${alternatives.join('|')})$`, 's') : /(?!)/;
    };
    compiled = { allow: union('Allow'), deny: union('Deny') };
    COMPILED.set(policy, compiled);
  }
  return !compiled.deny.test(arn) && compiled.allow.test(arn);
}
