import { Duration } from 'aws-cdk-lib';
import { validateAuthorizerSettings } from '../../../lambda/authorizer/settings';
import { authorizerSettingsFromConfig } from '../../../lib/constructs/authorizer/authorizer-settings';
import { authorizerIdentity } from '../../../lib/constructs/authorizer/perimeter-authorizer';
import { protectedResourceMetadata } from '../../../lib/constructs/edge/protected-resource-metadata';
import { testConfig } from '../../fixtures/test-app';

const tokenPath = '/mcp-perimeter/dev/tokens';

test('RBAC-1 RBAC-2: the settings carry the config roles, routes and public paths, and pass the authorizer own schema', () => {
  // GIVEN the default config
  const settings = authorizerSettingsFromConfig(testConfig(), { tokenPath });
  // THEN
  expect(settings).toMatchObject({
    stage: 'dev', tokenPath, tokenPrefix: 'mcp_', minTokenLength: 32, maxCredentialBytes: 4096,
    credentialHeaders: ['authorization'],
    roles: { reader: ['read'], agent: ['read', 'write'], admin: ['read', 'write', 'admin'] },
    routes: [
      { path: '/mcp', methods: ['ANY'], permission: 'read' },
      { path: '/api', methods: ['GET', 'HEAD'], permission: 'read' },
      { path: '/api', methods: ['ANY'], permission: 'write' },
      { path: '/admin', methods: ['ANY'], permission: 'admin' },
    ],
    publicPaths: ['/health', '/.well-known/oauth-protected-resource'],
    readOnly: false, usageIdentifier: false,
  });
  expect(settings.jwt).toBeUndefined();
  expect(() => validateAuthorizerSettings(settings)).not.toThrow();
});

test('RBAC-3: read-only mode and scopes are passed through', () => {
  const settings = authorizerSettingsFromConfig(testConfig({ auth: { readOnly: true }, rbac: { scopes: { 'docs:read': ['read'] } } }), { tokenPath });
  expect(settings.readOnly).toBe(true);
  expect(settings.scopes).toEqual({ 'docs:read': ['read'] });
});

test('AUTH-5: JWT settings pin the mode algorithms and name the key, never a secret value', () => {
  const kms = authorizerSettingsFromConfig(testConfig({ auth: { jwt: { mode: 'kms', issuer: 'mcp-perimeter', audience: 'mcp' } } }), { tokenPath, kmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/abc' });
  expect(kms.jwt).toMatchObject({ mode: 'kms', algorithms: ['ES256'], kmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/abc', maxLifetimeSeconds: 86400, clockSkewSeconds: 60 });
  expect(kms.jwt).not.toHaveProperty('hmacSecretParameter');
  const hs = authorizerSettingsFromConfig(testConfig({ auth: { jwt: { mode: 'hs256', issuer: 'i', audience: 'a' } } }), { tokenPath, hmacSecretParameter: '/mcp-perimeter/dev/jwt/hs256-secret' });
  expect(hs.jwt).toMatchObject({ mode: 'hs256', algorithms: ['HS256'], hmacSecretParameter: '/mcp-perimeter/dev/jwt/hs256-secret' });
  expect(() => validateAuthorizerSettings(hs)).not.toThrow();
});

test('fails when kms mode has no key id or hs256 mode no secret name', () => {
  expect(() => authorizerSettingsFromConfig(testConfig({ auth: { jwt: { mode: 'kms', issuer: 'i', audience: 'a' } } }), { tokenPath }))
    .toThrow(/kmsKeyId is required when auth.jwt.mode is 'kms'/);
  expect(() => authorizerSettingsFromConfig(testConfig({ auth: { jwt: { mode: 'hs256', issuer: 'i', audience: 'a' } } }), { tokenPath }))
    .toThrow(/hmacSecretParameter is required when auth.jwt.mode is 'hs256'/);
});

test('AUTH-2: one credential header is the identity source and caches; several turn the cache off with no identity source', () => {
  expect(authorizerIdentity(['authorization'], Duration.seconds(60))).toEqual({ identitySources: ['method.request.header.authorization'], resultsCacheTtl: Duration.seconds(60) });
  expect(authorizerIdentity(['authorization', 'x-access-token'], Duration.seconds(60)).identitySources).toEqual([]);
  expect(authorizerIdentity(['authorization', 'x-access-token'], Duration.seconds(60)).resultsCacheTtl.toSeconds()).toBe(0);
  expect(authorizerIdentity(['authorization'], Duration.seconds(0)).identitySources).toEqual([]);
});

test('RFC 9728: the metadata names the /mcp resource, header bearer tokens only, and the scopes when configured', () => {
  expect(protectedResourceMetadata(testConfig())).toEqual({ resource: 'https://mcp.example.com/mcp', bearer_methods_supported: ['header'] });
  expect(protectedResourceMetadata(testConfig({ auth: { jwt: { mode: 'kms', issuer: 'not-a-url', audience: 'a' } }, rbac: { scopes: { 'docs:read': ['read'] } } })))
    .toEqual({ resource: 'https://mcp.example.com/mcp', bearer_methods_supported: ['header'], scopes_supported: ['docs:read'] });
});
