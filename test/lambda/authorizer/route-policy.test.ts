import { PermissionModel } from '../../../lambda/authorizer/permissions';
import { isCanonicalPath, NON_CANONICAL_RESOURCES, parseMethodArn, RoutePolicy } from '../../../lambda/authorizer/route-policy';
import { HTTP_METHODS } from '../../../lambda/authorizer/settings';
import { API_PREFIX, iamAllows, settingsWith } from './fixtures';

const settings = settingsWith();
const routes = new RoutePolicy(settings.routes);
const model = new PermissionModel(settings);

function grantOf(role: string) {
  const r = model.resolve(role, []);
  if (!r.ok) throw new Error(`fixture role ${role} is unknown`);
  return r.grant;
}

test('parseMethodArn reads prefix, method and path', () => {
  expect(parseMethodArn(`${API_PREFIX}POST/mcp/x`)).toEqual({ arn: `${API_PREFIX}POST/mcp/x`, prefix: API_PREFIX, method: 'POST', path: '/mcp/x' });
  expect(parseMethodArn(`${API_PREFIX}GET/`)).toMatchObject({ path: '/' });
  expect(parseMethodArn('arn:aws:s3:::bucket')).toBeUndefined();
  expect(parseMethodArn(`${API_PREFIX}GET/mcp x`)).toBeUndefined();
});

test.each([
  ['GET', '/mcp', 'read'],
  ['POST', '/mcp/messages', 'read'],
  ['GET', '/api/docs', 'read'],
  ['HEAD', '/api', 'read'],
  ['POST', '/api/docs', 'write'],
  ['DELETE', '/api', 'write'],
  ['GET', '/admin/tokens', 'admin'],
  ['GET', '/mcpx', undefined],
  ['GET', '/', undefined],
  ['GET', '/health', undefined],
])('RBAC-2: %s %s needs %s (the most specific route; unknown routes need what no one has)', (method, path, expected) => {
  expect(routes.permissionFor(method, path)).toBe(expected);
});

// Every request a client can make on the default API, against every role: what the cached policy allows
// must be exactly what the route table permits, whichever request produced the policy.
const PROBES = HTTP_METHODS.flatMap((m) => ['/mcp', '/mcp/', '/mcp/a/b', '/api', '/api/docs/1', '/admin', '/admin/tokens', '/mcpx', '/apix/1'].map((p) => [m, p] as const));
const EXPECTED: Record<string, (m: string, p: string) => boolean> = {
  reader: (m, p) => /^\/mcp(\/|$)/.test(p) || (/^\/api(\/|$)/.test(p) && (m === 'GET' || m === 'HEAD')),
  agent: (_m, p) => /^\/(mcp|api)(\/|$)/.test(p),
  admin: (_m, p) => /^\/(mcp|api|admin)(\/|$)/.test(p),
};

test.each(Object.keys(EXPECTED))('RBAC-2: the policy cached for a %s allows exactly the routes the role may call, on every route', (role) => {
  // GIVEN: a policy made for the first request of the token (each possible first request in turn)
  const grant = grantOf(role);
  for (const [firstMethod, firstPath] of PROBES) {
    const policy = routes.policyFor(parseMethodArn(`${API_PREFIX}${firstMethod}${firstPath}`)!, grant.set, grant.key);
    // WHEN the cached policy is evaluated for every other request
    for (const [m, p] of PROBES) {
      const allowed = iamAllows(policy, `${API_PREFIX}${m}${p}`);
      // THEN it allows exactly what the role is permitted
      expect({ role, first: `${firstMethod} ${firstPath}`, request: `${m} ${p}`, allowed }).toEqual({ role, first: `${firstMethod} ${firstPath}`, request: `${m} ${p}`, allowed: EXPECTED[role](m, p) });
    }
  }
});

test('RBAC-2: a reader\'s policy lists the read routes and explicitly denies the write request at hand', () => {
  // GIVEN
  const grant = grantOf('reader');
  // WHEN
  const policy = routes.policyFor(parseMethodArn(`${API_PREFIX}POST/api/docs`)!, grant.set, grant.key);
  // THEN
  const allow = policy.Statement.find((s) => s.Effect === 'Allow')!.Resource;
  expect(allow).toEqual(expect.arrayContaining([`${API_PREFIX}GET/api`, `${API_PREFIX}GET/api/*`, `${API_PREFIX}POST/mcp/*`]));
  expect(allow.some((r) => r.includes('/POST/api') || r.includes('/admin'))).toBe(false);
  expect(allow.every((r) => !r.slice(API_PREFIX.length).startsWith('*'))).toBe(true);
  expect(policy.Statement.find((s) => s.Effect === 'Deny')!.Resource).toEqual([...NON_CANONICAL_RESOURCES.map((r) => API_PREFIX + r), `${API_PREFIX}POST/api/docs`]);
});

test('RBAC-4: a principal permitted nothing gets a Deny for the method ARN only', () => {
  const policy = routes.policyFor(parseMethodArn(`${API_PREFIX}GET/mcp`)!, new Set(), '');
  expect(policy.Statement).toEqual([{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: [`${API_PREFIX}GET/mcp`] }]);
});

