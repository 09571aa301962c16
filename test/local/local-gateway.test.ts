import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { type AuthorizeFunction, createLocalGateway, type LocalGatewayProps } from '../../lib/local/local-gateway';

const API = 'arn:aws:execute-api:local:000000000000:local/local';
const EDGE_4_GATEWAY = ['strict-transport-security', 'content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'permissions-policy'];

let upstream: Server;
let gateway: Server | undefined;
let seen: IncomingHttpHeaders[];
let finishStream: () => void;

beforeEach(async () => {
  seen = [];
  upstream = createServer((req, res) => {
    seen.push(req.headers);
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      finishStream = () => res.end('data: second\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
  });
  await listen(upstream);
});

afterEach(async () => {
  for (const s of [gateway, upstream]) {
    if (!s) continue;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  gateway = undefined;
});

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startGateway(authorize: AuthorizeFunction, props: Partial<LocalGatewayProps> = {}): Promise<string> {
  gateway = createLocalGateway({
    authorize,
    upstream: new URL(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`),
    identitySources: ['Authorization'],
    cacheTtlSeconds: 300,
    credentialHeaders: ['authorization', 'x-access-token'],
    identityHeaders: IDENTITY,
    errorLog: () => undefined,
    ...props,
  });
  return listen(gateway);
}

function allowOnly(resources: string[], context: Record<string, unknown> = {}) {
  return { principalId: 'agent-1', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resources }] }, context };
}

const IDENTITY = { 'X-Mcp-Agent-Id': 'agentId', 'X-Mcp-Agent-Type': 'agentType', 'X-Mcp-Role': 'role', 'X-Mcp-Scopes': 'scopes', 'X-Mcp-Permissions': 'permissions' };
const bearer = { Authorization: 'Bearer mcp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' };

test('AUTH-1: a request without the identity source gets 401 with the resource-metadata challenge, and the authorizer is not called', async () => {
  // GIVEN
  const authorize = jest.fn<Promise<unknown>, [APIGatewayRequestAuthorizerEvent]>();
  const base = await startGateway(authorize);
  // WHEN
  const res = await fetch(`${base}/mcp`, { method: 'POST', body: '{}' });
  // THEN
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${base}/.well-known/oauth-protected-resource"`);
  expect(await res.json()).toEqual({ message: 'Unauthorized', requestId: res.headers.get('x-amzn-requestid') });
  expect(authorize).not.toHaveBeenCalled();
  expect(seen).toHaveLength(0);
});

test('AUTH-1: the authorizer throwing Unauthorized gives 401; any other failure gives a generic 500 (EDGE-7)', async () => {
  // GIVEN
  const base = await startGateway(async (event) => {
    throw new Error(event.headers?.Authorization === bearer.Authorization ? 'Unauthorized' : 'SSM GetParametersByPath timed out at arn:aws:ssm:…');
  });
  // WHEN
  const unauthorized = await fetch(`${base}/mcp`, { method: 'POST', headers: bearer });
  const failed = await fetch(`${base}/mcp`, { method: 'POST', headers: { Authorization: 'Bearer other' } });
  // THEN
  expect(unauthorized.status).toBe(401);
  expect(unauthorized.headers.get('www-authenticate')).toMatch(/^Bearer resource_metadata=/);
  expect(failed.status).toBe(500);
  expect(await failed.json()).toEqual({ message: 'Internal error', requestId: expect.any(String) });
});

test('EDGE-4: responses the gateway makes itself carry every security header', async () => {
  // GIVEN
  const base = await startGateway(async () => allowOnly([`${API}/POST/mcp`]));
  // WHEN
  const responses = [
    await fetch(`${base}/mcp`, { method: 'POST' }),
    await fetch(`${base}/admin`, { method: 'POST', headers: bearer }),
    await fetch(`${base}/.well-known/oauth-protected-resource`),
  ];
  // THEN
  expect(responses.map((r) => r.status)).toEqual([401, 403, 200]);
  for (const res of responses) for (const h of EDGE_4_GATEWAY) expect(res.headers.get(h)).toBeTruthy();
});

test('EDGE-4: proxied responses carry HSTS, CSP, nosniff, frame, referrer and permissions headers', async () => {
  // GIVEN
  const base = await startGateway(async () => allowOnly([`${API}/*`]));
  // WHEN
  const res = await fetch(`${base}/mcp`, { method: 'POST', headers: bearer });
  // THEN
  expect(res.status).toBe(200);
  for (const h of EDGE_4_GATEWAY) expect(res.headers.get(h)).toBeTruthy();
});

test('RBAC-2: a route the policy does not allow gets 403 and never reaches the server', async () => {
  // GIVEN
  const base = await startGateway(async () => allowOnly([`${API}/*/mcp`]));
  // WHEN
  const res = await fetch(`${base}/admin/users`, { method: 'DELETE', headers: bearer });
  // THEN
  expect(res.status).toBe(403);
  expect(await res.json()).toEqual({ message: 'Forbidden', requestId: expect.any(String) });
  expect(seen).toHaveLength(0);
});

test('the cached answer is reused across routes, as in API Gateway: a policy for the first route only denies the next', async () => {
  // GIVEN an authorizer that (wrongly) allows only the route it was called for
  const authorize = jest.fn(async (event: APIGatewayRequestAuthorizerEvent) => allowOnly([event.methodArn]));
  const base = await startGateway(authorize, { cacheTtlSeconds: 300 });
  // WHEN
  const first = await fetch(`${base}/mcp`, { method: 'POST', headers: bearer });
  const second = await fetch(`${base}/api/items`, { method: 'GET', headers: bearer });
  // THEN
  expect(first.status).toBe(200);
  expect(second.status).toBe(403);
  expect(authorize).toHaveBeenCalledTimes(1);
});

test('with a TTL of 0 the authorizer is called for every request', async () => {
  // GIVEN
  const authorize = jest.fn(async (event: APIGatewayRequestAuthorizerEvent) => allowOnly([event.methodArn]));
  const base = await startGateway(authorize, { cacheTtlSeconds: 0 });
  // WHEN
  const first = await fetch(`${base}/mcp`, { method: 'POST', headers: bearer });
  const second = await fetch(`${base}/api/items`, { method: 'GET', headers: bearer });
  // THEN
  expect([first.status, second.status]).toEqual([200, 200]);
  expect(authorize).toHaveBeenCalledTimes(2);
});

test('the authorizer gets the API Gateway REQUEST event: method ARN, headers as sent, query, request context', async () => {
  // GIVEN
  const authorize = jest.fn(async (_event: APIGatewayRequestAuthorizerEvent) => allowOnly([`${API}/*`]));
  const base = await startGateway(authorize);
  // WHEN
  await fetch(`${base}/mcp/x?tag=a&tag=b`, { method: 'POST', headers: { ...bearer, 'User-Agent': 'test-agent/1' } });
  // THEN
  const event = authorize.mock.calls[0][0];
  expect(event).toMatchObject({
    type: 'REQUEST',
    methodArn: `${API}/POST/mcp/x`,
    httpMethod: 'POST',
    path: '/mcp/x',
    headers: expect.objectContaining({ Authorization: bearer.Authorization }),
    queryStringParameters: { tag: 'b' },
    multiValueQueryStringParameters: { tag: ['a', 'b'] },
    requestContext: expect.objectContaining({ stage: 'local', requestId: expect.any(String), identity: expect.objectContaining({ sourceIp: '127.0.0.1', userAgent: 'test-agent/1' }) }),
  });
});

test('AUTH-7: identity headers come only from the authorizer context; client copies and credentials never reach the server', async () => {
  // GIVEN an authorizer granting the role agent
  const base = await startGateway(async () => allowOnly([`${API}/*`], { agentId: 'agent-1', agentType: 'assistant', role: 'agent', permissions: 'read write', scopes: '' }));
  // WHEN a client sends its own identity headers and an extra X-Mcp-* header
  await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { ...bearer, 'X-Mcp-Role': 'admin', 'X-Mcp-Permissions': 'read write admin', 'X-Mcp-Debug': 'on', 'X-Access-Token': 'mcp_other' },
  });
  // THEN
  const headers = seen[0];
  expect(headers['x-mcp-role']).toBe('agent');
  expect(headers['x-mcp-permissions']).toBe('read write');
  expect(headers['x-mcp-agent-id']).toBe('agent-1');
  expect(headers['x-mcp-debug']).toBeUndefined();
  expect(headers.authorization).toBeUndefined();
  expect(headers['x-access-token']).toBeUndefined();
  expect(headers['x-request-id']).toEqual(expect.any(String));
});

test('AUTH-7: a context without an identity key sends no header for it (a client copy is still dropped)', async () => {
  // GIVEN
  const base = await startGateway(async () => allowOnly([`${API}/*`], { agentId: 'agent-1' }));
  // WHEN
  await fetch(`${base}/mcp`, { method: 'POST', headers: { ...bearer, 'X-Mcp-Role': 'admin' } });
  // THEN
  expect(seen[0]['x-mcp-role']).toBeUndefined();
});

test('fails an authorizer answer API Gateway would refuse with a generic 500', async () => {
  // GIVEN an answer whose context holds a list
  const errors: string[] = [];
  const base = await startGateway(async () => allowOnly([`${API}/*`], { scopes: ['read'] }), { errorLog: (m) => errors.push(m) });
  // WHEN
  const res = await fetch(`${base}/mcp`, { method: 'POST', headers: bearer });
  // THEN
  expect(res.status).toBe(500);
  expect(await res.json()).toEqual({ message: 'Internal error', requestId: expect.any(String) });
  expect(errors[0]).toMatch(/context\.scopes must be a string, number or boolean/);
});

test('WORK-2: the health path is proxied without calling the authorizer', async () => {
  // GIVEN
  const authorize = jest.fn<Promise<unknown>, [APIGatewayRequestAuthorizerEvent]>();
  const base = await startGateway(authorize);
  // WHEN
  const res = await fetch(`${base}/health`);
  // THEN
  expect(res.status).toBe(200);
  expect(authorize).not.toHaveBeenCalled();
});

test('SSE is streamed: the first event reaches the client while the server is still writing', async () => {
  // GIVEN a server that sends one event and then waits until the test lets it finish
  const base = await startGateway(async () => allowOnly([`${API}/*`]));
  // WHEN
  const res = await fetch(`${base}/stream`, { headers: bearer });
  const reader = res.body!.getReader();
  let timer: NodeJS.Timeout | undefined;
  const buffered = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('the first event was buffered')), 5000); });
  const first = await Promise.race([reader.read(), buffered]).finally(() => clearTimeout(timer));
  finishStream();
  let rest = '';
  for (let r = await reader.read(); !r.done; r = await reader.read()) rest += Buffer.from(r.value).toString();
  // THEN
  expect(Buffer.from(first.value!).toString()).toBe('data: first\n\n');
  expect(rest).toBe('data: second\n\n');
});

