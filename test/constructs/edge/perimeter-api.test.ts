import { Template } from 'aws-cdk-lib/assertions';
import { IDENTITY_HEADERS, proxyPrefixes } from '../../../lib/constructs/edge/perimeter-api';
import { buildPerimeter } from '../../fixtures/perimeter';
import { testConfig } from '../../fixtures/test-app';

test('proxy prefixes: one per top-level segment, streaming when any route under it streams', () => {
  expect(proxyPrefixes([{ path: '/mcp', streaming: true }, { path: '/api/v1/tools' }, { path: '/api/v2' }, { path: '/admin/users/x' }])).toEqual([
    { path: '/mcp', streaming: true },
    { path: '/api', streaming: false },
    { path: '/admin', streaming: false },
  ]);
  expect(proxyPrefixes([{ path: '/mcp/a' }, { path: '/mcp/b', streaming: true }])).toEqual([{ path: '/mcp', streaming: true }]);
});

// GIVEN nested route paths under two prefixes (synthesized once)
const config = testConfig({
  rbac: {
    routes: [
      { path: '/mcp', methods: ['ANY'], permission: 'read' },
      { path: '/api/v1/tools', methods: ['GET'], permission: 'read' },
      { path: '/api/v1/tools', methods: ['ANY'], permission: 'write' },
      { path: '/api/v2/admin', methods: ['ANY'], permission: 'admin' },
    ],
  },
});
const template = Template.fromStack(buildPerimeter(config).edge).toJSON();
const resources = template.Resources as Record<string, any>;
const pathOf = (ref: any): string => {
  const parts: string[] = [];
  for (let r = ref; r?.Ref && resources[r.Ref]?.Type === 'AWS::ApiGateway::Resource'; r = resources[r.Ref].Properties.ParentId) parts.unshift(resources[r.Ref].Properties.PathPart);
  return `/${parts.join('/')}`;
};
const methods = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Method').map((r) => ({ ...r.Properties, path: pathOf(r.Properties.ResourceId) }));

test('AUTH-1: nested routes are served by their prefix\'s proxy resources, each through the authorizer', () => {
  const authorized = methods.filter((m) => m.AuthorizationType === 'CUSTOM').map((m) => `${m.HttpMethod} ${m.path}`).sort();
  expect(authorized).toEqual(['ANY /api', 'ANY /api/{proxy+}', 'ANY /mcp', 'ANY /mcp/{proxy+}']);
  expect(methods.filter((m) => m.AuthorizationType !== 'CUSTOM').map((m) => `${m.HttpMethod} ${m.path}`).sort()).toEqual(['GET /.well-known/oauth-protected-resource', 'GET /health']);
  // No resource per route path: /api/v1 and /api/v2 are reached through /api/{proxy+}.
  expect(Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Resource').map((r) => r.Properties.PathPart).sort()).toEqual(['.well-known', 'api', 'health', 'mcp', 'oauth-protected-resource', '{proxy+}', '{proxy+}']);
});

test('AUTH-7: the proxy methods keep the validator, the identity headers from the authorizer and the proxied path', () => {
  for (const m of methods.filter((x) => x.AuthorizationType === 'CUSTOM')) {
    expect(m.RequestValidatorId).toBeDefined();
    for (const [header, key] of Object.entries(IDENTITY_HEADERS)) expect(m.Integration.RequestParameters[`integration.request.header.${header}`]).toBe(`context.authorizer.${key}`);
    if (m.path.endsWith('{proxy+}')) {
      expect(m.Integration.RequestParameters['integration.request.path.proxy']).toBe('method.request.path.proxy');
      expect(m.Integration.Uri).toMatch(/\/\{proxy\}$/);
    }
  }
  const api = methods.find((m) => m.path === '/api/{proxy+}');
  expect(api.Integration.Uri).toBe(`https://${config.domain.internalDomainName}/api/{proxy}`);
  expect(api.Integration.ResponseTransferMode).toBeUndefined();
  expect(methods.find((m) => m.path === '/mcp/{proxy+}').Integration.ResponseTransferMode).toBe('STREAM');
});
