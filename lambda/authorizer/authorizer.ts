/**
 * The authorizer's decision: credential -> identity -> permissions -> policy, audited, fail-closed.
 *
 * `createAuthorizer` wires the pure modules to a token source, a JWT key and an audit log; the Lambda
 * handler (index.ts), the local perimeter and the CLI's round-trip tests all drive this same code.
 * `decide` never rejects: anything unexpected becomes a 401 with reason `internal_error`.
 */
import type { JWTVerifyGetKey } from 'jose';
import { JsonLinesAuditLog, TextScrubber, type AuditDecision, type AuditEvent, type AuditLog } from './audit';
import { readCredential, type CredentialCarrier, type CredentialRules } from './credentials';
import { JwtVerifier } from './jwt';
import { TokenIndex } from './opaque-token';
import { insufficientScopeChallenge, scopeChallengeModel } from './insufficient-scope';
import { PermissionModel } from './permissions';
import { parseMethodArn, RoutePolicy, type MethodArn, type PolicyDocument } from './route-policy';
import type { ParsedAuthorizerSettings } from './settings';
import { Snapshot } from './snapshot';
import type { TokenSource } from './token-source';

/** The parts of an API Gateway REST REQUEST authorizer event the authorizer reads. */
export interface AuthorizerRequest extends CredentialCarrier {
  readonly methodArn: string;
  readonly httpMethod?: string;
  readonly path?: string;
  readonly requestContext?: {
    readonly requestId?: string;
    readonly stage?: string;
    readonly identity?: { readonly sourceIp?: string | null; readonly userAgent?: string | null } | null;
  } | null;
}

/** The context map passed to the backend (flat strings only). */
export interface AuthorizerContext {
  readonly [key: string]: string;
  agentId: string;
  agentType: string;
  role: string;
  /** Space-separated. */
  scopes: string;
  tokenId: string;
  /** Space-separated effective permissions. */
  permissions: string;
  credentialType: 'opaque' | 'jwt';
  /** The `WWW-Authenticate` challenge of a 403 (RFC 6750 insufficient_scope), mapped into the ACCESS_DENIED response. */
  wwwAuthenticate: string;
}

/** An authorizer answer as API Gateway expects it. */
export interface AuthorizerAnswer {
  readonly principalId: string;
  readonly policyDocument: PolicyDocument;
  readonly context: AuthorizerContext;
  readonly usageIdentifierKey?: string;
}

/** What the authorizer decided: a 401, or a policy (which allows or denies the request at hand). */
export type Decision =
  | { readonly kind: 'unauthorized'; readonly reason: string }
  | { readonly kind: 'policy'; readonly allowed: boolean; readonly reason: string; readonly answer: AuthorizerAnswer };

/** What the authorizer needs. */
export interface AuthorizerDependencies {
  /** The validated settings. */
  readonly settings: ParsedAuthorizerSettings;
  /** Where token records come from. */
  readonly tokenSource: TokenSource;
  /** The JWT verification key, required when `settings.jwt` is set. @default - JWTs are refused (401) */
  readonly jwtKey?: JWTVerifyGetKey;
  /** Where audit events go. @default - a JsonLinesAuditLog */
  readonly auditLog?: AuditLog;
  /** The clock, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** How long a request waits for a token load before it is refused or served the last snapshot. @default 3000 */
  readonly loadTimeoutMs?: number;
}

/** A ready authorizer. */
export interface Authorizer {
  /** Decides one request. Never rejects. */
  decide(request: AuthorizerRequest): Promise<Decision>;
  /**
   * Decides one request with API Gateway's contract: resolves with the answer (Allow or Deny, i.e. 200 or
   * 403) or rejects with `Error('Unauthorized')`, the documented 401 signal, and nothing else.
   */
  handle(request: AuthorizerRequest): Promise<AuthorizerAnswer>;
  /** Loads token records now (cold start warm-up, tests); resolves when the load settles. Never rejects. */
  refreshTokens(): Promise<void>;
}

/** The message API Gateway turns into a 401. */
export const UNAUTHORIZED = 'Unauthorized';

const DAY_MS = 86_400_000;

/**
 * Whether a token record's lifetime is within `maxMs` (`auth.tokenMaxLifetimeDays`): both
 * expiresAt - createdAt and expiresAt - now, so neither a far expiry nor a forged createdAt passes.
 * Unparseable dates fail.
 */