test('RBAC-2: a nested admin route inside a read route is denied to readers while its parent stays allowed', () => {
  // GIVEN
  const nested = new RoutePolicy(settingsWith({
    routes: [{ path: '/mcp/admin', methods: ['ANY'], permission: 'admin' }, { path: '/mcp', methods: ['ANY'], permission: 'read' }],
  }).routes);
  // WHEN
  const policy = nested.policyFor(parseMethodArn(`${API_PREFIX}GET/mcp`)!, new Set(['read']), 'read');
  // THEN
  expect(iamAllows(policy, `${API_PREFIX}GET/mcp/tools`)).toBe(true);
  expect(iamAllows(policy, `${API_PREFIX}GET/mcp/adminx`)).toBe(true);
  expect(iamAllows(policy, `${API_PREFIX}GET/mcp/admin`)).toBe(false);
  expect(iamAllows(policy, `${API_PREFIX}POST/mcp/admin/tokens`)).toBe(false);
  // AND an admin reaches both
  const adminPolicy = nested.policyFor(parseMethodArn(`${API_PREFIX}GET/mcp`)!, new Set(['read', 'admin']), 'read admin');
  expect(iamAllows(adminPolicy, `${API_PREFIX}POST/mcp/admin/tokens`)).toBe(true);
});

test('RBAC-2: a request path holding IAM wildcards never widens a Deny over allowed routes', () => {
  // GIVEN: a reader asks for POST /api/* (a literal star in the path)
  const grant = grantOf('reader');
  // WHEN
  const policy = routes.policyFor(parseMethodArn(`${API_PREFIX}POST/api/*`)!, grant.set, grant.key);
  // THEN: the reader still reaches its routes with the cached policy
  expect(iamAllows(policy, `${API_PREFIX}GET/api/docs`)).toBe(true);
  expect(iamAllows(policy, `${API_PREFIX}POST/api/docs`)).toBe(false);
});

test('RBAC-2: the most specific route wins whatever the order (developer-mesh with /api/v1/admin listed after /api)', () => {
  // GIVEN the route order that used to leave the admin subtree open
  const table = [
    { path: '/api', methods: ['GET', 'HEAD'], permission: 'read' },
    { path: '/api', methods: ['ANY'], permission: 'write' },
    { path: '/api/v1/admin', methods: ['ANY'], permission: 'admin' },
  ] as const;
  for (const order of [table, [...table].reverse()]) {
    const policy = new RoutePolicy(settingsWith({ routes: order.map((r) => ({ ...r, methods: [...r.methods] })) }).routes);
    // WHEN / THEN
    expect(policy.permissionFor('GET', '/api/v1/admin/users')).toBe('admin');
    expect(policy.permissionFor('DELETE', '/api/v1/admin/users')).toBe('admin');
    expect(policy.permissionFor('GET', '/api/v1/users')).toBe('read');
    expect(policy.permissionFor('DELETE', '/api/v1/users')).toBe('write');
    const viewer = policy.policyFor(parseMethodArn(`${API_PREFIX}GET/api`)!, new Set(['read']), 'read');
    expect(iamAllows(viewer, `${API_PREFIX}GET/api/v1/admin/users`)).toBe(false);
    expect(iamAllows(viewer, `${API_PREFIX}GET/api/v1/users`)).toBe(true);
  }
});

test.each([
  ['/mcp/../admin/users'], ['/mcp/..'], ['/mcp/./x'], ['/mcp/.'], ['//admin'], ['/mcp//x'], ['/mcp/%2e%2e/admin'], ['/mcp/%2E%2E/admin'],
  ['/mcp/..%2fadmin'], ['/mcp/%2Fadmin'], ['/mcp\\..\\admin'], ['/mcp/%5c'], ['/mcp/%252e%252e/admin'],
])('RBAC-4: the non-canonical path %s is refused for every method and denied by every cached policy', (path) => {
  // GIVEN an admin's policy made for an ordinary request
  const grant = grantOf('admin');
  const policy = routes.policyFor(parseMethodArn(`${API_PREFIX}GET/mcp`)!, grant.set, grant.key);
  // WHEN / THEN
  expect(isCanonicalPath(path)).toBe(false);
  for (const m of HTTP_METHODS) {
    expect(routes.check(m, path)).toEqual({ refusal: 'path_not_canonical' });
    expect(iamAllows(policy, `${API_PREFIX}${m}${path}`)).toBe(false);
  }
});

test.each([['/mcp'], ['/mcp/'], ['/mcp/a.b'], ['/mcp/...'], ['/mcp/.well'], ['/api/v1/file..txt']])('RBAC-2: the canonical path %s is not mistaken for a dot segment', (path) => {
  expect(isCanonicalPath(path)).toBe(true);
  const grant = grantOf('admin');
  const policy = routes.policyFor(parseMethodArn(`${API_PREFIX}GET/mcp`)!, grant.set, grant.key);
  expect(iamAllows(policy, `${API_PREFIX}GET${path}`)).toBe(routes.permits(grant.set, 'GET', path));
});

test('RBAC-3: read-only refuses POST, PUT, PATCH and DELETE on every route, admin included, but keeps the exact MCP endpoint', () => {
  // GIVEN
  const readOnly = new RoutePolicy(settings.routes, { readOnly: true, mcpPaths: ['/mcp'] });
  const all = new Set(['read', 'write', 'admin']);
  // WHEN
  const policy = readOnly.policyFor(parseMethodArn(`${API_PREFIX}GET/mcp`)!, all, 'read write admin');
  // THEN
  for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    for (const p of ['/admin', '/admin/users', '/api', '/api/docs', '/mcp/x']) {
      expect(readOnly.check(m, p)).toEqual({ refusal: 'read_only' });
      expect(iamAllows(policy, `${API_PREFIX}${m}${p}`)).toBe(false);
    }
    expect(readOnly.check(m, '/mcp')).toEqual({ permission: 'read' });
    expect(iamAllows(policy, `${API_PREFIX}${m}/mcp`)).toBe(true);
  }
  for (const p of ['/admin/users', '/api/docs', '/mcp/x']) expect(iamAllows(policy, `${API_PREFIX}GET${p}`)).toBe(true);
});
