import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { checkPerimeter, nagStack } from './nag-harness';
import { ACM_CERT } from './perimeter-fixtures';

/** A REST API whose root GET goes over a VPC link to a load balancer with one listener. */
function privateIntegration(stack: Stack, uri: string, listener: Partial<elbv2.CfnListenerProps>): void {
  const lb = new elbv2.CfnLoadBalancer(stack, 'Nlb', { type: 'network', scheme: 'internal', subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] });
  new elbv2.CfnListener(stack, 'Listener', {
    loadBalancerArn: lb.ref, port: 443, protocol: 'TLS', certificates: [{ certificateArn: ACM_CERT }],
    defaultActions: [{ type: 'forward', targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/t/1' }],
    ...listener,
  });
  const link = new apigw.CfnVpcLink(stack, 'Link', { name: 'link', targetArns: [lb.ref] });
  const api = new apigw.CfnRestApi(stack, 'Api', { name: 'api' });
  new apigw.CfnMethod(stack, 'Get', {
    restApiId: api.ref, resourceId: api.attrRootResourceId, httpMethod: 'GET', authorizationType: 'NONE',
    integration: { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', connectionType: 'VPC_LINK', connectionId: link.ref, uri },
  });
}

describe('GatewayToLoadBalancerTls: private integrations use https:// and reach TLS listeners only (TLS-3)', () => {
  test('Noncompliance 1: a private integration with an http:// URI', () => {
    // GIVEN
    const stack = nagStack();
    privateIntegration(stack, 'http://mcp.internal/', {});
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-TLS3')).toEqual(['Test/Get[Uri::http]']);
  });

  test('Noncompliance 2: an https:// URI to a load balancer whose listener is plain TCP', () => {
    // GIVEN
    const stack = nagStack();
    privateIntegration(stack, 'https://mcp.internal/', { protocol: 'TCP', certificates: undefined });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-TLS3')).toEqual(['Test/Get[Listener::Nlb:443:TCP]']);
  });

  test('Compliance: an https:// URI to a TLS listener', () => {
    // GIVEN
    const stack = nagStack();
    privateIntegration(stack, 'https://mcp.internal/', {});
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-TLS3')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-TLS3')).toEqual(['Test/Get']);
  });
});