export function withinLifetime(createdAt: string, expiresAt: string, nowMs: number, maxMs: number): boolean {
  const created = Date.parse(createdAt);
  const expires = Date.parse(expiresAt);
  if (!Number.isFinite(created) || !Number.isFinite(expires)) return false;
  return expires - created <= maxMs && expires - nowMs <= maxMs;
}

const OPAQUE_NOT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Builds an authorizer from its dependencies. */
export function createAuthorizer(deps: AuthorizerDependencies): Authorizer {
  const { settings } = deps;
  const now = deps.now ?? Date.now;
  const audit = deps.auditLog ?? new JsonLinesAuditLog();
  const permissions = new PermissionModel(settings);
  const routes = new RoutePolicy(settings.routes, { readOnly: settings.readOnly, mcpPaths: settings.mcpPaths });
  const maxLifetimeMs = settings.tokenMaxLifetimeDays * DAY_MS;
  const challenges = scopeChallengeModel(settings);
  const scrubber = new TextScrubber(settings.tokenPrefix);
  const rules: CredentialRules = {
    headers: settings.credentialHeaders,
    maxBytes: settings.maxCredentialBytes,
    minLength: settings.minTokenLength,
    tokenPrefix: settings.tokenPrefix,
  };
  const jwt = settings.jwt && deps.jwtKey ? new JwtVerifier(settings.jwt, deps.jwtKey, { ttlMs: settings.refreshSeconds * 1000 }) : undefined;
  const tokens = new Snapshot<TokenIndex>({
    load: async () => {
      const index = TokenIndex.of(await deps.tokenSource.load());
      if (index.conflicts.length > 0) safely(() => audit.problem('tokens.digest_conflict', { tokenIds: index.conflicts.join(' ') }));
      return index;
    },
    refreshMs: settings.refreshSeconds * 1000,
    maxStaleMs: settings.maxStaleSeconds * 1000,
    timeoutMs: deps.loadTimeoutMs,
    now,
    onError: (error) => safely(() => audit.problem('tokens.load_failed', describeError(error))),
  });

  async function decide(request: AuthorizerRequest): Promise<Decision> {
    const t = now();
    const trail = new Trail(request, t, settings.stage, scrubber);
    try {
      const arn = parseMethodArn(typeof request?.methodArn === 'string' ? request.methodArn : '');
      if (!arn) return trail.unauthorized('method_arn_invalid');
      trail.route = { method: arn.method, path: scrubber.scrub(arn.path, 512) ?? '/' };

      const reading = readCredential(request, rules);
      if (!reading.ok) return trail.unauthorized(reading.reason, { credentialSource: reading.source });
      trail.credential = reading.credential;
      trail.fields.credentialSource = reading.header;

      let identity: { agentId: string; agentType: string; role: string; scopes: readonly string[]; tokenId: string };
      if (reading.credential.startsWith(settings.tokenPrefix)) {
        trail.fields.credentialType = 'opaque';
        const index = await tokens.get();
        if (!index) return trail.unauthorized('tokens_unavailable');
        const verified = index.verify(reading.credential, t);
        if (!verified.ok) return trail.unauthorized(verified.reason, { tokenId: verified.tokenId });
        const r = verified.record;
        if (!withinLifetime(r.createdAt, r.expiresAt, t, maxLifetimeMs)) return trail.unauthorized('token_lifetime_exceeded', { tokenId: r.id });
        identity = { agentId: r.agentId, agentType: r.agentType, role: r.role, scopes: r.scopes, tokenId: r.id };
      } else if (settings.jwt && OPAQUE_NOT_JWT.test(reading.credential)) {
        trail.fields.credentialType = 'jwt';
        if (!jwt) return trail.unauthorized('jwt_keys_unavailable');
        const verified = await jwt.verify(reading.credential, t);
        if (!verified.ok) return trail.unauthorized(verified.reason);
        identity = verified.identity;
      } else {
        return trail.unauthorized('credential_unrecognized');
      }
      Object.assign(trail.fields, { agentId: identity.agentId, agentType: identity.agentType, tokenId: identity.tokenId, role: identity.role });

      const context: AuthorizerContext = {
        agentId: identity.agentId,
        agentType: identity.agentType,
        role: identity.role,
        scopes: identity.scopes.join(' '),
        tokenId: identity.tokenId,
        permissions: '',
        credentialType: trail.fields.credentialType as 'opaque' | 'jwt',
        wwwAuthenticate: insufficientScopeChallenge({ ...challenges(identity.role), scopes: identity.scopes }),
      };
      const usage = settings.usageIdentifier ? { usageIdentifierKey: identity.tokenId } : {};
      const resolution = permissions.resolve(identity.role, identity.scopes);
      if (!resolution.ok) {
        return trail.policy(false, resolution.reason, { principalId: identity.agentId, policyDocument: denyOnly(arn), context, ...usage });
      }
      const grant = resolution.grant;
      context.permissions = grant.key;
      context.wwwAuthenticate = insufficientScopeChallenge({ ...challenges(identity.role), granted: grant.set, scopes: identity.scopes });
      trail.fields.permissions = grant.key;
      const check = routes.check(arn.method, arn.path);
      const allowed = check.permission !== undefined && grant.set.has(check.permission);
      const answer: AuthorizerAnswer = { principalId: identity.agentId, policyDocument: routes.policyFor(arn, grant.set, grant.key), context, ...usage };
      return trail.policy(allowed, allowed ? 'permitted' : check.refusal ?? 'not_permitted', answer);
    } catch (error) {
      // The name only: a message could echo request data.
      safely(() => audit.problem('authorizer.internal_error', { error: error instanceof Error ? error.name : typeof error }));
      return trail.unauthorized('internal_error');
    } finally {
      if (trail.event) {
        const event = trail.event;
        safely(() => audit.decision(event));
      }
    }
  }

  return {
    decide,
    async handle(request) {
      const decision = await decide(request);
      if (decision.kind === 'unauthorized') throw new Error(UNAUTHORIZED);
      return decision.answer;
    },
    refreshTokens: () => tokens.refresh(),
  };
}

