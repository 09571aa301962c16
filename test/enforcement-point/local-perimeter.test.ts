/**
 * End to end: the MCP SDK's client over Streamable HTTP, through the local perimeter (local gateway,
 * real authorizer, the MCP enforcement point), to a deliberately naive MCP server that accepts every
 * call and checks nothing. Every refusal here is the enforcement point's.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AuditEvent } from '../../enforcement-point/src/audit';
import { ERROR_CODES } from '../../enforcement-point/src/messages';
import { MemoryAuditLog } from '../../lambda/authorizer/audit';
import { DEFAULT_CONFIG, mergeConfig, parseConfig, type PerimeterConfigInput } from '../../lib/config';
import type { AccessLogEntry } from '../../lib/local/local-gateway';
import { type LocalPerimeter, startLocalPerimeter } from '../../lib/local/local-perimeter';
import { type NaiveMcpServer, startNaiveMcpServer } from './naive-mcp-server';

async function refusal(promise: Promise<unknown>): Promise<(Error & { code?: number }) | undefined> {
  return promise.then(() => undefined, (error: Error & { code?: number }) => error);
}

const START = Date.parse('2030-06-01T12:00:00Z');
let perimeter: LocalPerimeter;
let naive: NaiveMcpServer;
let clock: number;
let audit: AuditEvent[];
let access: AccessLogEntry[];
const clients: Client[] = [];

async function start(overrides: Partial<PerimeterConfigInput> = {}, server: { json?: boolean } = {}): Promise<void> {
  clock = START;
  audit = [];
  access = [];
  naive = await startNaiveMcpServer(server);
  perimeter = await startLocalPerimeter({
    config: parseConfig(mergeConfig(DEFAULT_CONFIG, overrides), 'e2e'),
    tokenDirectory: join(mkdtempSync(join(tmpdir(), 'pep-tokens-')), 'tokens'),
    upstream: new URL(naive.url),
    authorizerAudit: new MemoryAuditLog(),
    enforcementPointAudit: (e) => audit.push(e),
    accessLog: (e) => access.push(e),
    errorLog: () => undefined,
    now: () => clock,
  });
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await perimeter?.close();
  await naive?.close();
});

async function connect(role: string, agentId = `${role}-1`): Promise<Client> {
  const { token } = await perimeter.tokens.issue({ agentId, role, scopes: [], prefix: 'mcp_', lifetimeHours: 24 * 30 });
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${perimeter.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  clients.push(client);
  return client;
}

/** Raw tokens by role, issued before the first call (the authorizer loads records at its refresh). */
let rawTokens: Record<string, string>;

async function issueRaw(...roles: string[]): Promise<void> {
  rawTokens = {};
  for (const role of roles) rawTokens[role] = (await perimeter.tokens.issue({ agentId: `${role}-raw`, role, scopes: [], prefix: 'mcp_', lifetimeHours: 24 * 30 })).token;
}

