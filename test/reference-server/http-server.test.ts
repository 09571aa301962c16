import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ToolAuditEvent } from '../../reference-server/src/audit';
import { createReferenceServer } from '../../reference-server/src/http-server';
import { TOOL_FORBIDDEN } from '../../reference-server/src/mcp-server';

/** The error a promise rejects with, or undefined when it resolves (so a failed expectation never leaves a rejection unhandled). */
async function refusal(promise: Promise<unknown>): Promise<(Error & { code?: number }) | undefined> {
  return promise.then(() => undefined, (error: Error & { code?: number }) => error);
}

const NOW = new Date('2030-01-02T03:04:05.000Z');
let server: Server;
let base: string;
let auditEvents: ToolAuditEvent[];

beforeEach(async () => {
  auditEvents = [];
  server = createReferenceServer({ version: '9.8.7', audit: (e) => auditEvents.push(e), now: () => NOW, maxBodyBytes: 4096 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function connect(identity: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'reference-server-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: identity } }));
  return client;
}

const agent = { 'X-Mcp-Agent-Id': 'agent-1', 'X-Mcp-Agent-Type': 'assistant', 'X-Mcp-Role': 'agent', 'X-Mcp-Permissions': 'read write', 'X-Mcp-Scopes': '', 'X-Request-Id': 'req-1' };
const reader = { ...agent, 'X-Mcp-Agent-Id': 'reader-1', 'X-Mcp-Role': 'reader', 'X-Mcp-Permissions': 'read' };

test('WORK-2: /health answers without identity and reveals only status and version', async () => {
  // WHEN
  const res = await fetch(`${base}/health`);
  // THEN
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok', version: '9.8.7' });
});

test('RBAC-2: an agent lists every tool and calls a read and a write tool', async () => {
  // GIVEN
  const client = await connect(agent);
  // WHEN
  const tools = await client.listTools();
  const put = await client.callTool({ name: 'notes_put', arguments: { key: 'plan', text: 'ship it' } });
  const get = await client.callTool({ name: 'notes_get', arguments: { key: 'plan' } });
  const time = await client.callTool({ name: 'server_time', arguments: {} });
  // THEN
  expect(tools.tools.map((t) => t.name).sort()).toEqual(['echo', 'notes_get', 'notes_put', 'server_time']);
  expect(tools.tools.find((t) => t.name === 'notes_put')?.annotations?.readOnlyHint).toBe(false);
  expect(put.isError).toBeFalsy();
  expect(get.content).toEqual([{ type: 'text', text: 'ship it' }]);
  expect(time.content).toEqual([{ type: 'text', text: NOW.toISOString() }]);
  await client.close();
});

test('RBAC-2: a reader is refused a write tool with a JSON-RPC error and a deny audit line', async () => {
  // GIVEN
  const client = await connect(reader);
  // WHEN
  const tools = await client.listTools();
  const refused = await refusal(client.callTool({ name: 'notes_put', arguments: { key: 'plan', text: 'x' } }));
  // THEN
  expect(tools.tools.map((t) => t.name)).not.toContain('notes_put');
  expect(refused).toMatchObject({ code: TOOL_FORBIDDEN, message: expect.stringMatching(/needs the 'write' permission/) });
  expect(auditEvents).toEqual([
    { timestamp: NOW.toISOString(), event: 'mcp.tool', decision: 'deny', reason: 'missing_permission', tool: 'notes_put', category: 'write', agentId: 'reader-1', agentType: 'assistant', role: 'reader', requestId: 'req-1' },
  ]);
  await client.close();
});

test('AUDIT-1: an allowed tool call is audited too, and the audit line holds no arguments or credentials', async () => {
  // GIVEN a caller whose request also carries a credential header
  const client = await connect({ ...agent, Authorization: 'Bearer mcp_secret-value-that-must-not-leak-000000' });
  // WHEN
  await client.callTool({ name: 'echo', arguments: { text: 'private words' } });
  // THEN
  expect(auditEvents).toHaveLength(1);
  expect(auditEvents[0]).toMatchObject({ decision: 'allow', reason: 'granted', tool: 'echo', agentId: 'agent-1' });
  expect(JSON.stringify(auditEvents)).not.toMatch(/private words|mcp_secret|Bearer/);
  await client.close();
});

test('RBAC-4: an unknown tool is refused and audited', async () => {
  // GIVEN
  const client = await connect(agent);
  // WHEN
  const refused = await refusal(client.callTool({ name: 'drop_tables', arguments: {} }));
  // THEN
  expect(refused?.message).toMatch(/unknown tool 'drop_tables'/);
  expect(auditEvents[0]).toMatchObject({ decision: 'deny', reason: 'unknown_tool', tool: 'drop_tables' });
  await client.close();
});

test('RBAC-4: a request without identity headers lists no tools and may call none', async () => {
  // GIVEN
  const client = await connect({});
  // WHEN
  const tools = await client.listTools();
  const refused = await refusal(client.callTool({ name: 'echo', arguments: { text: 'hi' } }));
  // THEN
  expect(tools.tools).toEqual([]);
  expect(refused).toMatchObject({ code: TOOL_FORBIDDEN });
  await client.close();
});

test('fails invalid tool arguments with a JSON-RPC error naming the field', async () => {
  // GIVEN
  const client = await connect(agent);
  // WHEN
  const invalid = await refusal(client.callTool({ name: 'notes_put', arguments: { key: 'Not A Key', text: 'x' } }));
  // THEN
  expect(invalid?.message).toMatch(/invalid arguments for tool 'notes_put': key must be 1-64 characters/);
  await client.close();
});

test('EDGE-6: a body over the limit is refused with 413 before it is parsed', async () => {
  // WHEN
  const res = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(5000) } }),
  });
  // THEN
  expect(res.status).toBe(413);
});

test('EDGE-7: unknown paths, wrong methods and bad JSON get generic answers', async () => {
  // WHEN
  const notFound = await fetch(`${base}/internal/debug`);
  const get = await fetch(`${base}/mcp`);
  const badJson = await fetch(`${base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":' });
  // THEN
  expect(notFound.status).toBe(404);
  expect(await notFound.json()).toEqual({ message: 'Not Found' });
  expect(get.status).toBe(405);
  expect(get.headers.get('allow')).toBe('POST');
  expect(badJson.status).toBe(400);
  expect((await badJson.json()).error.code).toBe(-32700);
});
