import {
  AUTHORIZER_SETTINGS_ENV,
  findInexpressibleRoutes,
  parseAuthorizerSettings,
  validateAuthorizerSettings,
} from '../../../lambda/authorizer/settings';
import { DEFAULT_SETTINGS } from './fixtures';

test('settings are read from AUTHORIZER_SETTINGS with defaults filled in', () => {
  // GIVEN
  const env = { [AUTHORIZER_SETTINGS_ENV]: JSON.stringify(DEFAULT_SETTINGS) };
  // WHEN
  const settings = parseAuthorizerSettings(env);
  // THEN
  expect(settings.maxCredentialBytes).toBe(4096);
  expect(settings.routes).toHaveLength(4);
});

test('fails when AUTHORIZER_SETTINGS is missing, naming the variable', () => {
  expect(() => parseAuthorizerSettings({})).toThrow(/AUTHORIZER_SETTINGS is not set/);
});

test('fails when AUTHORIZER_SETTINGS is not JSON', () => {
  expect(() => parseAuthorizerSettings({ [AUTHORIZER_SETTINGS_ENV]: '{stage:' })).toThrow(/AUTHORIZER_SETTINGS is not valid JSON/);
});

test.each([
  ['a role naming an unknown permission', { roles: { reader: ['raed'] } }, /roles\.reader\.0: unknown permission 'raed': must be one of read, write, admin/],
  ['a route naming an unknown permission', { routes: [{ path: '/mcp', methods: ['ANY'], permission: 'debug' }] }, /routes\.0\.permission: unknown permission 'debug'/],
  ['a short minimum token length', { minTokenLength: 16 }, /minTokenLength: must be at least 32 \(AUTH-4\).*got 16/],
  ['a route on the health path', { routes: [{ path: '/health', methods: ['ANY'], permission: 'read' }] }, /routes\.0\.path: '\/health' is, or lies inside, the public path '\/health'/],
  ['a route inside the health path', { routes: [{ path: '/health/deep', methods: ['ANY'], permission: 'read' }] }, /routes\.0\.path: '\/health\/deep' is, or lies inside, the public path '\/health'/],
  ['an unknown credential header', { credentialHeaders: ['cookie'] }, /credentialHeaders\.0/],
  ['a wildcard in a route path', { routes: [{ path: '/mcp*', methods: ['ANY'], permission: 'read' }] }, /routes\.0\.path: must be a lowercase path/],
  ['staleness shorter than the refresh period', { refreshSeconds: 120, maxStaleSeconds: 60 }, /maxStaleSeconds: must be at least refreshSeconds \(120\), got 60/],
  ['HS256 with a KMS key (algorithm confusion)', { jwt: { mode: 'kms', kmsKeyId: 'alias/x', algorithms: ['HS256'], issuer: 'i', audience: 'a' } }, /jwt\.algorithms\.0: 'HS256' is not allowed with mode kms/],
  ['jwks mode without a URL', { jwt: { mode: 'jwks', algorithms: ['RS256'], issuer: 'i', audience: 'a' } }, /jwt\.jwksUrl: is required when jwt.mode is jwks/],
  ['a JWT lifetime over 24 h', { jwt: { mode: 'hs256', hmacSecretParameter: '/p/s', algorithms: ['HS256'], issuer: 'i', audience: 'a', maxLifetimeSeconds: 90000 } }, /maxLifetimeSeconds: must be at most 86400/],
  ['a clock skew over 60 s', { jwt: { mode: 'hs256', hmacSecretParameter: '/p/s', algorithms: ['HS256'], issuer: 'i', audience: 'a', clockSkewSeconds: 300 } }, /clockSkewSeconds: must be at most 60 seconds/],
])('fails on %s, naming the field', (_case, overrides, message) => {
  expect(() => validateAuthorizerSettings({ ...DEFAULT_SETTINGS, ...overrides })).toThrow(message);
});

test('WORK-2: a public health path inside an authorized route is accepted (docker-mcp serves /mcp/health)', () => {
  // GIVEN
  const settings = { ...DEFAULT_SETTINGS, publicPaths: ['/mcp/health'], routes: [{ path: '/mcp', methods: ['ANY' as const], permission: 'read' }] };
  // WHEN / THEN
  expect(() => validateAuthorizerSettings(settings)).not.toThrow();
});

test('RBAC-2: a route table no cached IAM policy can express is refused', () => {
  // GIVEN: /a needs read, /a/b needs admin, /a/b/c needs read again; a reader would need allow-deny-allow
  const routes = [
    { path: '/a/b/c', methods: ['ANY' as const], permission: 'read' },
    { path: '/a/b', methods: ['ANY' as const], permission: 'admin' },
    { path: '/a', methods: ['ANY' as const], permission: 'read' },
  ];
  // WHEN / THEN
  expect(findInexpressibleRoutes(routes)).toMatch(/\/a ⊃ \/a\/b ⊃ \/a\/b\/c/);
  expect(() => validateAuthorizerSettings({ ...DEFAULT_SETTINGS, routes })).toThrow(/cannot allow \/a and \/a\/b\/c but not \/a\/b/);
});

test('RBAC-2: nested routes one level deep are expressible', () => {
  const routes = [
    { path: '/mcp/admin', methods: ['ANY' as const], permission: 'admin' },
    { path: '/mcp', methods: ['ANY' as const], permission: 'read' },
  ];
  expect(findInexpressibleRoutes(routes)).toBeUndefined();
});

test('environment references in the bundled settings are resolved from the environment', () => {
  // GIVEN settings whose tokenPath travels as a reference (a deploy-time value)
  const bundled = JSON.stringify({ ...DEFAULT_SETTINGS, tokenPath: { $env: 'AUTHORIZER_SETTING_0' } });
  // WHEN parsed with the variable set
  const settings = parseAuthorizerSettings({ AUTHORIZER_SETTING_0: '/mcp-perimeter/prod/tokens' }, bundled);
  // THEN the reference is replaced by the value, and the bundled settings win over AUTHORIZER_SETTINGS
  expect(settings.tokenPath).toBe('/mcp-perimeter/prod/tokens');
});

test('fails when a referenced environment variable is not set, naming it', () => {
  const bundled = JSON.stringify({ ...DEFAULT_SETTINGS, tokenPath: { $env: 'AUTHORIZER_SETTING_3' } });
  expect(() => parseAuthorizerSettings({}, bundled)).toThrow(/AUTHORIZER_SETTING_3, which is not set/);
});

test('fails when the bundled settings are not JSON, naming them', () => {
  expect(() => parseAuthorizerSettings({}, '{stage:')).toThrow(/bundled settings is not valid JSON/);
});
