import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { checkPerimeter, nagStack } from './nag-harness';
import { ACM_CERT, isolatedVpc, restApi } from './perimeter-fixtures';

const GATEWAY_HEADERS = {
  'Strict-Transport-Security': "'max-age=63072000; includeSubDomains'",
  'Content-Security-Policy': "'sandbox'",
  'X-Content-Type-Options': "'nosniff'",
  'X-Frame-Options': "'DENY'",
  'Referrer-Policy': "'no-referrer'",
  'Permissions-Policy': "'camera=()'",
};

describe('SecurityHeadersOnResponses: listeners and gateway responses carry the security headers (EDGE-4)', () => {
  test('Noncompliance 1: an HTTPS listener without header attributes', () => {
    // GIVEN
    const stack = nagStack();
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc: isolatedVpc(stack) });
    const listener = alb.addListener('Https', { port: 443, certificates: [elbv2.ListenerCertificate.fromArn(ACM_CERT)], defaultAction: elbv2.ListenerAction.fixedResponse(200) });
    (listener.node.defaultChild as elbv2.CfnListener).listenerAttributes = [{ key: 'routing.http.response.x_frame_options.header_value', value: 'DENY' }];
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE4')).toEqual([
      'Test/Alb/Https/Resource[ListenerAttribute::strict_transport_security]',
      'Test/Alb/Https/Resource[ListenerAttribute::content_security_policy]',
      'Test/Alb/Https/Resource[ListenerAttribute::x_content_type_options]',
    ]);
  });

  test('Noncompliance 2: a REST API without its own DEFAULT_5XX and a gateway response missing two headers', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack);
    const { ['Referrer-Policy']: _r, ['Permissions-Policy']: _p, ...four } = GATEWAY_HEADERS;
    api.addGatewayResponse('Default4xx', { type: apigw.ResponseType.DEFAULT_4XX, responseHeaders: four });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE4')).toEqual([
      'Test/Api/Resource[GatewayResponse::DEFAULT_5XX]',
      'Test/Api/Default4xx/Resource[Header::Referrer-Policy]',
      'Test/Api/Default4xx/Resource[Header::Permissions-Policy]',
    ]);
  });

  test('Compliance: listener attributes for the four headers, gateway responses with all six', () => {
    // GIVEN
    const stack = nagStack();
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc: isolatedVpc(stack) });
    const listener = alb.addListener('Https', { port: 443, certificates: [elbv2.ListenerCertificate.fromArn(ACM_CERT)], defaultAction: elbv2.ListenerAction.fixedResponse(200) });
    (listener.node.defaultChild as elbv2.CfnListener).listenerAttributes = ['strict_transport_security', 'content_security_policy', 'x_content_type_options', 'x_frame_options']
      .map((name) => ({ key: `routing.http.response.${name}.header_value`, value: 'x' }));
    const api = restApi(stack);
    api.addGatewayResponse('Default4xx', { type: apigw.ResponseType.DEFAULT_4XX, responseHeaders: GATEWAY_HEADERS });
    api.addGatewayResponse('Default5xx', { type: apigw.ResponseType.DEFAULT_5XX, responseHeaders: GATEWAY_HEADERS });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE4')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-EDGE4')).toEqual(['Test/Alb/Https/Resource', 'Test/Api/Resource', 'Test/Api/Default4xx/Resource', 'Test/Api/Default5xx/Resource']);
  });
});