async function post(role: string, body: string): Promise<{ status: number; json: unknown }> {
  const token = rawTokens[role];
  const res = await fetch(`${perimeter.url}/mcp`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
}

const names = (list: { tools: Array<{ name: string }> }) => list.tools.map((t) => t.name).sort();

test.each([['SSE', false], ['JSON', true]])('RBAC-2: a reader does not see write tools listed and cannot call them; the naive server never sees the call (%s answers)', async (_form, json) => {
  // GIVEN the naive server behind the perimeter
  await start({}, { json });
  const reader = await connect('reader');
  // WHEN
  const listed = await reader.listTools();
  const read = await reader.callTool({ name: 'search_docs', arguments: { q: 'x' } });
  const write = await refusal(reader.callTool({ name: 'write_doc', arguments: { text: 'x' } }));
  const unannotated = await refusal(reader.callTool({ name: 'delete_doc', arguments: {} }));
  // THEN
  expect(names(listed)).toEqual(['search_docs']);
  expect(read.content).toEqual([{ type: 'text', text: 'done: search_docs' }]);
  expect(write).toMatchObject({ code: ERROR_CODES.FORBIDDEN });
  expect(unannotated).toMatchObject({ code: ERROR_CODES.FORBIDDEN });
  expect(naive.calls.map((c) => c.name)).toEqual(['search_docs']);
});

test('RBAC-2: an agent sees and calls the write tools', async () => {
  await start();
  const agent = await connect('agent');
  const listed = await agent.listTools();
  const write = await agent.callTool({ name: 'write_doc', arguments: { text: 'x' } });
  expect(names(listed)).toEqual(['delete_doc', 'search_docs', 'write_doc']);
  expect(write.content).toEqual([{ type: 'text', text: 'done: write_doc' }]);
  expect(naive.calls.map((c) => c.name)).toEqual(['write_doc']);
});

test('RBAC-2: a task that never saw a tools/list classifies a tool from the server itself, and rbac.tools wins over annotations', async () => {
  // GIVEN search_docs named as a write tool in the config, and no tools/list through this enforcement point yet
  await start({ rbac: { tools: { permissions: { 'search_*': 'write' } } } });
  const reader = await connect('reader');
  // WHEN the reader calls before listing
  const configured = await refusal(reader.callTool({ name: 'search_docs', arguments: {} }));
  const annotated = await refusal(reader.callTool({ name: 'write_doc', arguments: {} }));
  // THEN search_docs needs write (config), write_doc needs write (annotations, looked up)
  expect(configured).toMatchObject({ code: ERROR_CODES.FORBIDDEN });
  expect(annotated).toMatchObject({ code: ERROR_CODES.FORBIDDEN });
  expect(audit.filter((e) => e.event === 'tool.call').map((e) => [e.tool, e.classifiedBy, e.reason])).toEqual([
    ['search_docs', 'config', 'missing_permission'],
    ['write_doc', 'annotations', 'missing_permission'],
  ]);
  expect(naive.calls).toEqual([]);
});

test('RBAC-2: a tool the server serves but never listed is refused until the server lists it, then classified by its annotations', async () => {
  // GIVEN an agent that listed the tools
  await start();
  const agent = await connect('agent');
  await agent.listTools();
  // WHEN it calls a tool the naive server accepts but does not list
  const hidden = await refusal(agent.callTool({ name: 'purge_all', arguments: {} }));
  // AND the server adds it to its list later, annotated read-only
  naive.catalogue.push({ name: 'purge_all', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } });
  clock += 1_000;
  const listedLater = await agent.callTool({ name: 'purge_all', arguments: {} });
  // THEN
  expect(hidden).toMatchObject({ code: ERROR_CODES.FORBIDDEN });
  expect(audit.find((e) => e.tool === 'purge_all')).toMatchObject({ decision: 'deny', reason: 'tool_unclassified' });
  expect(listedLater.content).toEqual([{ type: 'text', text: 'done: purge_all' }]);
  expect(naive.calls.map((c) => c.name)).toEqual(['purge_all']);
});

test('EDGE-2: the 31st write tool call of an agent in a minute is refused with 429 and Retry-After here; reads go on', async () => {
  // GIVEN docrunch's 30 writes per minute per agent
  await start({ rateLimits: { writesPerCredentialPerMinute: 30 } });
  const agent = await connect('agent');
  await agent.listTools();
  // WHEN
  for (let i = 0; i < 30; i++) await agent.callTool({ name: 'write_doc', arguments: { i } });
  const thirtyFirst = await refusal(agent.callTool({ name: 'write_doc', arguments: { i: 30 } }));
  const read = await agent.callTool({ name: 'search_docs', arguments: {} });
  clock += 60_000;
  const nextMinute = await agent.callTool({ name: 'write_doc', arguments: { i: 31 } });
  // THEN
  expect(thirtyFirst).toMatchObject({ code: 429 });
  expect(audit.filter((e) => e.reason === 'write_limit')).toHaveLength(1);
  expect(read.content).toEqual([{ type: 'text', text: 'done: search_docs' }]);
  expect(nextMinute.content).toEqual([{ type: 'text', text: 'done: write_doc' }]);
  expect(naive.calls.filter((c) => c.name === 'write_doc')).toHaveLength(31);
});

