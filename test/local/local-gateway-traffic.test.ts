/**
 * The local gateway with real MCP traffic (issue 13): long streams on the MCP routes, the integration
 * timeout elsewhere, Mcp-Session-Id both ways, CORS for several origins and the 403 challenge.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalGateway, type LocalGatewayProps } from '../../lib/local/local-gateway';

const API = 'arn:aws:execute-api:local:000000000000:local/local';
const ORIGINS = ['https://app.example.com', 'https://console.example.org'];
const bearer = { Authorization: 'Bearer mcp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' };

let upstream: Server;
let gateway: Server | undefined;
let seen: IncomingHttpHeaders[];

beforeEach(async () => {
  seen = [];
  upstream = createServer((req, res) => {
    seen.push(req.headers);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.endsWith('/slow')) {
      // Server-sent events every 100 ms for `ms` milliseconds, then the end.
      const ms = Number(url.searchParams.get('ms'));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': 'session-from-server' });
      const started = Date.now();
      const tick = setInterval(() => {
        if (Date.now() - started >= ms) {
          clearInterval(tick);
          res.end('data: done\n\n');
        } else {
          res.write('data: progress\n\n');
        }
      }, 100);
      res.on('close', () => clearInterval(tick));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'session-from-server', 'access-control-allow-origin': '*' })
      .end(JSON.stringify({ session: req.headers['mcp-session-id'] ?? null }));
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
});

afterEach(async () => {
  for (const s of [gateway, upstream]) {
    if (!s) continue;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  gateway = undefined;
});

async function startGateway(context: Record<string, unknown> = {}, props: Partial<LocalGatewayProps> = {}, resources = [`${API}/*`]): Promise<string> {
  gateway = createLocalGateway({
    authorize: async () => ({ principalId: 'agent-1', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resources }] }, context }),
    upstream: new URL(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`),
    identitySources: ['Authorization'],
    cacheTtlSeconds: 0,
    credentialHeaders: ['authorization'],
    identityHeaders: {},
    errorLog: () => undefined,
    routePaths: ['/mcp', '/api'],
    streamingPaths: ['/mcp'],
    ...props,
  });
  gateway.listen(0, '127.0.0.1');
  await once(gateway, 'listening');
  return `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
}

/** The whole body, or 'cut' when the connection closes before the end. */
async function bodyOf(res: Response): Promise<string> {
  try {
    return await res.text();
  } catch {
    return 'cut';
  }
}

test('a streaming MCP response lasts past the integration timeout, up to streamingTimeoutSeconds', async () => {
  // GIVEN an integration timeout of 0.3 s and a streaming timeout of 3 s
  const base = await startGateway({}, { integrationTimeoutSeconds: 0.3, streamingTimeoutSeconds: 3 });
  // WHEN a tool call streams progress for 1 s on /mcp, and the same answer comes on a non-streaming route
  const mcp = await fetch(`${base}/mcp/slow?ms=1000`, { headers: bearer });
  const api = await fetch(`${base}/api/slow?ms=1000`, { headers: bearer });
  // THEN the MCP stream arrives whole; the other route is cut at its integration timeout
  expect(mcp.status).toBe(200);
  expect(await bodyOf(mcp)).toMatch(/data: progress\n\n(.|\n)*data: done\n\n$/);
  expect(await bodyOf(api)).not.toMatch(/data: done/);
});

test('a stream longer than streamingTimeoutSeconds is cut, as API Gateway cuts it', async () => {
  const base = await startGateway({}, { streamingTimeoutSeconds: 0.5 });
  const res = await fetch(`${base}/mcp/slow?ms=2000`, { headers: bearer });
  expect(res.status).toBe(200);
  expect(await bodyOf(res)).not.toMatch(/data: done/);
});

test('Mcp-Session-Id passes both ways', async () => {
  const base = await startGateway();
  const res = await fetch(`${base}/mcp`, { method: 'POST', headers: { ...bearer, 'Mcp-Session-Id': 'session-from-client' } });
  expect(await res.json()).toEqual({ session: 'session-from-client' });
  expect(res.headers.get('mcp-session-id')).toBe('session-from-server');
});

test('EDGE-5: with two origins, each allowed origin can read the preflight, the 401, the metadata and proxied answers', async () => {
  // GIVEN
  const base = await startGateway({}, { corsAllowedOrigins: ORIGINS });
  for (const origin of ORIGINS) {
    // WHEN
    const preflight = await fetch(`${base}/mcp`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,mcp-session-id' } });
    const challenge = await fetch(`${base}/mcp`, { method: 'POST', headers: { Origin: origin } });
    const metadata = await fetch(`${base}/.well-known/oauth-protected-resource`, { headers: { Origin: origin } });
    const proxied = await fetch(`${base}/mcp`, { method: 'POST', headers: { ...bearer, Origin: origin } });
    // THEN
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('mcp-session-id');
    expect([challenge.status, metadata.status, proxied.status]).toEqual([401, 200, 200]);
    for (const res of [preflight, challenge, metadata, proxied]) {
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('vary')).toBe('Origin');
    }
    for (const res of [challenge, metadata, proxied]) {
      expect(res.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate, Mcp-Session-Id, Retry-After');
      expect(res.headers.get('strict-transport-security')).toBeTruthy();
    }
    expect(challenge.headers.get('www-authenticate')).toMatch(/^Bearer resource_metadata=/);
  }
});

test('EDGE-5: an origin that is not allowed gets a 403 with no CORS header, and nothing reaches the server', async () => {
  const base = await startGateway({}, { corsAllowedOrigins: ORIGINS });
  const inits: RequestInit[] = [{ method: 'POST', headers: { ...bearer, Origin: 'https://evil.example.net' } }, { method: 'OPTIONS', headers: { Origin: 'https://evil.example.net', 'Access-Control-Request-Method': 'POST' } }];
  for (const init of inits) {
    const res = await fetch(`${base}/mcp`, init);
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  }
  const metadata = await fetch(`${base}/.well-known/oauth-protected-resource`, { headers: { Origin: 'https://evil.example.net' } });
  expect(metadata.status).toBe(403);
  expect(seen).toHaveLength(0);
});

test("a 403 carries the authorizer's insufficient_scope challenge", async () => {
  const challenge = 'Bearer error="insufficient_scope", scope="docs:read docs:write"';
  const base = await startGateway({ wwwAuthenticate: challenge }, {}, [`${API}/*/mcp`]);
  const res = await fetch(`${base}/api/notes`, { method: 'POST', headers: bearer });
  expect(res.status).toBe(403);
  expect(res.headers.get('www-authenticate')).toBe(challenge);
});
