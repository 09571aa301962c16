import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_CONFIG, loadConfig, mergeConfig, parseConfig } from '../../lib/config';

function withField(path: string, value: unknown): unknown {
  const overlay: Record<string, unknown> = {};
  const keys = path.split('.');
  let cursor = overlay;
  keys.slice(0, -1).forEach((k) => {
    cursor[k] = {};
    cursor = cursor[k] as Record<string, unknown>;
  });
  cursor[keys[keys.length - 1]] = value;
  return mergeConfig(DEFAULT_CONFIG, overlay);
}

function errorOf(input: unknown): string {
  try {
    parseConfig(input, 'test');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the config to be refused');
}

test('the embedded default parses with the seed defaults filled in', () => {
  const config = loadConfig();
  expect(config.stage).toBe('dev');
  expect(config.network.egress).toBe('none');
  expect(config.audit.logRetentionDays).toBe(90);
  expect(config.rateLimits).toMatchObject({ perIpPerMinute: 1200, perCredentialPerMinute: 60, writesPerCredentialPerMinute: 30, unauthenticatedPerIpPerMinute: 30 });
  expect(config.rbac.roles).toEqual({ reader: ['read'], agent: ['read', 'write'], admin: ['read', 'write', 'admin'] });
  expect(config.auth.credentialHeaders).toEqual(['authorization']);
});

test('a config file is merged over the default: objects by key, arrays replaced', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const file = join(dir, 'prod.json');
  writeFileSync(file, JSON.stringify({ stage: 'prod', audit: { logRetentionDays: 365 }, cors: { allowedOrigins: ['https://app.example.com'] } }));
  const config = loadConfig({ file });
  expect(config.stage).toBe('prod');
  expect(config.audit.logRetentionDays).toBe(365);
  expect(config.audit.accessLogBucketDays).toBe(365);
  expect(config.cors.allowedOrigins).toEqual(['https://app.example.com']);
  expect(config.domain.apiDomainName).toBe('mcp.example.com');
});

test('fails with the file name when the config file is missing or not JSON', () => {
  expect(() => loadConfig({ file: '/nonexistent/cfg.json' })).toThrow(/cannot read config file \/nonexistent\/cfg.json: ENOENT/);
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  writeFileSync(join(dir, 'bad.json'), '{ stage: ');
  expect(() => loadConfig({ file: join(dir, 'bad.json') })).toThrow(/bad.json is not valid JSON/);
});

