/**
 * The `WWW-Authenticate` challenge of a 403 (RFC 6750 section 3.1 `insufficient_scope`; MCP authorization,
 * "Scope challenge handling"), so that a client can ask its authorization server for more scopes.
 *
 * API Gateway caches an authorizer's answer per credential and reuses its context for every route, so the
 * challenge cannot name the scope of the one request at hand: it names the caller's scopes plus every
 * scope of the vocabulary that would add a permission some route needs and the caller's role allows but
 * its scopes withhold. Without a scope vocabulary, or when no scope would help, it has no `scope`.
 */

/** What the challenge is computed from. */
export interface ScopeChallengeInput {
  /** The scope vocabulary, scope -> permissions (`rbac.scopes`). @default - none */
  readonly vocabulary?: Readonly<Record<string, readonly string[]>>;
  /** Every permission some route needs. */
  readonly routePermissions: ReadonlySet<string>;
  /** The caller role's permissions (before scopes narrow them). */
  readonly rolePermissions: ReadonlySet<string>;
  /** The caller's effective permissions. @default - none */
  readonly granted?: ReadonlySet<string>;
  /** The caller's scopes. */
  readonly scopes: readonly string[];
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** The challenge, like `Bearer error="insufficient_scope", scope="docs:read docs:write"`. */
export function insufficientScopeChallenge(input: ScopeChallengeInput): string {
  const base = 'Bearer error="insufficient_scope"';
  if (!input.vocabulary) return base;
  const granted = input.granted ?? new Set<string>();
  const missing = [...input.routePermissions].filter((p) => input.rolePermissions.has(p) && !granted.has(p));
  const helpful = Object.entries(input.vocabulary).filter(([, ps]) => ps.some((p) => missing.includes(p))).map(([scope]) => scope);
  if (helpful.length === 0) return base;
  // RFC 6750 scope-tokens: printable ASCII without space, '"' and '\'; the vocabulary's pattern keeps to that.
  const scope = [...new Set([...input.scopes, ...helpful])].filter((s) => SCOPE_TOKEN.test(s));
  return `${base}, scope="${scope.join(' ')}"`;
}

/** The settings the challenge needs. */
export interface ScopeChallengeSettings {
  readonly scopes?: Readonly<Record<string, readonly string[]>>;
  readonly roles: Readonly<Record<string, readonly string[]>>;
  readonly routes: ReadonlyArray<{ readonly permission: string }>;
  readonly readOnly: boolean;
  readonly writePermissions: readonly string[];
}

/** Compiles the settings once: a role's part of the challenge input (Maps, so `constructor` is just an unknown role). */
export function scopeChallengeModel(settings: ScopeChallengeSettings): (role: string) => Pick<ScopeChallengeInput, 'vocabulary' | 'routePermissions' | 'rolePermissions'> {
  const removed = new Set(settings.readOnly ? settings.writePermissions : []);
  const roles = new Map(Object.entries(settings.roles).map(([role, ps]) => [role, new Set(ps.filter((p) => !removed.has(p)))]));
  const routePermissions = new Set(settings.routes.map((r) => r.permission));
  const none = new Set<string>();
  return (role) => ({ vocabulary: settings.scopes, routePermissions, rolePermissions: roles.get(role) ?? none });
}
