import type { Preset } from './preset';

/**
 * Docrunch (seed 000): agents with an identity (agent id, agent type, session), roles reader / agent /
 * admin over read / write / admin, 60 queries and 30 writes per minute per agent, requests bounded to
 * 10,000 tokens, a read-only switch, and the MCP server reachable only through the perimeter.
 */
export const DOCRUNCH: Preset = {
  name: 'docrunch',
  seed: '000_9eab4cd5bf94f3ab.txt',
  system: 'Docrunch (code-docs MCP server)',
  summary: 'agent identity to the backend; roles reader/agent/admin; 60 queries/min and 30 writes/min per agent; ~10,000-token (40 KB) bodies; read-only switch; MCP private behind the perimeter',
  layer: {
    rbac: {
      permissions: ['read', 'write', 'admin'],
      writePermissions: ['write'],
      roles: { reader: ['read'], agent: ['read', 'write'], admin: ['read', 'write', 'admin'] },
      routes: [
        { path: '/mcp', methods: ['ANY'], permission: 'read' },
        { path: '/api', methods: ['GET', 'HEAD'], permission: 'read' },
        { path: '/api', methods: ['ANY'], permission: 'write' },
        { path: '/admin', methods: ['ANY'], permission: 'admin' },
      ],
      // The seed's tool model: "role permissions for write tools". Read tools (annotated readOnlyHint)
      // need read, every other tool needs write; read-only mode turns write tools off.
      tools: { readPermission: 'read', writePermission: 'write' },
    },
    rateLimits: { perCredentialPerMinute: 60, writesPerCredentialPerMinute: 30 },
    // 10,000 tokens at about 4 bytes a token.
    limits: { maxBodyBytes: 40960 },
    auth: { readOnly: false },
  },
  claims: [
    {
      id: 'docrunch-1',
      quote: 'Each connecting agent should identify itself',
      checklist: ['AUTH-7'],
      test: 'AUTH-7: the agent id and agent type of the token reach the backend as headers set from the authorizer, never from the client',
    },
    {
      id: 'docrunch-2',
      quote: 'session_id: str',
      checklist: ['AUTH-7'],
      test: 'AUTH-7: the MCP session id travels to the backend unchanged (HTTP proxy, no mapping overrides mcp-session-id)',
    },
    {
      id: 'docrunch-3',
      quote: 'Role-based access:',
      checklist: ['RBAC-1', 'RBAC-2'],
      test: 'RBAC-1: reader reads, agent reads and writes, admin also administers',
    },
    {
      id: 'docrunch-4',
      quote: 'Require token auth and role permissions for write tools',
      checklist: ['AUTH-1', 'RBAC-2'],
      test: 'AUTH-1: a request without a token is refused (401) and every route but the health check has the authorizer',
    },
    {
      id: 'docrunch-5',
      quote: 'Write tools can be disabled via config for read-only mode',
      checklist: ['RBAC-3'],
      test: 'RBAC-3: with auth.readOnly an agent keeps read but every write is denied',
    },
    {
      id: 'docrunch-6',
      quote: 'queries_per_minute: 60',
      checklist: ['EDGE-2'],
      test: 'EDGE-2: 60 requests per minute per agent token, answered 429',
    },
    {
      id: 'docrunch-7',
      quote: 'writes_per_minute: 30',
      checklist: ['EDGE-2'],
      test: 'EDGE-2: 30 writes per minute per agent token on the write routes, answered 429',
    },
    {
      id: 'docrunch-8',
      quote: 'max_tokens_per_request: 10000',
      checklist: ['EDGE-6'],
      test: 'EDGE-6: request bodies over 40960 bytes (10,000 tokens) are refused with 413',
    },
    {
      id: 'docrunch-9',
      quote: 'Bind to network interfaces only behind TLS proxy or VPN',
      checklist: ['NET-1', 'TLS-1'],
      test: 'NET-1: the MCP server has no public IP and admits traffic from the internal load balancer only, over a TLS-only listener',
    },
    {
      id: 'docrunch-10',
      quote: 'Store tokens in environment variables or secret manager',
      checklist: ['SEC-1', 'SEC-2'],
      test: 'SEC-2: tokens live in SSM under a rotating customer-managed key, and no environment holds one',
    },
    {
      id: 'docrunch-11',
      quote: 'Audit logging enabled',
      checklist: ['AUDIT-1'],
      test: 'AUDIT-1: each decision is a JSON audit event with timestamp, event, agent id, route and decision',
    },
  ],
};
