/**
 * End to end: the real MCP SDK client over Streamable HTTP, through the local perimeter (the local
 * gateway and the real authorizer code), to the reference server. Everything runs in-process on
 * ephemeral loopback ports.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { MemoryAuditLog } from '../../lambda/authorizer/audit';
import { DEFAULT_CONFIG, mergeConfig, parseConfig, type PerimeterConfigInput } from '../../lib/config';
import { type LocalPerimeter, startLocalPerimeter } from '../../lib/local/local-perimeter';
import type { ToolAuditEvent } from '../../reference-server/src/audit';
import { TOOL_FORBIDDEN } from '../../reference-server/src/mcp-server';

/** The error a promise rejects with, or undefined when it resolves (so a failed expectation never leaves a rejection unhandled). */
async function refusal(promise: Promise<unknown>): Promise<(Error & { code?: number }) | undefined> {
  return promise.then(() => undefined, (error: Error & { code?: number }) => error);
}

const START = Date.parse('2030-06-01T12:00:00Z');
const SECURITY_HEADERS = ['strict-transport-security', 'content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'permissions-policy'];

let perimeter: LocalPerimeter;
let clock: number;
let authorizerAudit: MemoryAuditLog;
let serverAudit: ToolAuditEvent[];
let errors: string[];
const clients: Client[] = [];

async function start(overrides: Partial<PerimeterConfigInput> = {}): Promise<void> {
  clock = START;
  authorizerAudit = new MemoryAuditLog();
  serverAudit = [];
  errors = [];
  perimeter = await startLocalPerimeter({
    config: parseConfig(mergeConfig(DEFAULT_CONFIG, overrides), 'e2e'),
    tokenDirectory: join(mkdtempSync(join(tmpdir(), 'e2e-tokens-')), 'tokens'),
    authorizerAudit,
    serverAudit: (e) => serverAudit.push(e),
    errorLog: (m) => errors.push(m),
    now: () => clock,
  });
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await perimeter?.close();
});

async function issue(role: string, agentId = `${role}-1`, scopes: string[] = []): Promise<string> {
  const { token } = await perimeter.tokens.issue({ agentId, role, scopes, prefix: 'mcp_', lifetimeHours: 24 * 60 });
  return token;
}

async function connect(headers: Record<string, string>, url = `${perimeter.url}/mcp`): Promise<Client> {
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  clients.push(client);
  return client;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const text = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as { type: string; text: string }[])[0].text;

test('RBAC-2: an agent token lists the tools and calls a read and a write tool', async () => {
  // GIVEN
  await start();
  const client = await connect(bearer(await issue('agent')));
  // WHEN
  const tools = await client.listTools();
  const echo = await client.callTool({ name: 'echo', arguments: { text: 'hello through the perimeter' } });
  const put = await client.callTool({ name: 'notes_put', arguments: { key: 'plan', text: 'ship it' } });
  const get = await client.callTool({ name: 'notes_get', arguments: { key: 'plan' } });
  // THEN
  expect(tools.tools.map((t) => t.name).sort()).toEqual(['echo', 'notes_get', 'notes_put', 'server_time']);
  expect(text(echo)).toBe('hello through the perimeter');
  expect(put.isError).toBeFalsy();
  expect(text(get)).toBe('ship it');
  expect(serverAudit.map((e) => [e.tool, e.decision, e.agentId, e.role])).toEqual([
    ['echo', 'allow', 'agent-1', 'agent'],
    ['notes_put', 'allow', 'agent-1', 'agent'],
    ['notes_get', 'allow', 'agent-1', 'agent'],
  ]);
});

test('RBAC-2: a reader token calls a read tool and is refused the write tool with a JSON-RPC error', async () => {
  // GIVEN the reference server's own gate (the enforcement point's: test/enforcement-point/)
  await start({ rbac: { tools: { enforce: false } } });
  const client = await connect(bearer(await issue('reader')));
  // WHEN
  const tools = await client.listTools();
  const echo = await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
  const put = await refusal(client.callTool({ name: 'notes_put', arguments: { key: 'plan', text: 'x' } }));
  // THEN
  expect(tools.tools.map((t) => t.name)).not.toContain('notes_put');
  expect(text(echo)).toBe('hi');
  expect(put).toMatchObject({ code: TOOL_FORBIDDEN });
  expect(serverAudit[serverAudit.length - 1]).toMatchObject({ tool: 'notes_put', decision: 'deny', reason: 'missing_permission', agentId: 'reader-1', role: 'reader' });
});

