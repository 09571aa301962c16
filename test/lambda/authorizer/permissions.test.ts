import { PermissionModel } from '../../../lambda/authorizer/permissions';
import { settingsWith } from './fixtures';

test.each([
  ['reader', [], ['read']],
  ['agent', [], ['read', 'write']],
  ['admin', [], ['read', 'write', 'admin']],
])('RBAC-1: role %s grants its permissions (seed 000 vocabulary)', (role, scopes, expected) => {
  const resolution = new PermissionModel(settingsWith()).resolve(role, scopes);
  expect(resolution).toMatchObject({ ok: true, grant: { permissions: expected, key: expected.join(' ') } });
});

test('RBAC-1: the seed 001 vocabulary read/write/admin/debug is supported', () => {
  // GIVEN
  const settings = settingsWith({
    permissions: ['read', 'write', 'admin', 'debug'],
    roles: { viewer: ['read'], user: ['read', 'write'], admin: ['read', 'write', 'admin', 'debug'] },
    routes: [{ path: '/mcp', methods: ['ANY'], permission: 'read' }, { path: '/debug', methods: ['ANY'], permission: 'debug' }],
  });
  // WHEN / THEN
  expect(new PermissionModel(settings).resolve('admin', [])).toMatchObject({ ok: true, grant: { key: 'read write admin debug' } });
  expect(new PermissionModel(settings).resolve('user', [])).toMatchObject({ ok: true, grant: { key: 'read write' } });
});

test('RBAC-3: read-only mode removes every write permission, from every role', () => {
  // GIVEN
  const model = new PermissionModel(settingsWith({ readOnly: true }));
  // WHEN / THEN
  expect(model.resolve('agent', [])).toMatchObject({ ok: true, grant: { permissions: ['read'] } });
  expect(model.resolve('admin', [])).toMatchObject({ ok: true, grant: { permissions: ['read', 'admin'] } });
});

test.each(['owner', 'constructor', 'toString', '__proto__', ''])('RBAC-4: the unknown role %j is refused', (role) => {
  expect(new PermissionModel(settingsWith()).resolve(role, [])).toEqual({ ok: false, reason: 'role_unknown' });
});

test('RBAC-1: per-token scopes narrow the role to the union of the scopes (seed 004)', () => {
  // GIVEN
  const model = new PermissionModel(settingsWith({ scopes: { 'read-only': ['read'], 'docs:write': ['read', 'write'], ops: ['admin'] } }));
  // WHEN / THEN
  expect(model.resolve('admin', ['read-only'])).toMatchObject({ ok: true, grant: { permissions: ['read'] } });
  expect(model.resolve('admin', ['read-only', 'ops'])).toMatchObject({ ok: true, grant: { permissions: ['read', 'admin'] } });
  expect(model.resolve('reader', ['docs:write'])).toMatchObject({ ok: true, grant: { permissions: ['read'] } });
});

test('RBAC-4: with a scope vocabulary, a token without scopes gets nothing (deny by default)', () => {
  // GIVEN the docker-mcp shape: one role, narrowed by scopes
  const model = new PermissionModel(settingsWith({ scopes: { 'read-only': ['read'], admin: ['read', 'write', 'admin'] } }));
  // WHEN / THEN
  expect(model.resolve('admin', [])).toMatchObject({ ok: true, grant: { permissions: [] } });
  expect(model.resolve('agent', [])).toMatchObject({ ok: true, grant: { permissions: [] } });
});

test('RBAC-4: unscopedPermissions is what an unscoped token gets, still within its role', () => {
  // GIVEN
  const model = new PermissionModel(settingsWith({ scopes: { admin: ['read', 'write', 'admin'] }, unscopedPermissions: ['read', 'admin'] }));
  // WHEN / THEN
  expect(model.resolve('admin', [])).toMatchObject({ ok: true, grant: { permissions: ['read', 'admin'] } });
  expect(model.resolve('agent', [])).toMatchObject({ ok: true, grant: { permissions: ['read'] } });
  expect(model.resolve('agent', ['admin'])).toMatchObject({ ok: true, grant: { permissions: ['read', 'write'] } });
});

test('RBAC-4: an unknown scope is refused when a scope vocabulary is configured', () => {
  const model = new PermissionModel(settingsWith({ scopes: { 'read-only': ['read'] } }));
  expect(model.resolve('admin', ['read-only', 'everything'])).toEqual({ ok: false, reason: 'scope_unknown' });
  expect(model.resolve('admin', ['constructor'])).toEqual({ ok: false, reason: 'scope_unknown' });
});

test('RBAC-1: without a scope vocabulary, scopes are carried but do not narrow the role', () => {
  expect(new PermissionModel(settingsWith()).resolve('agent', ['docs:read'])).toMatchObject({ ok: true, grant: { permissions: ['read', 'write'] } });
});
