import type { Preset } from './preset';

/**
 * The Docker MCP server (seed 004): several tokens, each with scopes (the `TOKEN_SCOPES` model); tokens
 * in `Authorization` or `X-Access-Token` only, never in the query string; both headers redacted from
 * logs; `/mcp/health` unauthenticated and revealing only status and version; a non-root container.
 */
export const DOCKER_MCP: Preset = {
  name: 'docker-mcp',
  seed: '004_a74d24a19bd5781c.txt',
  system: 'Docker MCP server',
  summary: 'per-token scopes (TOKEN_SCOPES); Authorization or X-Access-Token only, query tokens refused; credential headers redacted; unauthenticated /mcp/health with status and version only; non-root container',
  layer: {
    service: { healthPath: '/mcp/health', user: '1000:1000' },
    rbac: {
      permissions: ['read', 'write', 'admin'],
      writePermissions: ['write'],
      // One role per token; its scopes narrow it, as TOKEN_SCOPES does.
      roles: { client: ['read', 'write', 'admin'] },
      scopes: {
        'read-only': ['read'],
        'read-write': ['read', 'write'],
        admin: ['read', 'write', 'admin'],
      },
      routes: [
        { path: '/mcp', methods: ['ANY'], permission: 'read' },
        { path: '/api', methods: ['GET', 'HEAD'], permission: 'read' },
        { path: '/api', methods: ['ANY'], permission: 'write' },
        { path: '/admin', methods: ['ANY'], permission: 'admin' },
      ],
      // The seed's tool model: "access control per tool category". A token's scopes narrow its
      // permissions (read-only: read tools only); read tools need read, other tools write, and admin
      // tools (`admin_*`) admin.
      tools: { readPermission: 'read', writePermission: 'write', permissions: { 'admin_*': 'admin' } },
    },
    auth: { credentialHeaders: ['authorization', 'x-access-token'] },
  },
  claims: [
    {
      id: 'docker-mcp-1',
      quote: 'Configurable token scopes via `TOKEN_SCOPES` environment variable',
      checklist: ['RBAC-1', 'RBAC-4'],
      test: 'RBAC-1: a token is limited to its scopes: read-only reads, admin administers, an unknown scope is refused',
    },
    {
      id: 'docker-mcp-2',
      quote: 'Tokens accepted only via headers (`Authorization` or `X-Access-Token`)',
      checklist: ['AUTH-2'],
      test: 'AUTH-2: a token is accepted in Authorization or X-Access-Token, and in no other header',
    },
    {
      id: 'docker-mcp-3',
      quote: 'query parameters rejected as of v0.5.0',
      checklist: ['EDGE-3'],
      test: 'EDGE-3: a token in the query string is refused by the authorizer and blocked by the WAF',
    },
    {
      id: 'docker-mcp-4',
      quote: 'HMAC constant-time comparison prevents timing attacks',
      checklist: ['AUTH-3'],
      test: 'AUTH-3: only the token digest is stored, and a token one character off is refused',
    },
    {
      id: 'docker-mcp-5',
      quote: 'Logging filters strip both `Authorization` and `X-Access-Token` headers',
      checklist: ['AUDIT-2'],
      test: 'AUDIT-2: WAF logs redact both credential headers, and audit events never hold the token',
    },
    {
      id: 'docker-mcp-6',
      quote: 'The `/mcp/health` endpoint is **unauthenticated** by design',
      checklist: ['WORK-2', 'AUTH-1'],
      test: 'WORK-2: GET /mcp/health is the one unauthenticated route to the server, and it carries no identity',
    },
    {
      id: 'docker-mcp-7',
      quote: 'No Hardcoded Credentials',
      checklist: ['AUTH-6', 'SEC-1'],
      test: 'AUTH-6: with no issued token nothing is accepted, and no environment holds a credential',
    },
    {
      id: 'docker-mcp-8',
      quote: 'Container image built with user `mcp` (UID 1000)',
      checklist: ['WORK-1'],
      test: 'WORK-1: the container runs as uid 1000, unprivileged, with a read-only root filesystem',
    },
    {
      id: 'docker-mcp-9',
      quote: 'Set up monitoring for failed auth attempts',
      checklist: ['AUDIT-5'],
      test: 'AUDIT-5: failed authentications raise an alarm',
    },
  ],
};