test('EDGE-2: the write limit answers 429 with Retry-After and a JSON-RPC error body', async () => {
  await start({ rateLimits: { writesPerCredentialPerMinute: 10 } });
  await issueRaw('agent');
  const token = rawTokens.agent;
  const call = (id: number) => fetch(`${perimeter.url}/mcp`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'write_doc', arguments: {} } }),
  });
  await post('agent', JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'tools/list' }));
  for (let i = 0; i < 10; i++) await (await call(i)).text();
  clock += 20_000;
  const over = await call(10);
  expect(over.status).toBe(429);
  expect(over.headers.get('retry-after')).toBe('40');
  expect(await over.json()).toEqual({ jsonrpc: '2.0', id: 10, error: { code: ERROR_CODES.WRITE_LIMITED, message: 'Too many write tool calls; retry later' } });
});

test('AUDIT-1: one audit event per tool-call decision, with identity, tool, reason and argument size, never argument values', async () => {
  await start();
  const reader = await connect('reader', 'reader-9');
  await reader.listTools();
  const secret = 'SECRET-ARGUMENT-VALUE-4242';
  await reader.callTool({ name: 'search_docs', arguments: { q: secret } });
  await refusal(reader.callTool({ name: 'write_doc', arguments: { text: secret } }));
  const calls = audit.filter((e) => e.event === 'tool.call');
  expect(calls).toEqual([
    expect.objectContaining({ agentId: 'reader-9', role: 'reader', tool: 'search_docs', decision: 'allow', reason: 'granted', argumentBytes: JSON.stringify({ q: secret }).length, status: 200 }),
    expect.objectContaining({ agentId: 'reader-9', role: 'reader', tool: 'write_doc', decision: 'deny', reason: 'missing_permission', permission: 'write', argumentBytes: JSON.stringify({ text: secret }).length }),
  ]);
  for (const e of calls) {
    // the gateway's request id, as in its access log and the authorizer's events
    expect(access.map((a) => a.requestId)).toContain(e.requestId);
    expect(e.durationMs).toBeGreaterThanOrEqual(0);
  }
  expect(JSON.stringify(audit)).not.toContain(secret);
});

test('RBAC-3: in read-only mode every non-read tool is off, even for a permission read-only mode keeps', async () => {
  await start({ auth: { readOnly: true }, rbac: { tools: { permissions: { 'admin_*': 'admin' } } } });
  naive.catalogue.push({ name: 'admin_reset', inputSchema: { type: 'object' } });
  const admin = await connect('admin');
  const listed = await admin.listTools();
  const reset = await refusal(admin.callTool({ name: 'admin_reset', arguments: {} }));
  expect(names(listed)).toEqual(['search_docs']);
  expect(reset).toMatchObject({ code: ERROR_CODES.FORBIDDEN });
  expect(audit.find((e) => e.tool === 'admin_reset')).toMatchObject({ reason: 'read_only' });
  expect(naive.calls).toEqual([]);
});

