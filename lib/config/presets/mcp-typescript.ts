import type { Preset } from './preset';

/**
 * The TypeScript MCP server (seed 002): `Authorization: Bearer` only, tokens of at least 32 characters,
 * 30 requests per minute per IP answered with 429, CORS from an explicit origin list (never `*`), and no
 * model or server port reachable from outside.
 */
export const MCP_TYPESCRIPT: Preset = {
  name: 'mcp-typescript',
  seed: '002_27b407d3a74fa4da.txt',
  system: 'TypeScript MCP server',
  summary: 'Authorization: Bearer only; tokens >= 32 characters; 30 requests/min per IP -> 429; CORS from an explicit origin list; no port reachable from outside',
  layer: {
    auth: {
      credentialHeaders: ['authorization'],
      minTokenLength: 32,
      // "Rotate API keys and tokens every 90 days".
      tokenMaxLifetimeDays: 90,
    },
    rateLimits: { perIpPerMinute: 30 },
    // The seed names no roles: the default tool model (read tools need read, every other tool write).
    rbac: { tools: { readPermission: 'read', writePermission: 'write' } },
  },
  claims: [
    {
      id: 'mcp-typescript-1',
      quote: 'requires `Authorization: Bearer <MCP_TOKEN>` header for all API endpoints',
      checklist: ['AUTH-1', 'AUTH-2'],
      test: 'AUTH-2: only Authorization: Bearer carries a token; X-Access-Token and X-API-Key are ignored',
    },
    {
      id: 'mcp-typescript-2',
      quote: 'for all API endpoints',
      checklist: ['AUTH-1'],
      test: 'AUTH-1: every route but the health check and the well-known document goes through the authorizer',
    },
    {
      id: 'mcp-typescript-3',
      quote: 'minimum 32 characters',
      checklist: ['AUTH-4'],
      test: 'AUTH-4: a bearer token of 31 characters is refused before any lookup',
    },
    {
      id: 'mcp-typescript-4',
      quote: 'API endpoints are limited to 30 requests per minute per IP address',
      checklist: ['EDGE-2'],
      test: 'EDGE-2: 30 requests per minute per source IP',
    },
    {
      id: 'mcp-typescript-5',
      quote: 'Exceeding limits returns HTTP 429 (Too Many Requests)',
      checklist: ['EDGE-2'],
      test: 'EDGE-2: every rate limit, at the WAF and at the stage, answers 429',
    },
    {
      id: 'mcp-typescript-6',
      quote: 'Never use wildcard (`*`) origins in production',
      checklist: ['EDGE-5'],
      test: "EDGE-5: CORS allows exactly the configured origins, and '*' is refused",
    },
    {
      id: 'mcp-typescript-7',
      quote: 'Invalid inputs return HTTP 400 with sanitized error messages',
      checklist: ['EDGE-7'],
      test: 'EDGE-7: refused requests get generic messages: 400 for credentials in the query, a fixed body for every 4xx',
    },
    {
      id: 'mcp-typescript-8',
      quote: '**Never expose** ports like 11434, 8080, or similar to the internet',
      checklist: ['NET-3', 'NET-2'],
      test: 'NET-3: the server port 8080 admits the internal load balancer only, and nothing admits the internet',
    },
    {
      id: 'mcp-typescript-9',
      quote: 'Use TLS 1.2 or higher',
      checklist: ['TLS-2', 'TLS-4'],
      test: 'TLS-2: TLS 1.2 at least on both hops, with ACM certificates',
    },
    {
      id: 'mcp-typescript-10',
      quote: 'Rotate API keys and tokens every 90 days',
      checklist: ['SEC-3'],
      test: 'SEC-3: an expired token is refused, and issued tokens live at most 90 days',
    },
  ],
};
