/**
 * End to end with the MCP SDK on both sides: a tool call that runs longer than the gateway's
 * integration timeout streams through the local gateway on the MCP route, within
 * `streamingTimeoutSeconds`, and is cut past it. The timeouts are shortened (0.3 s, 3 s, 0.5 s) so the
 * test stands for 29 s and 5 minutes without waiting for them.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createLocalGateway } from '../../lib/local/local-gateway';

const API = 'arn:aws:execute-api:local:000000000000:local/local';
let upstream: Server;
let gateway: Server | undefined;
const clients: Client[] = [];

/** A stateless MCP server with one tool that works for `ms` milliseconds, reporting progress every 100 ms. */
function slowServer(): Server {
  return createServer(async (req, res) => {
    const mcp = new McpServer({ name: 'slow', version: '1.0.0' });
    mcp.tool('slow', 'works for a while', async (extra) => {
      const token = extra._meta?.progressToken;
      for (let i = 1; i <= 10; i++) {
        await new Promise((r) => setTimeout(r, 100));
        if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: 10 } });
      }
      return { content: [{ type: 'text', text: 'done' }] };
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => { void transport.close(); void mcp.close(); });
    await mcp.connect(transport);
    await transport.handleRequest(req, res);
  });
}

beforeEach(async () => {
  upstream = slowServer();
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of [gateway, upstream]) {
    if (!s) continue;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  gateway = undefined;
});

async function callSlowTool(streamingTimeoutSeconds: number, clientTimeoutMs = 10_000): Promise<{ text?: string; error?: Error; progress: number }> {
  gateway = createLocalGateway({
    authorize: async () => ({ principalId: 'agent-1', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [`${API}/*`] }] }, context: {} }),
    upstream: new URL(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`),
    identitySources: [],
    cacheTtlSeconds: 0,
    credentialHeaders: ['authorization'],
    identityHeaders: {},
    errorLog: () => undefined,
    routePaths: ['/mcp'],
    streamingPaths: ['/mcp'],
    integrationTimeoutSeconds: 0.3,
    streamingTimeoutSeconds,
  });
  gateway.listen(0, '127.0.0.1');
  await once(gateway, 'listening');
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${(gateway.address() as AddressInfo).port}/mcp`)));
  clients.push(client);
  let progress = 0;
  try {
    const result = await client.callTool({ name: 'slow', arguments: {} }, undefined, { onprogress: () => { progress++; }, timeout: clientTimeoutMs });
    return { text: (result.content as Array<{ text: string }>)[0].text, progress };
  } catch (error) {
    return { error: error as Error, progress };
  }
}

test('a tool call longer than the integration timeout streams to the end within streamingTimeoutSeconds', async () => {
  const outcome = await callSlowTool(3);
  expect(outcome.error).toBeUndefined();
  expect(outcome.text).toBe('done');
  expect(outcome.progress).toBe(10);
});

test('a tool call longer than streamingTimeoutSeconds is cut, as API Gateway cuts it', async () => {
  const outcome = await callSlowTool(0.5, 3000);
  expect(outcome.text).toBeUndefined();
  expect(outcome.error).toBeDefined();
  expect(outcome.progress).toBeLessThan(10);
});
