import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Stack } from 'aws-cdk-lib';
import { checkPerimeter, nagStack } from './nag-harness';

const CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

function loadBalancer(stack: Stack): elbv2.ApplicationLoadBalancer {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: false });
}

describe('ListenerTlsOnly: listeners are HTTPS/TLS, plain HTTP only redirects to HTTPS (TLS-1)', () => {
  test('Noncompliance 1: a plain HTTP listener that forwards requests', () => {
    // GIVEN
    const stack = nagStack();
    loadBalancer(stack).addListener('Http', { protocol: elbv2.ApplicationProtocol.HTTP, port: 80, defaultAction: elbv2.ListenerAction.fixedResponse(200) });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-TLS1')).toEqual(['Test/Alb/Http/Resource']);
  });

  test('Noncompliance 2: a plain HTTP listener that redirects to HTTP', () => {
    // GIVEN
    const stack = nagStack();
    loadBalancer(stack).addListener('Http', { protocol: elbv2.ApplicationProtocol.HTTP, port: 80, defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTP', port: '8080' }) });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-TLS1')).toEqual(['Test/Alb/Http/Resource']);
  });

  test('Compliance: an HTTPS listener and an HTTP listener that redirects to HTTPS', () => {
    // GIVEN
    const stack = nagStack();
    const alb = loadBalancer(stack);
    alb.addListener('Https', { protocol: elbv2.ApplicationProtocol.HTTPS, port: 443, certificates: [elbv2.ListenerCertificate.fromArn(CERT)], defaultAction: elbv2.ListenerAction.fixedResponse(200) });
    alb.addRedirect({ sourcePort: 80, targetPort: 443 });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-TLS1')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-TLS1')).toHaveLength(2);
  });
});