test('AUTH-1: no token gives 401 with the WWW-Authenticate resource_metadata header, and the metadata is served without auth', async () => {
  // GIVEN
  await start();
  // WHEN
  const connecting = await refusal(connect({}));
  const raw = await fetch(`${perimeter.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  // THEN
  expect(connecting).toMatchObject({ code: 401 });
  expect(raw.status).toBe(401);
  const metadataUrl = `${perimeter.url}/.well-known/oauth-protected-resource`;
  expect(raw.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${metadataUrl}"`);
  const metadata = await fetch(metadataUrl);
  expect(metadata.status).toBe(200);
  expect(await metadata.json()).toMatchObject({ resource: `${perimeter.url}/mcp`, bearer_methods_supported: ['header'] });
  expect(serverAudit).toEqual([]);
});

test('EDGE-3: a token in the query string is refused with 400 by the edge (the WAF rule, emulated) before the authorizer, even next to a valid header', async () => {
  // GIVEN
  await start();
  const token = await issue('agent');
  // WHEN
  const queryOnly = await refusal(connect({}, `${perimeter.url}/mcp?access_token=${token}`));
  const both = await refusal(connect(bearer(token), `${perimeter.url}/mcp?token=${token}`));
  // THEN
  expect(queryOnly).toMatchObject({ code: 400 });
  expect(both).toMatchObject({ code: 400 });
  expect(authorizerAudit.decisions).toEqual([]);
});

test('SEC-3: a revoked token keeps working until the authorizer refreshes its records, then gets 401', async () => {
  // GIVEN an agent connected with a token that is then revoked
  await start({ auth: { refreshSeconds: 5, cacheTtlSeconds: 0 } });
  const token = await issue('agent');
  const client = await connect(bearer(token));
  await client.callTool({ name: 'echo', arguments: { text: 'before' } });
  const [record] = await perimeter.tokens.source.load();
  await perimeter.tokens.revoke(record.id);
  // WHEN a call happens before the refresh, and another after it
  clock += 4_000;
  const beforeRefresh = await client.callTool({ name: 'echo', arguments: { text: 'still' } });
  clock += 1_000;
  const afterRefresh = await refusal(client.callTool({ name: 'echo', arguments: { text: 'after' } }));
  // THEN
  expect(text(beforeRefresh)).toBe('still');
  expect(afterRefresh).toMatchObject({ code: 401 });
  expect(authorizerAudit.decisions[authorizerAudit.decisions.length - 1]).toMatchObject({ decision: 'unauthorized', reason: 'token_unknown' });
});

test('SEC-3: with the authorizer cache on, a revoked token stops within the refresh period plus the cache TTL', async () => {
  // GIVEN one credential header, so API Gateway caches decisions per token
  await start({ auth: { credentialHeaders: ['authorization'], refreshSeconds: 5, cacheTtlSeconds: 30 } });
  expect(perimeter.identitySources).toEqual(['authorization']);
  const client = await connect(bearer(await issue('agent')));
  const [record] = await perimeter.tokens.source.load();
  await perimeter.tokens.revoke(record.id);
  // WHEN calls happen after the refresh but inside the TTL, and after the TTL
  clock += 29_000;
  const cached = await client.callTool({ name: 'echo', arguments: { text: 'cached' } });
  clock += 1_000;
  const expired = await refusal(client.callTool({ name: 'echo', arguments: { text: 'expired' } }));
  // THEN
  expect(text(cached)).toBe('cached');
  expect(expired).toMatchObject({ code: 401 });
});