function denyOnly(arn: MethodArn): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: [arn.arn] }] };
}

type MutableFields = { -readonly [K in keyof AuditEvent]?: AuditEvent[K] };

/** Collects the audit event of one decision as it is made. */
class Trail {
  route: { method: string; path: string };
  credential: string | undefined;
  readonly fields: MutableFields = {};
  event: AuditEvent | undefined;

  constructor(private readonly request: AuthorizerRequest, private readonly at: number, private readonly stage: string, private readonly scrubber: TextScrubber) {
    this.route = {
      method: scrubber.scrub(typeof request?.httpMethod === 'string' ? request.httpMethod : undefined, 16) ?? '',
      path: scrubber.scrub(typeof request?.path === 'string' ? request.path : undefined, 512) ?? '',
    };
  }

  unauthorized(reason: string, extra: MutableFields = {}): Decision {
    this.finish('unauthorized', reason, extra);
    return { kind: 'unauthorized', reason };
  }

  policy(allowed: boolean, reason: string, answer: AuthorizerAnswer): Decision {
    this.finish(allowed ? 'allow' : 'deny', reason, {});
    return { kind: 'policy', allowed, reason, answer };
  }

  private finish(decision: AuditDecision, reason: string, extra: MutableFields): void {
    const context = this.request?.requestContext;
    const identity = context?.identity;
    this.event = {
      timestamp: new Date(this.at).toISOString(),
      event: decision === 'allow' ? 'auth.allow' : 'auth.deny',
      decision,
      reason,
      ...this.fields,
      ...definedOnly(extra),
      route: this.route,
      sourceIp: this.scrubber.scrub(stringOrUndefined(identity?.sourceIp), 64, this.credential),
      userAgent: this.scrubber.scrub(stringOrUndefined(identity?.userAgent), 256, this.credential),
      requestId: this.scrubber.scrub(stringOrUndefined(context?.requestId), 128, this.credential),
      stage: this.stage,
    };
  }
}

function definedOnly(fields: MutableFields): MutableFields {
  const out: MutableFields = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function stringOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** An error as a log line's fields: its name and message (SDK errors carry no secret material). */
function describeError(error: unknown): Record<string, string> {
  if (error instanceof Error) return { error: error.name, detail: error.message.slice(0, 512) };
  return { error: typeof error, detail: '' };
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Logging must never change a decision nor let an error escape.
  }
}
