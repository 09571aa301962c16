/**
 * The settings contract between the CDK stack and the authorizer: JSON with names and paths only (never
 * a secret, SEC-1). The stack bundles it into the function's code (esbuild `define`, so a route table of
 * any size deploys: Lambda's environment holds 4 KB in all), and values known only at deploy time (a
 * key ARN from another stack) travel as environment references `{"$env": "<VARIABLE>"}` resolved here.
 * `AUTHORIZER_SETTINGS` in the environment is read when nothing was bundled (tests, the local
 * perimeter). It is parsed once at module load; nothing on the request path touches zod.
 */
import * as z from 'zod';

/** The environment variable the CDK stack sets. */
export const AUTHORIZER_SETTINGS_ENV = 'AUTHORIZER_SETTINGS';

/** Credential headers the authorizer can read (AUTH-2), lowercase as HTTP/2 sends them. */
export const CREDENTIAL_HEADER_NAMES = ['authorization', 'x-access-token', 'x-api-key'] as const;

/** A credential header name. */
export type CredentialHeaderName = (typeof CREDENTIAL_HEADER_NAMES)[number];

/** The HTTP methods API Gateway REST APIs route; a methodArn always names one of them. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** An HTTP method as it appears in a methodArn. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * The state-changing methods (RFC 9110 section 9.2.1: not safe). Read-only mode refuses them on every
 * route, whatever permission guards it, except on the MCP endpoint itself (see `mcpPaths`).
 */
