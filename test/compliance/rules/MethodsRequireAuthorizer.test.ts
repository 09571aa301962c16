import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Stack } from 'aws-cdk-lib';
import { HEALTH_PATH_KEY, isPublicPath } from '../../../lib/compliance/rules/MethodsRequireAuthorizer';
import { checkPerimeter, nagStack } from './nag-harness';

function authorizer(stack: Stack): apigw.RequestAuthorizer {
  const handler = new lambda.Function(stack, 'Authorizer', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
  return new apigw.RequestAuthorizer(stack, 'RequestAuthorizer', { handler, identitySources: [apigw.IdentitySource.header('Authorization')], resultsCacheTtl: Duration.seconds(0) });
}

describe('MethodsRequireAuthorizer: every method but OPTIONS, /health and /.well-known/… uses the authorizer (AUTH-1)', () => {
  test('Noncompliance 1: an unauthenticated method on /mcp', () => {
    // GIVEN
    const stack = nagStack();
    const api = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false });
    api.root.addResource('mcp').addMethod('POST', new apigw.MockIntegration());
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUTH1')).toEqual(['Test/Api/Default/mcp/POST/Resource']);
  });

  test('Noncompliance 2: an unauthenticated method below /health, and on a path that only starts like a public one', () => {
    // GIVEN
    const stack = nagStack();
    const api = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false });
    api.root.addResource('health').addResource('details').addMethod('GET', new apigw.MockIntegration());
    api.root.addResource('.well-knownish').addMethod('GET', new apigw.MockIntegration());
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUTH1')).toEqual(['Test/Api/Default/health/details/GET/Resource', 'Test/Api/Default/.well-knownish/GET/Resource']);
  });

  test('Compliance: the authorizer on /mcp; /health, /.well-known/… and OPTIONS are public', () => {
    // GIVEN
    const stack = nagStack();
    const api = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false, defaultCorsPreflightOptions: { allowOrigins: ['https://app.example.com'] } });
    api.root.addResource('mcp').addMethod('POST', new apigw.MockIntegration(), { authorizer: authorizer(stack) });
    api.root.addResource('health').addMethod('GET', new apigw.MockIntegration());
    api.root.addResource('.well-known').addResource('oauth-protected-resource').addMethod('GET', new apigw.MockIntegration());
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUTH1')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-AUTH1')).toEqual(['Test/Api/Default/mcp/POST/Resource']);
  });

  test('Compliance: a configured health path (mcp-perimeter:health-path) is public, and only that one path', () => {
    // GIVEN: docker-mcp serves its health check on /mcp/health
    const stack = nagStack();
    stack.node.setContext(HEALTH_PATH_KEY, '/mcp/health');
    const api = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false });
    const mcp = api.root.addResource('mcp');
    mcp.addResource('health').addMethod('GET', new apigw.MockIntegration());
    mcp.addResource('healthz').addMethod('GET', new apigw.MockIntegration());
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUTH1')).toEqual(['Test/Api/Default/mcp/healthz/GET/Resource']);
  });
});

test('AUTH-1: only /health (or the configured health path) and the paths below /.well-known are public', () => {
  expect(['/health', '/.well-known', '/.well-known/jwks.json'].map((p) => isPublicPath(p))).toEqual([true, true, true]);
  expect(['/', '/mcp', '/health/x', '/healthz', '/.well-knownish', '/mcp/health'].map((p) => isPublicPath(p))).toEqual([false, false, false, false, false, false]);
  expect(isPublicPath('/mcp/health', '/mcp/health')).toBe(true);
});
