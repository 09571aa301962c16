/**
 * The caller's identity, as the perimeter forwards it. The perimeter (API Gateway with the Lambda
 * authorizer, or the local gateway) drops every `X-Mcp-*` header a client sent and sets these from
 * the authorizer's decision, so the server trusts them. The server must only ever be reachable
 * through the perimeter (NET-1): the load balancer is internal and admits only the gateway.
 */

/** The identity headers the perimeter sets (lowercase, as Node.js presents them). */
export const IDENTITY_HEADERS = {
  agentId: 'x-mcp-agent-id',
  agentType: 'x-mcp-agent-type',
  role: 'x-mcp-role',
  scopes: 'x-mcp-scopes',
  permissions: 'x-mcp-permissions',
} as const;

/** Who is calling, with what rights. */
export interface Caller {
  /** The agent id (AUTH-7); empty when the request carried none, which grants nothing. */
  readonly agentId: string;
  /** The agent type, e.g. `assistant` or `ci`. */
  readonly agentType: string;
  /** The role the token was issued with, e.g. `reader` or `agent`; for audit only, rights come from permissions. */
  readonly role: string;
  /** The effective permissions the authorizer computed (role, scopes and read-only mode applied). */
  readonly permissions: ReadonlySet<string>;
  /** The token's scopes, as issued. */
  readonly scopes: ReadonlySet<string>;
}

/** A caller with no identity and no rights: what any ambiguous or missing identity becomes. */
export const ANONYMOUS: Caller = { agentId: '', agentType: '', role: '', permissions: new Set(), scopes: new Set() };

const ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const SCOPE = /^[A-Za-z0-9._:*-]{1,64}$/;

/**
 * Reads the caller from request headers given as `IncomingMessage.headersDistinct` (every header as a
 * list of its values). Fails closed: a header sent twice (a client's copy next to the perimeter's) or
 * an agent id that is not well formed yields `ANONYMOUS`; malformed permission or scope words are dropped.
 */
export function callerFromHeaders(headers: Readonly<Record<string, readonly string[] | undefined>>): Caller {
  const single = (name: string): string | undefined => {
    const values = headers[name];
    if (values === undefined || values.length === 0) return '';
    return values.length === 1 ? values[0].trim() : undefined;
  };
  const agentId = single(IDENTITY_HEADERS.agentId);
  const agentType = single(IDENTITY_HEADERS.agentType);
  const role = single(IDENTITY_HEADERS.role);
  const permissions = single(IDENTITY_HEADERS.permissions);
  const scopes = single(IDENTITY_HEADERS.scopes);
  if (agentId === undefined || agentType === undefined || role === undefined || permissions === undefined || scopes === undefined) {
    return ANONYMOUS;
  }
  if (!ID.test(agentId)) return ANONYMOUS;
  return {
    agentId,
    agentType: ID.test(agentType) ? agentType : '',
    role: NAME.test(role) ? role : '',
    permissions: words(permissions, NAME),
    scopes: words(scopes, SCOPE),
  };
}

function words(value: string, pattern: RegExp): ReadonlySet<string> {
  return new Set(value.split(/\s+/).filter((w) => pattern.test(w)));
}
