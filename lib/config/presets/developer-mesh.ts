import type { Preset } from './preset';

/**
 * Developer Mesh (seed 003): two backends behind one perimeter (the MCP server on container port 8080 at
 * `/mcp`, the REST API on 8081 at `/api`, each its own target group), roles admin / user / viewer
 * (viewer reads, user also writes contexts and executes tools, admin everything), JWTs (HS256) and API
 * keys, per-user and per-IP rate limits with a burst, 90-day audit logs, and `/metrics` unreachable from
 * outside. The security headers and the WAF the document lists as not done come with the kit.
 */
export const DEVELOPER_MESH: Preset = {
  name: 'developer-mesh',
  seed: '003_8672e756b55d5e75.txt',
  system: 'Developer Mesh (MCP + REST)',
  summary: 'MCP (8080) at /mcp and REST (8081) at /api as separate target groups; roles admin/user/viewer; JWT HS256 and API keys; per-user and per-IP limits with burst; 90-day audit logs; /metrics not exposed',
  layer: {
    service: {
      backends: [
        { name: 'mcp', containerPort: 8080, paths: ['/mcp'], healthPath: '/health' },
        { name: 'rest', containerPort: 8081, paths: ['/api/v1/admin', '/api'], healthPath: '/health' },
      ],
    },
    rbac: {
      permissions: ['read', 'write', 'execute', 'admin'],
      writePermissions: ['write', 'execute'],
      roles: {
        viewer: ['read'],
        user: ['read', 'write', 'execute'],
        admin: ['read', 'write', 'execute', 'admin'],
      },
      // First match wins: the admin subtree before the rest of /api.
      routes: [
        { path: '/api/v1/admin', methods: ['ANY'], permission: 'admin' },
        { path: '/mcp', methods: ['ANY'], permission: 'execute' },
        { path: '/api', methods: ['GET', 'HEAD'], permission: 'read' },
        { path: '/api', methods: ['ANY'], permission: 'write' },
      ],
      // The seed's tool model: a viewer only reads ("Read-only access"), a user executes tools
      // ("execute tools"): read tools need read, every other tool execute.
      tools: { readPermission: 'read', writePermission: 'execute' },
    },
    auth: {
      credentialHeaders: ['authorization'],
      jwt: {
        mode: 'hs256',
        algorithms: ['HS256'],
        issuer: 'developer-mesh',
        audience: 'developer-mesh',
        maxLifetimeSeconds: 86400,
      },
    },
    audit: { logRetentionDays: 90 },
  },
  claims: [
    {
      id: 'developer-mesh-1',
      quote: 'Only exposed ports: 8080 (MCP Server), 8081 (REST API)',
      checklist: ['NET-1', 'NET-2'],
      test: 'NET-2: the MCP server (8080) serves /mcp and the REST API (8081) serves /api, as two target groups reachable from the load balancer only',
    },
    {
      id: 'developer-mesh-2',
      quote: 'Metrics/monitoring available at /metrics',
      checklist: ['NET-3', 'RBAC-4'],
      test: 'NET-3: /metrics is not reachable from outside: no API route and no load balancer rule leads to it',
    },
    {
      id: 'developer-mesh-3',
      quote: 'RoleViewer = "viewer"  // Read-only access',
      checklist: ['RBAC-1', 'RBAC-2'],
      test: 'RBAC-1: a viewer reads the REST API and nothing else',
    },
    {
      id: 'developer-mesh-4',
      quote: 'RoleUser   = "user"    // Read/write contexts, execute tools',
      checklist: ['RBAC-1', 'RBAC-2'],
      test: 'RBAC-1: a user reads and writes contexts and executes tools over MCP, but is no admin',
    },
    {
      id: 'developer-mesh-5',
      quote: 'RoleAdmin  = "admin"   // Full access',
      checklist: ['RBAC-1'],
      test: 'RBAC-1: an admin reaches every route',
    },
    {
      id: 'developer-mesh-6',
      quote: '**Authentication**: JWT and API key authentication',
      checklist: ['AUTH-4', 'AUTH-5'],
      test: 'AUTH-5: an HS256 JWT with a role and an issued API key are both accepted; an expired JWT is not',
    },
    {
      id: 'developer-mesh-7',
      quote: 'Per-user and per-IP rate limiting with burst support',
      checklist: ['EDGE-2'],
      test: 'EDGE-2: per-IP and per-user (per-credential) WAF limits, and a stage rate with a burst',
    },
    {
      id: 'developer-mesh-8',
      quote: '# Should get rate limited after threshold',
      checklist: ['EDGE-2', 'AUDIT-5'],
      test: 'EDGE-2: over the threshold the answer is 429, and rate-limit violations raise an alarm',
    },
    {
      id: 'developer-mesh-9',
      quote: '"retention_in_days": 90',
      checklist: ['AUDIT-3'],
      test: 'AUDIT-3: every audit log group keeps 90 days, is encrypted with the audit key and is retained on deletion',
    },
    {
      id: 'developer-mesh-10',
      quote: '--type SecureString',
      checklist: ['SEC-2', 'SEC-4'],
      test: 'SEC-2: the JWT secret is an SSM SecureString parameter that only the authorizer may read',
    },
    {
      id: 'developer-mesh-11',
      quote: 'WAF/CDN integration',
      checklist: ['EDGE-1'],
      test: 'EDGE-1: a WAF web ACL with the managed rule groups guards the API stage and the load balancer',
    },
    {
      id: 'developer-mesh-12',
      quote: 'Security headers middleware',
      checklist: ['EDGE-4'],
      test: 'EDGE-4: the load balancer and the gateway responses carry the security headers',
    },
    {
      id: 'developer-mesh-13',
      quote: 'TLS 1.2/1.3 Support',
      checklist: ['TLS-2', 'TLS-3'],
      test: 'TLS-3: TLS 1.3 policies at the edge and on the load balancer, and the gateway reaches it over HTTPS',
    },
  ],
};