export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const SCOPE = /^[A-Za-z0-9._:*-]{1,64}$/;
/** Route paths hold no IAM wildcard characters, so they can be put in a policy resource verbatim. */
const ROUTE_PATH = /^\/[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/;
const SSM_PATH = /^(\/[A-Za-z0-9_.-]+)+$/;

const name = z.string().regex(NAME, 'must be a lowercase name: a letter, then letters, digits, _ or - (at most 64)');

const RouteSchema = z
  .object({
    path: z.string().regex(ROUTE_PATH, 'must be a lowercase path like /mcp or /api/v1'),
    methods: z.array(z.enum(['ANY', ...HTTP_METHODS])).min(1, 'must list at least one method (or ANY)'),
    permission: name,
  })
  .strict();

const JwtSettingsSchema = z
  .object({
    mode: z.enum(['jwks', 'kms', 'hs256']),
    /** Accepted algorithms, pinned. `none` is not in the vocabulary. */
    algorithms: z.array(z.enum(['ES256', 'RS256', 'HS256'])).min(1),
    issuer: z.string().min(1, 'must name the token issuer (the iss claim)'),
    audience: z.string().min(1, 'must name the audience (the aud claim)'),
    /** Mode jwks: the IdP's key set. */
    jwksUrl: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
    /** Mode kms: id or ARN of the kit's ECC_NIST_P256 SIGN_VERIFY key. */
    kmsKeyId: z.string().min(1).optional(),
    /** Mode hs256: the SSM SecureString parameter holding the secret. */
    hmacSecretParameter: z.string().regex(SSM_PATH, 'must be an SSM parameter name like /mcp-perimeter/dev/jwt-secret').optional(),
    /** Longest accepted lifetime (exp - iat). @default 86400 */
    maxLifetimeSeconds: z.number().int().min(60).max(86400, 'must be at most 86400 (24 h, AUTH-5)').default(86400),
    /** Accepted clock skew. @default 60 */
    clockSkewSeconds: z.number().int().min(0).max(60, 'must be at most 60 seconds').default(60),
    /** Claims that carry the identity. */
    claims: z
      .object({
        agentId: z.string().min(1).default('sub'),
        agentType: z.string().min(1).default('agent_type'),
        role: z.string().min(1).default('role'),
        scopes: z.string().min(1).default('scope'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** The authorizer's settings as the CDK stack writes them into `AUTHORIZER_SETTINGS`. */
export const AuthorizerSettingsSchema = z
  .object({
    stage: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, 'must be 1-20 lowercase letters, digits or -, starting with a letter'),
    /** Token records live at `<tokenPath>/<tokenId>`. */
    tokenPath: z.string().regex(SSM_PATH, 'must be an SSM path like /mcp-perimeter/dev/tokens'),
    tokenPrefix: z.string().regex(/^[a-z]{2,8}_$/, 'must be 2-8 lowercase letters and _ like mcp_'),
    minTokenLength: z.number().int().min(32, 'must be at least 32 (AUTH-4)'),
    /** Longest credential header value read; longer is refused before any work. @default 4096 */
    maxCredentialBytes: z.number().int().min(64).max(8192).default(4096),
    credentialHeaders: z.array(z.enum(CREDENTIAL_HEADER_NAMES)).min(1, 'must accept at least one credential header'),
    permissions: z.array(name).min(1),
    writePermissions: z.array(name),
    readOnly: z.boolean(),
    /**
     * The MCP endpoint paths (Streamable HTTP: every JSON-RPC message, reads included, is a POST). In
     * read-only mode these exact paths keep their methods; the MCP server's tool policy turns non-read
     * tools off. Every other path loses POST, PUT, PATCH and DELETE. @default []
     */
    mcpPaths: z.array(z.string().regex(ROUTE_PATH, 'must be a route path like /mcp')).default([]),
    /**
     * Permissions a token with NO scopes gets when a scope vocabulary is configured (intersected with
     * its role's). Deny by default (RBAC-4): nothing unless the config says so. @default []
     */
    unscopedPermissions: z.array(name).default([]),
    /**
     * Longest lifetime of an opaque token, in days (`auth.tokenMaxLifetimeDays`): a record whose
     * expiresAt - createdAt, or expiresAt - now, is longer is refused, whatever wrote it. @default 90
     */
    tokenMaxLifetimeDays: z.number().int().min(1).max(365).default(90),
    roles: z.record(name, z.array(name)),
    scopes: z.record(z.string().regex(SCOPE, 'must be 1-64 characters of A-Z a-z 0-9 . _ : * -'), z.array(name)).optional(),
    routes: z.array(RouteSchema).min(1),
    publicPaths: z.array(z.string().regex(/^\/[A-Za-z0-9._\/-]*$/, 'must be an absolute path like /health')),
    refreshSeconds: z.number().int().min(1).max(3600),
    maxStaleSeconds: z.number().int().min(1).max(86400),
    usageIdentifier: z.boolean(),
    jwt: JwtSettingsSchema.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const perms = new Set(s.permissions);
    const known = (p: string, path: (string | number)[]) => {
      if (!perms.has(p)) ctx.addIssue({ code: 'custom', path, message: `unknown permission '${p}': must be one of ${s.permissions.join(', ')}` });
    };
    for (const [role, ps] of Object.entries(s.roles)) ps.forEach((p, i) => known(p, ['roles', role, i]));
    for (const [scope, ps] of Object.entries(s.scopes ?? {})) ps.forEach((p, i) => known(p, ['scopes', scope, i]));
    s.writePermissions.forEach((p, i) => known(p, ['writePermissions', i]));
    s.unscopedPermissions.forEach((p, i) => known(p, ['unscopedPermissions', i]));
    const routePaths = new Set(s.routes.map((r) => r.path));
    s.mcpPaths.forEach((p, i) => {
      if (!routePaths.has(p)) ctx.addIssue({ code: 'custom', path: ['mcpPaths', i], message: `'${p}' is not a route path (${[...routePaths].join(', ')})` });
    });
    for (const conflict of findRouteConflicts(s.routes)) ctx.addIssue({ code: 'custom', path: ['routes'], message: conflict });
    s.routes.forEach((r, i) => {
      known(r.permission, ['routes', i, 'permission']);
      // A public path inside a route (`/mcp/health` under `/mcp`) is fine: the gateway routes that exact
      // path without the authorizer and everything else under the route through it. A route that is, or
      // lies inside, a public path could never be authorized.
      const shadowed = s.publicPaths.find((p) => p === r.path || r.path.startsWith(`${p}/`));
      if (shadowed) ctx.addIssue({ code: 'custom', path: ['routes', i, 'path'], message: `'${r.path}' is, or lies inside, the public path '${shadowed}': public paths never reach the authorizer` });
    });
    if (s.maxStaleSeconds < s.refreshSeconds) {
      ctx.addIssue({ code: 'custom', path: ['maxStaleSeconds'], message: `must be at least refreshSeconds (${s.refreshSeconds}), got ${s.maxStaleSeconds}` });
    }
    const sandwich = findInexpressibleRoutes(s.routes);
    if (sandwich) ctx.addIssue({ code: 'custom', path: ['routes'], message: sandwich });
    const jwt = s.jwt;
    if (jwt) {
      const allowed = { jwks: ['ES256', 'RS256'], kms: ['ES256'], hs256: ['HS256'] }[jwt.mode];
      jwt.algorithms.forEach((a, i) => {
        if (!allowed.includes(a)) ctx.addIssue({ code: 'custom', path: ['jwt', 'algorithms', i], message: `'${a}' is not allowed with mode ${jwt.mode}: use ${allowed.join(' or ')} (no algorithm confusion, AUTH-5)` });
      });
      const needs = { jwks: 'jwksUrl', kms: 'kmsKeyId', hs256: 'hmacSecretParameter' } as const;
      if (!jwt[needs[jwt.mode]]) ctx.addIssue({ code: 'custom', path: ['jwt', needs[jwt.mode]], message: `is required when jwt.mode is ${jwt.mode}` });
    }
  });

/** What the CDK stack builds (defaults optional). */
export type AuthorizerSettings = z.input<typeof AuthorizerSettingsSchema>;
/** The validated settings the authorizer runs with. */
export type ParsedAuthorizerSettings = z.output<typeof AuthorizerSettingsSchema>;
/** The validated JWT settings. */
export type JwtSettings = NonNullable<ParsedAuthorizerSettings['jwt']>;
/** One route of the route table. */
export type RouteSettings = ParsedAuthorizerSettings['routes'][number];

/** Raised when `AUTHORIZER_SETTINGS` is missing or invalid; the message names the field and what is allowed. */
export class AuthorizerSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorizerSettingsError';
  }
}

/**
 * Reads and validates the settings from the environment.
 * @throws AuthorizerSettingsError naming the variable, the field, the value received and what is allowed.
 */
export function parseAuthorizerSettings(env: NodeJS.ProcessEnv, bundled?: string): ParsedAuthorizerSettings {
  const source = bundled !== undefined ? 'the bundled settings' : AUTHORIZER_SETTINGS_ENV;
  const raw = bundled ?? env[AUTHORIZER_SETTINGS_ENV];
  if (raw === undefined || raw.trim() === '') {
    throw new AuthorizerSettingsError(`${AUTHORIZER_SETTINGS_ENV} is not set: the CDK stack must set it to the authorizer's settings as JSON`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new AuthorizerSettingsError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  return validateAuthorizerSettings(resolveEnvironmentReferences(json, env));
}

/** The key of an environment reference in delivered settings: `{"$env": "AUTHORIZER_SETTING_0"}`. */
export const ENVIRONMENT_REFERENCE_KEY = '$env';

/**
 * Replaces every environment reference (`{"$env": NAME}`, an object with that one key) in `json` by the
 * variable's value; everything else is returned as is.
 * @throws AuthorizerSettingsError naming a referenced variable that is not set
 */
export function resolveEnvironmentReferences(json: unknown, env: NodeJS.ProcessEnv): unknown {
  if (Array.isArray(json)) return json.map((item) => resolveEnvironmentReferences(item, env));
  if (json === null || typeof json !== 'object') return json;
  const entries = Object.entries(json);
  if (entries.length === 1 && entries[0][0] === ENVIRONMENT_REFERENCE_KEY && typeof entries[0][1] === 'string') {
    const value = env[entries[0][1]];
    if (value === undefined) throw new AuthorizerSettingsError(`the settings refer to the environment variable ${entries[0][1]}, which is not set`);
    return value;
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, resolveEnvironmentReferences(value, env)]));
}

/**
 * Validates settings already in object form (the CDK stack calls it at synth so a bad table fails early).
 * @throws AuthorizerSettingsError naming every bad field.
 */
export function validateAuthorizerSettings(settings: unknown): ParsedAuthorizerSettings {
  const result = AuthorizerSettingsSchema.safeParse(settings, { reportInput: true });
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const at = issue.path.length ? issue.path.join('.') : '(root)';
    const received = 'input' in issue && issue.input !== undefined ? ` (got ${JSON.stringify(issue.input)})` : '';
    return `${at}: ${issue.message}${received}`;
  });
  throw new AuthorizerSettingsError(`${AUTHORIZER_SETTINGS_ENV} is invalid: ${lines.join('; ')}`);
}

/**
 * The permission a route table requires for `method` on the region of `regionPath` (the paths whose
 * deepest route path is `regionPath`). The MOST SPECIFIC route wins, whatever the table's order: of
 * the routes whose path is `regionPath` or one of its ancestors and whose methods include `method`
 * (or `ANY`), the one with the deepest path; at that path, a route naming the method beats `ANY`.
 * `undefined` when no route applies (deny). Two routes equally specific with different permissions
 * are refused by validation ({@link findRouteConflicts}), so the answer never depends on order.
 */
export function regionPermission(routes: readonly RouteSettings[], regionPath: string, method: HttpMethod): string | undefined {
  let best: { depth: number; explicit: boolean; permission: string } | undefined;
  for (const route of routes) {
    if (!(regionPath === route.path || regionPath.startsWith(`${route.path}/`))) continue;
    const explicit = (route.methods as readonly string[]).includes(method);
    if (!explicit && !route.methods.includes('ANY')) continue;
    const depth = route.path.length;
    if (!best || depth > best.depth || (depth === best.depth && explicit && !best.explicit)) best = { depth, explicit, permission: route.permission };
  }
  return best?.permission;
}

/**
 * Routes equally specific for some method (the same path, both naming the method or both `ANY`) with
 * different permissions: which one applies would depend on order. One message per conflict, naming
 * both routes by index.
 */
export function findRouteConflicts(routes: readonly RouteSettings[]): string[] {
  const problems: string[] = [];
  for (let i = 0; i < routes.length; i++) {
    for (let j = i + 1; j < routes.length; j++) {
      const [a, b] = [routes[i], routes[j]];
      if (a.path !== b.path || a.permission === b.permission) continue;
      const anyBoth = a.methods.includes('ANY') && b.methods.includes('ANY');
      const shared = (a.methods as readonly string[]).filter((m) => m !== 'ANY' && (b.methods as readonly string[]).includes(m));
      if (anyBoth || shared.length > 0) {
        problems.push(`routes ${i} and ${j} both give ${anyBoth ? 'ANY' : shared.join(', ')} on ${a.path} but need '${a.permission}' and '${b.permission}': give each method on a path one permission`);
      }
    }
  }
  return problems;
}

/**
 * An IAM policy can express "allow /a/*, except /a/b/*" with an explicit Deny, but not "…except /a/b/*,
 * except /a/b/c/*" (Deny always wins). Returns a message when some principal would need that (route
 * paths a ⊂ b ⊂ c where b's permission differs from a's and c's for one method), else undefined.
 */
export function findInexpressibleRoutes(routes: readonly RouteSettings[]): string | undefined {
  const paths = [...new Set(routes.map((r) => r.path))];
  const below = (outer: string, inner: string) => inner.startsWith(`${outer}/`);
  for (const a of paths) {
    for (const b of paths.filter((p) => below(a, p))) {
      for (const c of paths.filter((p) => below(b, p))) {
        for (const m of HTTP_METHODS) {
          const [pa, pb, pc] = [regionPermission(routes, a, m), regionPermission(routes, b, m), regionPermission(routes, c, m)];
          if (pa !== undefined && pc !== undefined && pb !== pa && pb !== pc) {
            return `route paths ${a} ⊃ ${b} ⊃ ${c} need ${pa}, ${pb ?? 'nothing'}, ${pc} for ${m}: a cached IAM policy cannot allow ${a} and ${c} but not ${b}; give ${b} the permission of ${a} or ${c}, or flatten the routes`;
          }
        }
      }
    }
  }
  return undefined;
}
