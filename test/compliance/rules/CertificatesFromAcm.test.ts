import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { checkPerimeter, nagStack } from './nag-harness';
import { isolatedVpc } from './perimeter-fixtures';

describe('CertificatesFromAcm: certificates are ACM certificates that renew automatically (TLS-4)', () => {
  test('Noncompliance 1: a listener with an IAM server certificate', () => {
    // GIVEN
    const stack = nagStack();
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc: isolatedVpc(stack) });
    alb.addListener('Https', { port: 443, certificates: [elbv2.ListenerCertificate.fromArn('arn:aws:iam::111111111111:server-certificate/mcp')], defaultAction: elbv2.ListenerAction.fixedResponse(200) });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-TLS4')).toEqual(['Test/Alb/Https/Resource[CertificateArn::iam]']);
  });

  test('Noncompliance 2: an email-validated ACM certificate', () => {
    // GIVEN
    const stack = nagStack();
    new acm.Certificate(stack, 'Cert', { domainName: 'mcp.example.com', validation: acm.CertificateValidation.fromEmail() });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-TLS4')).toEqual(['Test/Cert/Resource[ValidationMethod::EMAIL]']);
  });

  test('Compliance: a DNS-validated ACM certificate on a custom domain', () => {
    // GIVEN
    const stack = nagStack();
    const certificate = new acm.Certificate(stack, 'Cert', { domainName: 'mcp.example.com', validation: acm.CertificateValidation.fromDns() });
    new apigw.DomainName(stack, 'Domain', { domainName: 'mcp.example.com', certificate, securityPolicy: apigw.SecurityPolicy.TLS_1_2 });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-TLS4')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-TLS4')).toEqual(['Test/Cert/Resource', 'Test/Domain/Resource']);
  });
});