test('RBAC-2: malformed JSON-RPC gets parse or invalid-request errors and never reaches the server', async () => {
  await start();
  await issueRaw('agent');
  const notJson = await post('agent', '{"jsonrpc":');
  const notRpc = await post('agent', JSON.stringify({ hello: 'world' }));
  const noName = await post('agent', JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { arguments: {} } }));
  const empty = await post('agent', '[]');
  const callAsNotification = await post('agent', JSON.stringify({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'write_doc', arguments: {} } }));
  expect(notJson).toEqual({ status: 400, json: { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } } });
  expect(notRpc).toEqual({ status: 400, json: { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request' } } });
  expect(noName).toEqual({ status: 400, json: { jsonrpc: '2.0', id: 7, error: { code: -32602, message: 'Invalid params' } } });
  expect(empty).toMatchObject({ status: 400, json: { error: { code: -32600 } } });
  expect(callAsNotification).toEqual({ status: 400, json: { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request' } } });
  expect(naive.methods).toEqual([]);
  expect(audit.map((e) => e.reason)).toEqual(['parse_error', 'invalid_request', 'invalid_params', 'invalid_request', 'invalid_request']);
});

test('RBAC-2: a batch is checked element by element and refused whole: nothing of it reaches the server', async () => {
  await start();
  await issueRaw('agent', 'reader');
  await post('agent', JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'tools/list' }));
  const readerBatch = await post('reader', JSON.stringify([
    { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_docs', arguments: {} } },
    { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'write_doc', arguments: {} } },
  ]));
  const agentBatch = await post('agent', JSON.stringify([
    { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'write_doc', arguments: {} } },
  ]));
  expect(readerBatch).toEqual({ status: 200, json: [
    { jsonrpc: '2.0', id: 1, error: { code: ERROR_CODES.FORBIDDEN, message: 'Not executed: another message of the batch was refused' } },
    { jsonrpc: '2.0', id: 2, error: { code: ERROR_CODES.FORBIDDEN, message: 'Forbidden' } },
  ] });
  expect(agentBatch).toEqual({ status: 200, json: [{ jsonrpc: '2.0', id: 3, error: { code: ERROR_CODES.FORBIDDEN, message: 'Write tool calls cannot be batched: send each on its own' } }] });
  expect(naive.calls).toEqual([]);
});

test('AUTH-7: forged identity headers grant no tool: the enforcement point reads the gateway\'s identity, and audits the token\'s agent', async () => {
  await start();
  const { token } = await perimeter.tokens.issue({ agentId: 'reader-7', agentType: 'assistant', role: 'reader', scopes: [], prefix: 'mcp_', lifetimeHours: 24 * 30 });
  const forged = { 'X-Mcp-Role': 'admin', 'X-Mcp-Permissions': 'read write admin', 'X-Mcp-Agent-Id': 'root' };
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${perimeter.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}`, ...forged } } }));
  clients.push(client);
  const listed = await client.listTools();
  const write = await refusal(client.callTool({ name: 'write_doc', arguments: {} }));
  expect(names(listed)).toEqual(['search_docs']);
  expect(write).toMatchObject({ code: ERROR_CODES.FORBIDDEN });
  expect(audit.find((e) => e.tool === 'write_doc')).toMatchObject({ agentId: 'reader-7', agentType: 'assistant', role: 'reader', decision: 'deny' });
  expect(naive.calls).toEqual([]);
});

test('AUTH-7: a request that reaches the enforcement point without the gateway\'s identity is refused and audited', async () => {
  await start();
  const res = await fetch(`${perimeter.enforcementPoint!.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search_docs', arguments: {} } }),
  });
  expect(res.status).toBe(403);
  expect(await res.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: ERROR_CODES.FORBIDDEN, message: 'Forbidden' } });
  expect(audit).toEqual([expect.objectContaining({ event: 'mcp.request', decision: 'deny', reason: 'no_identity' })]);
  expect(naive.methods).toEqual([]);
});

test('RBAC-2: token scopes narrow tools as they narrow routes: a read-only scope on a full role sees and calls read tools only', async () => {
  // GIVEN docker-mcp's model: one role, scopes per token
  await start({ rbac: { roles: { client: ['read', 'write', 'admin'] }, scopes: { 'read-only': ['read'], 'read-write': ['read', 'write'] } } });
  // Both tokens exist before the first call: the authorizer loads records at its refresh.
  const tokens = {
    'ro-1': (await perimeter.tokens.issue({ agentId: 'ro-1', role: 'client', scopes: ['read-only'], prefix: 'mcp_', lifetimeHours: 24 * 30 })).token,
    'rw-1': (await perimeter.tokens.issue({ agentId: 'rw-1', role: 'client', scopes: ['read-write'], prefix: 'mcp_', lifetimeHours: 24 * 30 })).token,
  };
  const connectAs = async (agentId: 'ro-1' | 'rw-1') => {
    const token = tokens[agentId];
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${perimeter.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    clients.push(client);
    return client;
  };
  const readOnly = await connectAs('ro-1');
  const readWrite = await connectAs('rw-1');
  // WHEN
  const roList = await readOnly.listTools();
  const roWrite = await refusal(readOnly.callTool({ name: 'write_doc', arguments: {} }));
  const rwList = await readWrite.listTools();
  const rwWrite = await readWrite.callTool({ name: 'write_doc', arguments: {} });
  // THEN
  expect(names(roList)).toEqual(['search_docs']);
  expect(roWrite).toMatchObject({ code: ERROR_CODES.FORBIDDEN });
  expect(names(rwList)).toEqual(['delete_doc', 'search_docs', 'write_doc']);
  expect(rwWrite.content).toEqual([{ type: 'text', text: 'done: write_doc' }]);
  expect(naive.calls.map((c) => c.name)).toEqual(['write_doc']);
});
