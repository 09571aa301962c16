/**
 * The caller's identity as the perimeter forwards it. The gateway (API Gateway with the Lambda
 * authorizer, or the local gateway) drops every `X-Mcp-*` header a client sent and sets these from the
 * authorizer's context (lib/constructs/edge/perimeter-api.ts, IDENTITY_HEADERS), so the enforcement
 * point trusts them and nothing else. The same rules as reference-server/src/identity.ts; a copy,
 * because each container image builds from its own folder.
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
  /** The agent type, e.g. `assistant`; for audit. */
  readonly agentType: string;
  /** The token's role, e.g. `reader`; for audit only, rights come from `permissions`. */
  readonly role: string;
  /** The effective permissions the authorizer computed (role, scopes and read-only mode applied). */
  readonly permissions: ReadonlySet<string>;
}

/** No identity, no rights: what a missing or ambiguous identity becomes. */
export const ANONYMOUS: Caller = { agentId: '', agentType: '', role: '', permissions: new Set() };

const ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const NAME = /^[a-z][a-z0-9_-]{0,63}$/;

/**
 * Reads the caller from `IncomingMessage.headersDistinct`. Fails closed: a header sent twice or a
 * malformed agent id yields `ANONYMOUS`; malformed permission words are dropped.
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
  if (agentId === undefined || agentType === undefined || role === undefined || permissions === undefined) return ANONYMOUS;
  if (!ID.test(agentId)) return ANONYMOUS;
  return {
    agentId,
    agentType: ID.test(agentType) ? agentType : '',
    role: NAME.test(role) ? role : '',
    permissions: new Set(permissions.split(/\s+/).filter((w) => NAME.test(w))),
  };
}
