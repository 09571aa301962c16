import fc from 'fast-check';
import { insufficientScopeChallenge, scopeChallengeModel } from '../../../lambda/authorizer/insufficient-scope';

const settings = {
  scopes: { 'docs:read': ['read'], 'docs:write': ['write'], 'admin:all': ['admin'] },
  roles: { reader: ['read'], agent: ['read', 'write'], admin: ['read', 'write', 'admin'] },
  routes: [{ permission: 'read' }, { permission: 'write' }, { permission: 'admin' }],
  readOnly: false,
  writePermissions: ['write'],
};

test('insufficient_scope: a caller whose scopes withhold a permission its role has is told which scopes would grant it', () => {
  const model = scopeChallengeModel(settings);
  expect(insufficientScopeChallenge({ ...model('agent'), granted: new Set(['read']), scopes: ['docs:read'] }))
    .toBe('Bearer error="insufficient_scope", scope="docs:read docs:write"');
});

test('insufficient_scope: no scope attribute when no scope would help (the role lacks the permission) or there is no vocabulary', () => {
  const model = scopeChallengeModel(settings);
  expect(insufficientScopeChallenge({ ...model('reader'), granted: new Set(['read']), scopes: ['docs:read'] })).toBe('Bearer error="insufficient_scope"');
  expect(insufficientScopeChallenge({ ...scopeChallengeModel({ ...settings, scopes: undefined })('agent'), granted: new Set(['read']), scopes: [] })).toBe('Bearer error="insufficient_scope"');
});

test('insufficient_scope: read-only mode removes write scopes from the challenge; an unknown role (even "constructor") gets none', () => {
  expect(insufficientScopeChallenge({ ...scopeChallengeModel({ ...settings, readOnly: true })('agent'), granted: new Set(['read']), scopes: ['docs:read'] })).toBe('Bearer error="insufficient_scope"');
  expect(insufficientScopeChallenge({ ...scopeChallengeModel(settings)('constructor'), scopes: [] })).toBe('Bearer error="insufficient_scope"');
});

test('insufficient_scope: the challenge is always one RFC 6750 header value: no quote or backslash inside the scope list', () => {
  fc.assert(fc.property(fc.array(fc.string()), fc.subarray(['read', 'write', 'admin']), (scopes, granted) => {
    const value = insufficientScopeChallenge({ ...scopeChallengeModel(settings)('admin'), granted: new Set(granted), scopes });
    expect(value).toMatch(/^Bearer error="insufficient_scope"(, scope="[^"\\]*")?$/);
  }));
});
