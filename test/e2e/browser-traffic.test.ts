/**
 * End to end with the MCP SDK's client, as a browser-hosted MCP client on one of two allowed origins
 * would use the perimeter: discovery, the 401 challenge and tool calls readable cross-origin, other
 * origins refused, and the 403 step-up challenge from the real authorizer.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { MemoryAuditLog } from '../../lambda/authorizer/audit';
import { DEFAULT_CONFIG, mergeConfig, parseConfig } from '../../lib/config';
import { type LocalPerimeter, startLocalPerimeter } from '../../lib/local/local-perimeter';

const ORIGINS = ['https://app.example.com', 'http://localhost:5173'];
let perimeter: LocalPerimeter;
const clients: Client[] = [];

beforeEach(async () => {
  perimeter = await startLocalPerimeter({
    config: parseConfig(mergeConfig(DEFAULT_CONFIG, {
      cors: { allowedOrigins: ORIGINS },
      rbac: { scopes: { 'docs:read': ['read'], 'docs:write': ['write'] } },
    }), 'e2e'),
    tokenDirectory: join(mkdtempSync(join(tmpdir(), 'e2e-tokens-')), 'tokens'),
    authorizerAudit: new MemoryAuditLog(),
    serverAudit: () => undefined,
    errorLog: () => undefined,
  });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await perimeter.close();
});

/** Records the headers of every response the SDK client sees, as a browser's fetch would expose them. */
function recordingFetch(seen: Headers[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    seen.push(res.headers);
    return res;
  };
}

async function connect(headers: Record<string, string>, seen: Headers[] = []): Promise<Client> {
  const client = new Client({ name: 'browser-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${perimeter.url}/mcp`), { requestInit: { headers }, fetch: recordingFetch(seen) }));
  clients.push(client);
  return client;
}

test('EDGE-5: a client on each allowed origin discovers auth and calls tools, and can read every answer', async () => {
  const { token } = await perimeter.tokens.issue({ agentId: 'web-1', role: 'agent', scopes: ['docs:read', 'docs:write'], prefix: 'mcp_', lifetimeHours: 24 });
  for (const origin of ORIGINS) {
    // The 401 and the metadata document it points to are readable by the page.
    const challenge = await fetch(`${perimeter.url}/mcp`, { method: 'POST', headers: { Origin: origin, 'content-type': 'application/json' }, body: '{}' });
    expect(challenge.status).toBe(401);
    expect(challenge.headers.get('access-control-allow-origin')).toBe(origin);
    expect(challenge.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge.headers.get('www-authenticate') ?? '')![1];
    const metadata = await fetch(metadataUrl, { headers: { Origin: origin } });
    expect(metadata.headers.get('access-control-allow-origin')).toBe(origin);
    expect(await metadata.json()).toMatchObject({ scopes_supported: ['docs:read', 'docs:write'] });
    // Then the SDK client, sending the page's Origin, works end to end.
    const seen: Headers[] = [];
    const client = await connect({ Authorization: `Bearer ${token}`, Origin: origin }, seen);
    const tools = await client.listTools();
    expect(tools.tools.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    for (const h of seen) {
      expect(h.get('access-control-allow-origin')).toBe(origin);
      expect(h.get('access-control-expose-headers')).toBe('WWW-Authenticate, Mcp-Session-Id, Retry-After');
      expect(h.get('strict-transport-security')).toBeTruthy();
    }
  }
});

test('EDGE-5: a client on another origin is refused before the authorizer, with nothing the page could read', async () => {
  const { token } = await perimeter.tokens.issue({ agentId: 'web-2', role: 'agent', scopes: [], prefix: 'mcp_', lifetimeHours: 24 });
  const seen: Headers[] = [];
  const error = await connect({ Authorization: `Bearer ${token}`, Origin: 'https://evil.example.net' }, seen).then(() => undefined, (e: Error & { code?: number }) => e);
  expect(error).toMatchObject({ code: 403 });
  expect(seen.every((h) => h.get('access-control-allow-origin') === null)).toBe(true);
});

test('a caller whose scopes withhold a permission gets a 403 with the scopes to ask for', async () => {
  const { token } = await perimeter.tokens.issue({ agentId: 'web-3', role: 'agent', scopes: ['docs:read'], prefix: 'mcp_', lifetimeHours: 24 });
  const res = await fetch(`${perimeter.url}/api/notes`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, Origin: ORIGINS[0] } });
  expect(res.status).toBe(403);
  expect(res.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="docs:read docs:write"');
  expect(res.headers.get('access-control-allow-origin')).toBe(ORIGINS[0]);
});
