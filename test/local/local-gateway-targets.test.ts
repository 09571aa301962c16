import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalGateway } from '../../lib/local/local-gateway';

const IDENTITY = { 'X-Mcp-Agent-Id': 'agentId' };
const BEARER = 'Bearer mcp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const servers: Server[] = [];
let upstreamSeen: string[];
let otherSeen: string[];

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Sends a raw request target (no client-side normalization) and resolves with the status code. */
function send(port: number, method: string, target: string, headers: Record<string, string> = { Authorization: BEARER }): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: target, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

let gatewayPort: number;
let otherPort: number;
let authorizerCalls: number;

beforeEach(async () => {
  upstreamSeen = [];
  otherSeen = [];
  authorizerCalls = 0;
  const upstreamPort = await listen(createServer((req, res) => {
    upstreamSeen.push(req.url ?? '');
    res.end('upstream');
  }));
  otherPort = await listen(createServer((req, res) => {
    otherSeen.push(req.url ?? '');
    res.end('other');
  }));
  gatewayPort = await listen(createLocalGateway({
    authorize: async (event) => {
      authorizerCalls++;
      return { principalId: 'a', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [event.methodArn] }] }, context: { agentId: 'a' } };
    },
    upstream: new URL(`http://127.0.0.1:${upstreamPort}`),
    identitySources: [],
    cacheTtlSeconds: 0,
    credentialHeaders: ['authorization'],
    routePaths: ['/mcp', '/admin'],
    identityHeaders: IDENTITY,
    errorLog: () => undefined,
  }));
});

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

test('the local gateway forwards to its configured upstream only: an absolute-form target to another host is refused (400)', async () => {
  // WHEN
  const status = await send(gatewayPort, 'GET', `http://127.0.0.1:${otherPort}/mcp`);
  // THEN
  expect(status).toBe(400);
  expect(otherSeen).toEqual([]);
  expect(upstreamSeen).toEqual([]);
  expect(authorizerCalls).toBe(0);
});

test.each([['*'], ['mcp'], [`http://127.0.0.1:1/mcp`]])('the request target %s (not origin-form) is refused with 400', async (target) => {
  expect(await send(gatewayPort, 'GET', target)).toBe(400);
  expect(upstreamSeen).toEqual([]);
});

test('CONNECT (authority-form) opens no tunnel: the connection is closed', async () => {
  await expect(send(gatewayPort, 'CONNECT', `127.0.0.1:${otherPort}`)).rejects.toThrow(/socket hang up|ECONNRESET/);
  expect(otherSeen).toEqual([]);
});

test.each([
  ['/mcp/../admin/users'], ['/mcp/./x'], ['/mcp/..'], ['//admin'], ['/mcp//x'], ['/mcp/%2e%2e/admin'], ['/mcp/%2E%2E/admin'], ['/mcp/..%2Fadmin'], ['/mcp/%5c..%5cadmin'], ['/mcp\\..\\admin'], ['/mcp/%252e%252e/admin'],
])('RBAC-4: the path %s is refused (400), never normalized into another route', async (target) => {
  expect(await send(gatewayPort, 'GET', target)).toBe(400);
  expect(upstreamSeen).toEqual([]);
  expect(authorizerCalls).toBe(0);
});

test.each([['/mcp?access_token=x'], ['/mcp?auth_token=x'], ['/mcp?x_api_key=1'], ['/mcp?credentials=1'], ['/mcp?state=mcp_AbCdEfGhIjKlMnOpQr'], ['/mcp?a=1&Access%5FToken=x']])(
  'EDGE-3: the query %s is refused (400) as the WAF refuses it, before the authorizer',
  async (target) => {
    expect(await send(gatewayPort, 'GET', target)).toBe(400);
    expect(authorizerCalls).toBe(0);
  },
);

test('a canonical request reaches the upstream with its raw path and query', async () => {
  expect(await send(gatewayPort, 'GET', '/mcp/a.b/c?page=2')).toBe(200);
  expect(upstreamSeen).toEqual(['/mcp/a.b/c?page=2']);
});
