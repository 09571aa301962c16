import fc from 'fast-check';
import { createAuthorizer } from '../../../lambda/authorizer/authorizer';
import { parseMethodArn, RoutePolicy } from '../../../lambda/authorizer/route-policy';
import { findInexpressibleRoutes, findRouteConflicts, HTTP_METHODS, type RouteSettings } from '../../../lambda/authorizer/settings';
import { StaticTokenSource } from '../../../lambda/authorizer/token-source';
import { API_PREFIX, iamAllows, issueToken, MemoryAuditLogFor, NOW, settingsWith } from './property-fixtures';

const RUNS = 10_000;
const settings = settingsWith();
const reader = issueToken({ role: 'reader', agentId: 'reader-1' });
const agent = issueToken({ role: 'agent', agentId: 'agent-1' });
const admin = issueToken({ role: 'admin', agentId: 'admin-1' });
const expired = issueToken({ role: 'admin', agentId: 'old-1', expiresAt: '2026-11-01T00:00:00Z' });
const VALID = new Map([reader, agent, admin].map((t) => [t.token, t.record]));
const ROLE_PERMISSIONS: Record<string, string[]> = { reader: ['read'], agent: ['read', 'write'], admin: ['read', 'write', 'admin'] };

/**
 * The route table's meaning, written apart from RoutePolicy: of the routes covering the path whose
 * methods match, the longest path wins, and at that path a named method beats ANY; non-canonical paths need what no one has.
 */
function requiredPermission(routes: readonly RouteSettings[], method: string, path: string): string | undefined {
  if (/\/\.\.?(\/|$)|\/\/|\\|%2e|%2f|%5c|%25|[*?]/i.test(path)) return undefined;
  const covering = routes.filter((r) => path === r.path || path.startsWith(`${r.path}/`));
  const named = covering.filter((r) => (r.methods as string[]).includes(method));
  const any = covering.filter((r) => r.methods.includes('ANY'));
  const deepest = Math.max(-1, ...[...named, ...any].map((r) => r.path.length));
  return (named.find((r) => r.path.length === deepest) ?? any.find((r) => r.path.length === deepest))?.permission;
}

const PATHS = ['/mcp', '/mcp/', '/mcp/x/y', '/api', '/api/docs', '/api/docs/1', '/admin', '/admin/tokens', '/mcpx', '/', '/health', '/api/*', '/x?y'];
const PROBES = HTTP_METHODS.flatMap((m) => PATHS.filter((p) => !/[*?]/.test(p)).map((p) => [m, p] as const));

const mutated = (token: string) =>
  fc.oneof(
    fc.constant(token),
    fc.nat({ max: token.length - 1 }).map((i) => token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1)),
    fc.nat({ max: token.length - 1 }).map((i) => token.slice(0, i)),
    fc.string({ maxLength: 8 }).map((s) => token + s),
    fc.constant(token.toUpperCase()),
    fc.constant(` ${token}`),
  );

const credential = fc.oneof(
  { arbitrary: fc.constantFrom(reader.token, agent.token, admin.token, expired.token), weight: 6 },
  fc.constantFrom(reader.token, agent.token, admin.token).chain(mutated),
  fc.string({ maxLength: 80 }),
  fc.string({ minLength: 32, maxLength: 60 }).map((s) => `mcp_${s}`),
  fc.constant('eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ.'),
);

const headerName = fc.oneof(
  { arbitrary: fc.constantFrom('Authorization', 'authorization', 'AUTHORIZATION', 'X-Access-Token', 'x-access-token'), weight: 4 },
  { arbitrary: fc.constantFrom('X-API-Key', 'Cookie', 'X-Auth'), weight: 1 },
);
const headerValue = (name: string, cred: string) =>
  /^authorization$/i.test(name) ? fc.constantFrom(`Bearer ${cred}`, `bearer ${cred}`, `Basic ${cred}`, cred, `Bearer  ${cred}  `) : fc.constant(cred);
const header = fc.tuple(headerName, credential).chain(([n, c]) => headerValue(n, c).map((v) => [n, v] as const));

