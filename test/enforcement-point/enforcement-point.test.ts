/**
 * The enforcement point's HTTP behaviour in front of a raw upstream (no gateway): GET streams, the
 * health path, other paths, and what reaches the upstream.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditEvent } from '../../enforcement-point/src/audit';
import { createEnforcementPoint } from '../../enforcement-point/src/enforcement-point';
import { ToolPolicy } from '../../enforcement-point/src/policy';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const READER = { 'x-mcp-agent-id': 'reader-1', 'x-mcp-agent-type': 'assistant', 'x-mcp-role': 'reader', 'x-mcp-permissions': 'read', 'x-mcp-scopes': '' };
const LIST = { jsonrpc: '2.0', id: 5, result: { tools: [{ name: 'search_docs', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }, { name: 'write_doc', inputSchema: { type: 'object' } }] } };

async function setup(): Promise<{ url: string; seen: Array<{ method?: string; url?: string; headers: Record<string, unknown> }>; audit: AuditEvent[] }> {
  const seen: Array<{ method?: string; url?: string; headers: Record<string, unknown> }> = [];
  const upstream = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    if (req.method === 'GET' && req.url === '/mcp') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`id: 1\nevent: message\ndata: ${JSON.stringify(LIST)}\n\n`);
      return; // the stream stays open
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`ok ${req.url}`);
  });
  const audit: AuditEvent[] = [];
  const pep = createEnforcementPoint({
    upstream: new URL(await listen(upstream)),
    policy: new ToolPolicy({ readPermission: 'read', writePermission: 'write', tools: {}, methods: {}, readOnly: false }),
    mcpPaths: ['/mcp'],
    healthPath: '/mcp/health',
    audit: (e) => audit.push(e),
    errorLog: () => undefined,
  });
  return { url: await listen(pep), seen, audit };
}

test('RBAC-2: a GET stream (SSE) is filtered event by event while it stays open', async () => {
  const { url } = await setup();
  const controller = new AbortController();
  const res = await fetch(`${url}/mcp`, { headers: { ...READER, accept: 'text/event-stream' }, signal: controller.signal });
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  controller.abort();
  const text = new TextDecoder().decode(value);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  expect(text).toBe(`event: message\nid: 1\ndata: ${JSON.stringify({ ...LIST, result: { tools: [LIST.result.tools[0]] } })}\n\n`);
});

test('WORK-2: the health path inside the MCP path and other paths pass without identity; the MCP path does not', async () => {
  const { url, seen, audit } = await setup();
  const health = await fetch(`${url}/mcp/health`);
  const other = await fetch(`${url}/api/items`);
  const mcp = await fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect([health.status, await health.text()]).toEqual([200, 'ok /mcp/health']);
  expect([other.status, await other.text()]).toEqual([200, 'ok /api/items']);
  expect(mcp.status).toBe(403);
  expect(seen.map((s) => s.url)).toEqual(['/mcp/health', '/api/items']);
  expect(audit.map((e) => e.reason)).toEqual(['no_identity']);
});

test('RBAC-2: the upstream gets the identity headers and an uncompressed answer is asked for; other MCP methods answer 405', async () => {
  const { url, seen } = await setup();
  const res = await fetch(`${url}/mcp/session`, { method: 'DELETE', headers: { ...READER, 'accept-encoding': 'gzip' } });
  const put = await fetch(`${url}/mcp`, { method: 'PUT', headers: READER, body: '{}' });
  expect(res.status).toBe(200);
  expect(seen[0].headers).toMatchObject({ 'x-mcp-agent-id': 'reader-1', 'x-mcp-permissions': 'read' });
  expect(seen[0].headers['accept-encoding']).toBeUndefined();
  expect(put.status).toBe(405);
  expect(seen).toHaveLength(1);
});

test('RBAC-4: unknown tool names cost the server at most one shared tools/list lookup a second, and a failed lookup allows nothing', async () => {
  // GIVEN an upstream that counts tools/list requests and lists only search_docs
  let lists = 0;
  let failing = false;
  const upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const message = JSON.parse(body) as { id: string; method: string };
      if (message.method === 'tools/list') {
        lists++;
        if (failing) {
          res.writeHead(500).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { tools: [LIST.result.tools[0]] } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [] } }));
    });
  });
  let now = 0;
  const audit: AuditEvent[] = [];
  const pep = createEnforcementPoint({
    upstream: new URL(await listen(upstream)),
    policy: new ToolPolicy({ readPermission: 'read', writePermission: 'write', tools: {}, methods: {}, readOnly: false }),
    audit: (e) => audit.push(e),
    errorLog: () => undefined,
    now: () => now,
  });
  const url = await listen(pep);
  const call = (name: string) => fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { ...READER, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } }),
  }).then((r) => r.json() as Promise<{ error?: { code: number } }>);
  // WHEN five callers name random tools at once, then another within the second
  const first = await Promise.all(['x1', 'x2', 'x3', 'x4', 'search_docs'].map(call));
  const again = await call('x5');
  // AND after a second, with the server failing
  now += 1_000;
  failing = true;
  const afterFailure = await call('x6');
  // THEN
  expect(lists).toBe(2);
  expect(first.map((a) => a.error?.code)).toEqual([-32003, -32003, -32003, -32003, undefined]);
  expect(again.error?.code).toBe(-32003);
  expect(afterFailure.error?.code).toBe(-32003);
  expect(audit.filter((e) => e.reason === 'tool_unclassified')).toHaveLength(6);
});

test('the keep-alive outlasts the load balancer\'s idle timeout (the streaming limit), so it never reuses a closed connection', () => {
  const policy = new ToolPolicy({ readPermission: 'read', writePermission: 'write', tools: {}, methods: {}, readOnly: false });
  const server = createEnforcementPoint({ upstream: new URL('http://127.0.0.1:1'), policy, streamingTimeoutSeconds: 300 });
  expect(server.keepAliveTimeout).toBe(305_000);
  expect(server.headersTimeout).toBeLessThanOrEqual(server.requestTimeout);
  expect(server.timeout).toBe(0);
});