test('RBAC-4: a path outside the API routes gets 404 without calling the authorizer, as API Gateway has no resource for it', async () => {
  // GIVEN an API with the /mcp routes only
  const authorize = jest.fn(async () => allowOnly([`${API}/*`]));
  const base = await startGateway(authorize, { routePaths: ['/mcp'] });
  // WHEN
  const outside = await fetch(`${base}/mcpx`, { method: 'POST', headers: bearer });
  const healthPost = await fetch(`${base}/health`, { method: 'POST' });
  const inside = await fetch(`${base}/mcp/sub/path`, { method: 'POST', headers: bearer });
  // THEN
  expect(outside.status).toBe(404);
  expect(healthPost.status).toBe(404);
  expect(inside.status).toBe(200);
  expect(authorize).toHaveBeenCalledTimes(1);
});

test('EDGE-3: the default protected-resource metadata names the /mcp resource and header bearer tokens only', async () => {
  // GIVEN
  const base = await startGateway(async () => allowOnly([`${API}/*`]));
  // WHEN
  const res = await fetch(`${base}/.well-known/oauth-protected-resource`);
  // THEN
  expect(await res.json()).toEqual({ resource: `${base}/mcp`, bearer_methods_supported: ['header'] });
});

test('fails a cached gateway without identity sources', () => {
  expect(() => createLocalGateway({ authorize: async () => ({}), upstream: new URL('http://127.0.0.1:1'), identitySources: [], cacheTtlSeconds: 60, credentialHeaders: [], identityHeaders: IDENTITY })).toThrow(
    /identitySources must name at least one header when cacheTtlSeconds is above 0/,
  );
});