const request = fc.record({
  headers: fc.option(fc.array(header, { minLength: 1, maxLength: 3 }), { nil: null, freq: 8 }),
  repeat: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  query: fc.option(fc.dictionary(fc.constantFrom('access_token', 'token', 'page', 'q', 'apiKey', 'sort'), fc.oneof(fc.string({ maxLength: 10 }), credential), { maxKeys: 2 }), { nil: null, freq: 3 }),
  method: fc.constantFrom(...HTTP_METHODS),
  path: fc.oneof(fc.constantFrom(...PATHS), fc.array(fc.constantFrom('mcp', 'api', 'admin', 'x', ''), { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`)),
});

test(`AUTH-1, RBAC-4: over ${RUNS} random and mutated requests: no crash, no Allow without a valid credential, never more than the role grants`, async () => {
  // GIVEN
  const authorizer = createAuthorizer({ settings, tokenSource: new StaticTokenSource([reader.record, agent.record, admin.record, expired.record]), auditLog: MemoryAuditLogFor(), now: () => NOW });
  let allows = 0;
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const headers = r.headers ? Object.fromEntries(r.headers) : null;
      const multiValueHeaders = headers && r.repeat ? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v, v]])) : null;
      const event = {
        methodArn: `${API_PREFIX}${r.method}${r.path}`,
        httpMethod: r.method,
        path: r.path,
        headers,
        multiValueHeaders,
        queryStringParameters: r.query,
        requestContext: { requestId: 'p', identity: { sourceIp: '198.51.100.1', userAgent: 'fc' } },
      };
      // WHEN
      const decision = await authorizer.decide(event);
      // THEN: no crash, and an answer only for a valid credential
      if (decision.kind === 'unauthorized') return;
      const credentialHeaders = Object.entries(headers ?? {}).filter(([k]) => /^(authorization|x-access-token)$/i.test(k));
      const presented = new Set(credentialHeaders.map(([, v]) => v.replace(/^bearer\s+/i, '').trim()));
      expect(presented.size).toBe(1);
      const record = VALID.get([...presented][0]);
      expect(record).toBeDefined();
      expect(r.repeat).toBe(false);
      expect(Object.keys(r.query ?? {}).some((k) => /token|key/i.test(k))).toBe(false);
      expect(decision.answer.context.tokenId).toBe(record!.id);
      // AND the cached policy never allows more than the role grants, on any route
      const granted = ROLE_PERMISSIONS[record!.role];
      for (const [m, p] of PROBES) {
        if (iamAllows(decision.answer.policyDocument, `${API_PREFIX}${m}${p}`)) {
          const needed = requiredPermission(settings.routes, m, p);
          expect(needed !== undefined && granted.includes(needed)).toBe(true);
        }
      }
      if (decision.allowed) allows++;
    }),
    { numRuns: RUNS },
  );
  // the generator does reach the Allow path (about 1 run in 40 allows since one Bearer spelling is accepted;
  // 200 of 10,000 were seen at the low end, so the floor is a quarter of that)
  expect(allows).toBeGreaterThan(RUNS / 200);
});

const segment = fc.constantFrom('a', 'b', 'c');
const routeTable = fc.array(
  fc.record({
    path: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`),
    methods: fc.oneof(fc.constant(['ANY'] as RouteSettings['methods']), fc.subarray([...HTTP_METHODS], { minLength: 1 }) as fc.Arbitrary<RouteSettings['methods']>),
    permission: fc.constantFrom('read', 'write', 'admin'),
  }),
  { minLength: 1, maxLength: 5 },
).filter((routes) => findInexpressibleRoutes(routes) === undefined && findRouteConflicts(routes).length === 0);

test(`RBAC-2: over ${RUNS} random route tables and grants, the cached policy allows exactly what the table permits, whatever request made it`, () => {
  const probePaths = ['/a', '/a/x', '/a/b', '/a/b/x', '/a/b/c', '/a/b/c/x', '/b', '/b/c', '/c/a', '/ab', '/', '/a/../b', '/a//b', '/a/%2e%2e/b', '/b/./c'];
  fc.assert(
    fc.property(routeTable, fc.subarray(['read', 'write', 'admin']), fc.constantFrom(...HTTP_METHODS), fc.constantFrom(...probePaths), (routes, permissions, firstMethod, firstPath) => {
      // GIVEN
      const policy = new RoutePolicy(routes);
      const set = new Set(permissions);
      // WHEN
      const document = policy.policyFor(parseMethodArn(`${API_PREFIX}${firstMethod}${firstPath}`)!, set, permissions.join(' '));
      // THEN
      // (a plain comparison: 770,000 jest expect() calls would dominate the run)
      for (const m of HTTP_METHODS) {
        for (const p of probePaths) {
          const needed = requiredPermission(routes, m, p);
          const allowed = iamAllows(document, `${API_PREFIX}${m}${p}`);
          if (allowed !== (needed !== undefined && set.has(needed))) return false;
        }
      }
      return true;
    }),
    { numRuns: RUNS },
  );
});
