import type { Preset } from './preset';

/**
 * shared-context (seed 001): JWTs signed with HS256 that live at most 24 hours, permissions read / write /
 * admin / debug, opaque tokens with the `sct_` prefix, `X-API-Key` accepted next to `Authorization`,
 * every authentication event audited, errors without stack traces.
 */
export const SHARED_CONTEXT: Preset = {
  name: 'shared-context',
  seed: '001_fe1362716cdb82d5.txt',
  system: 'shared-context MCP server',
  summary: 'JWT HS256 (24 h max); permissions read/write/admin/debug; sct_ tokens; Authorization or X-API-Key; auth events audited; generic errors',
  layer: {
    rbac: {
      permissions: ['read', 'write', 'admin', 'debug'],
      writePermissions: ['write'],
      roles: {
        reader: ['read'],
        writer: ['read', 'write'],
        debugger: ['read', 'debug'],
        admin: ['read', 'write', 'admin', 'debug'],
      },
      routes: [
        { path: '/mcp', methods: ['ANY'], permission: 'read' },
        { path: '/api', methods: ['GET', 'HEAD'], permission: 'read' },
        { path: '/api', methods: ['ANY'], permission: 'write' },
        { path: '/debug', methods: ['ANY'], permission: 'debug' },
        { path: '/admin', methods: ['ANY'], permission: 'admin' },
      ],
      // The seed's tool model: read tools need read, other tools write; debug tools (`debug_*`) need debug.
      tools: { readPermission: 'read', writePermission: 'write', permissions: { 'debug_*': 'debug' } },
    },
    auth: {
      tokenPrefix: 'sct_',
      credentialHeaders: ['authorization', 'x-api-key'],
      // "Regular key rotation (90 days)".
      tokenMaxLifetimeDays: 90,
      jwt: {
        mode: 'hs256',
        algorithms: ['HS256'],
        issuer: 'shared-context',
        audience: 'shared-context-mcp',
        maxLifetimeSeconds: 86400,
      },
    },
  },
  claims: [
    {
      id: 'shared-context-1',
      quote: 'HS256 algorithm with configurable expiration (24 hours default)',
      checklist: ['AUTH-5'],
      test: 'AUTH-5: an HS256 JWT of at most 24 h is accepted; a longer one, another algorithm or a wrong issuer is refused',
    },
    {
      id: 'shared-context-2',
      quote: 'Role-based permissions: `read`, `write`, `admin`, `debug`',
      checklist: ['RBAC-1', 'RBAC-2'],
      test: 'RBAC-1: the four permissions read, write, admin and debug each open their own routes',
    },
    {
      id: 'shared-context-3',
      quote: 'Protected token format (`sct_*`)',
      checklist: ['AUTH-4'],
      test: 'AUTH-4: opaque tokens carry the sct_ prefix; a token of another format is not recognized',
    },
    {
      id: 'shared-context-4',
      quote: 'Header-based authentication (`X-API-Key`) for MCP client connections',
      checklist: ['AUTH-2'],
      test: 'AUTH-2: a token is accepted in X-API-Key or Authorization, and in no other header',
    },
    {
      id: 'shared-context-5',
      quote: 'Comprehensive audit logging for auth events',
      checklist: ['AUDIT-1', 'AUDIT-2', 'AUDIT-5'],
      test: 'AUDIT-1: a failed authentication is an audit event without the credential, and failures raise an alarm',
    },
    {
      id: 'shared-context-6',
      quote: 'Error handling without stack traces',
      checklist: ['EDGE-7'],
      test: 'EDGE-7: the gateway answers errors with a generic JSON message and the request id only',
    },
    {
      id: 'shared-context-7',
      quote: 'TLS 1.3 encryption for network traffic',
      checklist: ['TLS-2'],
      test: 'TLS-2: the custom domain and the load balancer listener use TLS 1.3 policies',
    },
    {
      id: 'shared-context-8',
      quote: 'Regular key rotation (90 days)',
      checklist: ['SEC-3', 'AUTH-4'],
      test: 'SEC-3: an opaque token past its expiry is refused',
    },
  ],
};
