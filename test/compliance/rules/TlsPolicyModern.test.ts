import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { checkPerimeter, nagStack } from './nag-harness';
import { ACM_CERT, isolatedVpc } from './perimeter-fixtures';

describe('TlsPolicyModern: listeners use a TLS 1.3 family policy and API domains TLS 1.2+ (TLS-2)', () => {
  test('Noncompliance 1: an HTTPS listener with the legacy default policy', () => {
    // GIVEN
    const stack = nagStack();
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc: isolatedVpc(stack) });
    alb.addListener('Https', { port: 443, certificates: [elbv2.ListenerCertificate.fromArn(ACM_CERT)], sslPolicy: elbv2.SslPolicy.RECOMMENDED, defaultAction: elbv2.ListenerAction.fixedResponse(200) });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-TLS2')).toEqual(['Test/Alb/Https/Resource[SslPolicy::ELBSecurityPolicy-2016-08]']);
  });

  test('Noncompliance 2: an API custom domain with TLS 1.0', () => {
    // GIVEN
    const stack = nagStack();
    new apigw.DomainName(stack, 'Domain', { domainName: 'mcp.example.com', certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', ACM_CERT), securityPolicy: apigw.SecurityPolicy.TLS_1_0 });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-TLS2')).toEqual(['Test/Domain/Resource[SecurityPolicy::TLS_1_0]']);
  });

  test('Compliance: a TLS 1.3 listener policy and a TLS_1_2 custom domain', () => {
    // GIVEN
    const stack = nagStack();
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc: isolatedVpc(stack) });
    alb.addListener('Https', { port: 443, certificates: [elbv2.ListenerCertificate.fromArn(ACM_CERT)], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, defaultAction: elbv2.ListenerAction.fixedResponse(200) });
    new apigw.DomainName(stack, 'Domain', { domainName: 'mcp.example.com', certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', ACM_CERT), securityPolicy: apigw.SecurityPolicy.TLS_1_2 });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-TLS2')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-TLS2')).toEqual(['Test/Alb/Https/Resource', 'Test/Domain/Resource']);
  });
});