// Each bad field gives a message that names the field, what is allowed, and the value received.
test.each<[string, string, unknown, RegExp]>([
  ['EDGE-5', 'cors.allowedOrigins', ['*'], /cors\.allowedOrigins\.0: '\*' is not allowed: list each origin \(EDGE-5\), got "\*"/],
  ['EDGE-5', 'cors.allowedOrigins', ['https://app.example.com/path'], /cors\.allowedOrigins\.0: must be an origin only/],
  ['AUDIT-3', 'audit.logRetentionDays', 30, /audit\.logRetentionDays: must be one of 90, 120, .* \(90 days or more\), got 30/],
  ['AUDIT-3', 'audit.logRetentionDays', 100, /audit\.logRetentionDays: must be one of 90/],
  ['AUTH-4', 'auth.minTokenLength', 16, /auth\.minTokenLength: must be at least 32 \(AUTH-4\), got 16/],
  ['AUTH-5', 'auth.jwt', { mode: 'hs256', issuer: 'i', audience: 'a', maxLifetimeSeconds: 172800 }, /auth\.jwt\.maxLifetimeSeconds: must be at most 86400 \(24 h\), got 172800/],
  ['AUTH-5', 'auth.jwt', { mode: 'kms', issuer: 'i', audience: 'a', algorithms: ['HS256'] }, /auth\.jwt\.algorithms\.0: 'HS256' is not allowed with mode kms: use ES256/],
  ['AUTH-5', 'auth.jwt', { mode: 'hs256', issuer: 'i', audience: 'a', clockSkewSeconds: 300 }, /auth\.jwt\.clockSkewSeconds: must be at most 60 seconds, got 300/],
  ['NET-4', 'auth.jwt', { mode: 'jwks', issuer: 'i', audience: 'a', jwksUrl: 'https://idp.example.com/jwks' }, /network\.egress: must be 'nat' when auth\.jwt\.mode is jwks/],
  ['AUTH-5', 'auth.jwt', { mode: 'jwks', issuer: 'i', audience: 'a', jwksUrl: 'http://idp.example.com/jwks' }, /auth\.jwt\.jwksUrl: must be an https:\/\/ URL/],
  ['WORK-1', 'service.user', '0', /service\.user: must be a numeric non-root uid/],
  ['WORK-1', 'service.user', 'root', /service\.user: must be a numeric non-root uid/],
  ['TLS-4', 'domain.apiCertificateArn', 'arn:aws:iam::111111111111:server-certificate/x', /domain\.apiCertificateArn: must be an ACM certificate ARN/],
  ['RBAC-4', 'rbac.roles', { reader: ['read', 'delete'] }, /rbac\.roles\.reader\.1: unknown permission 'delete': must be one of read, write, admin/],
  ['RBAC-2', 'rbac.routes', [{ path: '/mcp', methods: ['ANY'], permission: 'root' }], /rbac\.routes\.0\.permission: unknown permission 'root'/],
  ['WORK-2', 'rbac.routes', [{ path: '/health', methods: ['GET'], permission: 'read' }], /rbac\.routes\.0\.path: '\/health' is public/],
  ['WORK-2', 'rbac.routes', [{ path: '/health/deep', methods: ['GET'], permission: 'read' }], /rbac\.routes\.0\.path: '\/health\/deep' is public \(it is, or lies inside, '\/health'/],
  ['RBAC-2', 'rbac.routes', [{ path: '/a/b/c', methods: ['ANY'], permission: 'read' }, { path: '/a/b', methods: ['ANY'], permission: 'admin' }, { path: '/a', methods: ['ANY'], permission: 'read' }], /rbac\.routes: .*\/a\/b/],
  ['EDGE-2', 'rateLimits.perIpPerMinute', 5, /rateLimits\.perIpPerMinute: must be at least 10 \(the WAF minimum\), got 5/],
  ['EDGE-6', 'limits.maxBodyBytes', 1_000_000, /limits\.maxBodyBytes: must be at most 65536/],
  ['AUDIT-5', 'audit.alarmEmail', 'not-an-email', /audit\.alarmEmail: must be an email address, got "not-an-email"/],
  ['NET-1', 'network.maxAzs', 1, /network\.maxAzs: must be at least 2 \(high availability\), got 1/],
])('%s: fails when %s is %j', (_item, field, value, expected) => {
  expect(errorOf(withField(field, value))).toMatch(expected);
});

test('fails on an unknown field, naming it', () => {
  expect(errorOf(withField('auth.tokenPrefixx', 'x_'))).toMatch(/auth: unknown field\(s\) 'tokenPrefixx'/);
});

test('fails on a bad stage name, naming the rule', () => {
  expect(errorOf(withField('stage', 'Prod_1'))).toMatch(/stage: must be 1-20 lowercase letters, digits or -, starting with a letter, got "Prod_1"/);
});

test('fails when a backend serves a path that is not a route, or a route has no backend', () => {
  const message = errorOf(withField('service.backends', [{ name: 'mcp', containerPort: 8080, paths: ['/mcp', '/nope'], healthPath: '/health' }]));
  expect(message).toMatch(/service\.backends\.0\.paths\.1: '\/nope' is not a path in rbac\.routes/);
  expect(message).toMatch(/service\.backends: every route path needs a backend; none serves \/api, \/admin/);
});

test('reports every bad field at once, not only the first', () => {
  const message = errorOf(mergeConfig(DEFAULT_CONFIG, { stage: 'BAD', audit: { logRetentionDays: 7 } }));
  expect(message).toMatch(/stage:/);
  expect(message).toMatch(/audit\.logRetentionDays:/);
});
