import { ConfigError, DEFAULT_CONFIG, mergeConfig, parseConfig } from '../../../lib/config';
import { healthPathProblem } from '../../../lib/config/checks/authorization';
import { DEVELOPER_MESH } from '../../../lib/config/presets';

function withOverlay(overlay: Record<string, unknown>): unknown {
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

const ROUTES = ['/mcp', '/api', '/admin'];

test.each([
  ['/admin/', /canonical/],
  ['//admin', /canonical/],
  ['/health/', /canonical/],
  ['/mcp/../admin', /canonical/],
  ['/./health', /canonical/],
  ['/', /canonical/],
  ['/admin', /is, or is an ancestor of, the authorized route '\/admin'/],
  ['/api', /authorized route '\/api'/],
  ['/.well-known/x', /\.well-known/],
])('WORK-2: the health path %s is not a path of its own and fails synth', (healthPath, message) => {
  expect(healthPathProblem(healthPath, ROUTES)).toMatch(message);
});

test('WORK-2: a health path that is an ancestor of a nested route is refused', () => {
  expect(healthPathProblem('/api', ['/api/v1'])).toMatch(/ancestor of, the authorized route '\/api\/v1'/);
});

test.each([['/health'], ['/mcp/health'], ['/healthz'], ['/status/v1.json']])('WORK-2: the health path %s is a path of its own', (healthPath) => {
  expect(healthPathProblem(healthPath, ROUTES)).toBeUndefined();
});

test('WORK-2: a config with health path /admin/ fails with one line naming service.healthPath', () => {
  const message = errorOf(withOverlay({ service: { healthPath: '/admin/' } }));
  expect(message).toMatch(/service\.healthPath: must be a canonical absolute path/);
});

test('RBAC-2: two routes equally specific with different permissions fail synth, naming both', () => {
  // GIVEN
  const input = withOverlay({ rbac: { routes: [
    { path: '/mcp', methods: ['ANY'], permission: 'read' },
    { path: '/api', methods: ['GET', 'POST'], permission: 'read' },
    { path: '/api', methods: ['POST'], permission: 'write' },
  ] } });
  // WHEN / THEN
  expect(errorOf(input)).toMatch(/rbac\.routes: routes 1 and 2 both give POST on \/api but need 'read' and 'write'/);
});

test('RBAC-2: overlapping routes of different depth are fine in any order (most specific wins)', () => {
  const routes = [
    { path: '/api', methods: ['ANY'], permission: 'write' },
    { path: '/api/v1/admin', methods: ['ANY'], permission: 'admin' },
    { path: '/mcp', methods: ['ANY'], permission: 'read' },
  ];
  expect(() => parseConfig(withOverlay({ rbac: { routes } }), 'test')).not.toThrow();
  expect(() => parseConfig(withOverlay({ rbac: { routes: [...routes].reverse() } }), 'test')).not.toThrow();
  expect(DEVELOPER_MESH.layer.rbac?.routes?.length).toBeGreaterThan(0);
});

test('RBAC-4: an unknown permission in rbac.unscopedPermissions fails synth', () => {
  expect(errorOf(withOverlay({ rbac: { unscopedPermissions: ['everything'] } }))).toMatch(/rbac\.unscopedPermissions\.0: unknown permission 'everything'/);
});

test('SEC-4: auth.operatorRoleArn must be an IAM role ARN', () => {
  expect(errorOf(withOverlay({ auth: { operatorRoleArn: 'arn:aws:iam::123456789012:user/bob' } }))).toMatch(/auth\.operatorRoleArn: must be an IAM role ARN/);
  expect(parseConfig(withOverlay({ auth: { operatorRoleArn: 'arn:aws:iam::123456789012:role/mcp-operators' } }), 'test').auth.operatorRoleArn).toBe('arn:aws:iam::123456789012:role/mcp-operators');
});

test('SEC-4: auth.operatorRoleArn in another account than env.account fails synth', () => {
  expect(errorOf(withOverlay({ env: { account: '111111111111', region: 'eu-west-1' }, auth: { operatorRoleArn: 'arn:aws:iam::222222222222:role/ops' } }))).toMatch(/auth\.operatorRoleArn: must be a role of the stage's account 111111111111/);
});
