import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { checkPerimeter, nagStack } from './nag-harness';

function privateMethod(stack: Stack, requestParameters: Record<string, string>, authorizationType = 'CUSTOM'): void {
  const api = new apigw.CfnRestApi(stack, 'Api', { name: 'api' });
  const authorizer = new apigw.CfnAuthorizer(stack, 'Authorizer', {
    restApiId: api.ref, name: 'tokens', type: 'REQUEST', identitySource: 'method.request.header.Authorization',
    authorizerUri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111111111111:function:auth/invocations',
  });
  new apigw.CfnMethod(stack, 'Post', {
    restApiId: api.ref, resourceId: api.attrRootResourceId, httpMethod: 'POST', authorizationType,
    authorizerId: authorizationType === 'CUSTOM' ? authorizer.ref : undefined,
    integration: { type: 'HTTP_PROXY', integrationHttpMethod: 'POST', connectionType: 'VPC_LINK', connectionId: 'abc123', uri: 'https://mcp.internal/', requestParameters },
  });
}

const ALL = {
  'integration.request.header.X-Mcp-Agent-Id': 'context.authorizer.agentId',
  'integration.request.header.X-Mcp-Agent-Type': 'context.authorizer.agentType',
  'integration.request.header.X-Mcp-Role': 'context.authorizer.role',
  'integration.request.header.X-Mcp-Scopes': 'context.authorizer.scopes',
};

describe('IdentityHeadersFromAuthorizer: authorized private integrations set the identity headers from the authorizer context (AUTH-7)', () => {
  test('Noncompliance 1: no identity headers mapped', () => {
    // GIVEN
    const stack = nagStack();
    privateMethod(stack, {});
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUTH7')).toEqual(['Test/Post[Header::X-Mcp-Agent-Id]', 'Test/Post[Header::X-Mcp-Agent-Type]', 'Test/Post[Header::X-Mcp-Role]', 'Test/Post[Header::X-Mcp-Scopes]']);
  });

  test('Noncompliance 2: the agent id taken from a client header, which a client can forge', () => {
    // GIVEN
    const stack = nagStack();
    privateMethod(stack, { ...ALL, 'integration.request.header.X-Mcp-Agent-Id': 'method.request.header.X-Mcp-Agent-Id' });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUTH7')).toEqual(['Test/Post[Header::X-Mcp-Agent-Id]']);
  });

  test('Compliance: all four headers from the authorizer context', () => {
    // GIVEN
    const stack = nagStack();
    privateMethod(stack, ALL);
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUTH7')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-AUTH7')).toEqual(['Test/Post']);
  });
});