test('RBAC-2: a cached Allow for /mcp never opens a write route to a reader, and the cache spans routes', async () => {
  // GIVEN the cache on, and a reader that has just been allowed on /mcp
  await start({ auth: { credentialHeaders: ['authorization'], cacheTtlSeconds: 300 } });
  const readerToken = await issue('reader');
  const agentToken = await issue('agent');
  await connect(bearer(readerToken));
  const decisionsBefore = authorizerAudit.decisions.length;
  // WHEN the reader and an agent call the write route POST /api/items
  const reader = await fetch(`${perimeter.url}/api/items`, { method: 'POST', headers: bearer(readerToken), body: '{}' });
  const readerGet = await fetch(`${perimeter.url}/api/items`, { headers: bearer(readerToken) });
  const agent = await fetch(`${perimeter.url}/api/items`, { method: 'POST', headers: bearer(agentToken), body: '{}' });
  // THEN the reader is denied from its cached policy; the agent passes the gateway (the server has no /api: 404)
  expect(reader.status).toBe(403);
  expect(readerGet.status).toBe(404);
  expect(agent.status).toBe(404);
  expect(authorizerAudit.decisions.length - decisionsBefore).toBe(1);
});

test("AUTH-7: a client-sent X-Mcp-Role: admin header grants nothing beyond the token's role", async () => {
  // GIVEN a reader token and forged identity headers, the reference server's own gate (no enforcement point)
  await start({ rbac: { tools: { enforce: false } } });
  const forged = { 'X-Mcp-Role': 'admin', 'X-Mcp-Permissions': 'read write admin', 'X-Mcp-Agent-Id': 'root', 'X-Mcp-Scopes': 'tools:*' };
  const client = await connect({ ...bearer(await issue('reader', 'reader-7')), ...forged });
  // WHEN
  const tools = await client.listTools();
  const put = await refusal(client.callTool({ name: 'notes_put', arguments: { key: 'k', text: 'x' } }));
  // THEN the server saw the token's identity, not the client's
  expect(tools.tools.map((t) => t.name)).not.toContain('notes_put');
  expect(put).toMatchObject({ code: TOOL_FORBIDDEN });
  expect(serverAudit[serverAudit.length - 1]).toMatchObject({ agentId: 'reader-7', role: 'reader', decision: 'deny' });
});

test('EDGE-4: proxied MCP answers and the gateway own 401 carry the security headers', async () => {
  // GIVEN
  await start();
  const token = await issue('agent');
  const request = (headers: Record<string, string>) =>
    fetch(`${perimeter.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
  // WHEN
  const ok = await request(bearer(token));
  const refused = await request({});
  // THEN
  expect([ok.status, refused.status]).toEqual([200, 401]);
  for (const res of [ok, refused]) for (const h of SECURITY_HEADERS) expect(res.headers.get(h)).toBeTruthy();
});

test('WORK-2: /health through the perimeter needs no token and reveals only status and version', async () => {
  // GIVEN
  await start({ service: { version: '4.5.6' } });
  // WHEN
  const res = await fetch(`${perimeter.url}/health`);
  // THEN
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok', version: '4.5.6' });
});

test('AUDIT-1, AUDIT-2: every decision is audited by the authorizer and the server, and no audit line holds the token', async () => {
  // GIVEN
  await start();
  const token = await issue('agent');
  const client = await connect({ ...bearer(token), 'User-Agent': `agent ${token}` });
  // WHEN
  await client.callTool({ name: 'echo', arguments: { text: 'x' } });
  await fetch(`${perimeter.url}/mcp?access_token=${token}`, { method: 'POST' });
  // THEN
  const allow = authorizerAudit.decisions.find((d) => d.decision === 'allow');
  expect(allow).toMatchObject({ event: 'auth.allow', agentId: 'agent-1', route: { method: 'POST', path: '/mcp' }, sourceIp: '127.0.0.1', requestId: expect.any(String) });
  expect(serverAudit.find((e) => e.tool === 'echo')?.requestId).toEqual(expect.any(String));
  const everything = JSON.stringify([authorizerAudit.decisions, authorizerAudit.problems, serverAudit, errors]);
  expect(everything).not.toContain(token);
  expect(everything).not.toContain(token.slice(4));
});
