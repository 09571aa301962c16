import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { checkPerimeter, nagStack } from './nag-harness';
import { ACM_CERT, isolatedVpc, restApi } from './perimeter-fixtures';

describe('CorsOriginRestricted: no response allows every origin (EDGE-5)', () => {
  test('Noncompliance 1: a CORS preflight and a gateway response allowing *', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack, { defaultCorsPreflightOptions: { allowOrigins: apigw.Cors.ALL_ORIGINS } });
    api.addGatewayResponse('Default4xx', { type: apigw.ResponseType.DEFAULT_4XX, responseHeaders: { 'Access-Control-Allow-Origin': "'*'" } });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE5')).toEqual([
      'Test/Api/Default/OPTIONS/Resource[AllowOrigin::method.response.header.Access-Control-Allow-Origin]',
      'Test/Api/Default4xx/Resource[AllowOrigin::gatewayresponse.header.Access-Control-Allow-Origin]',
    ]);
  });

  test('Noncompliance 2: a listener attribute allowing *', () => {
    // GIVEN
    const stack = nagStack();
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc: isolatedVpc(stack) });
    const listener = alb.addListener('Https', { port: 443, certificates: [elbv2.ListenerCertificate.fromArn(ACM_CERT)], defaultAction: elbv2.ListenerAction.fixedResponse(200) });
    (listener.node.defaultChild as elbv2.CfnListener).listenerAttributes = [{ key: 'routing.http.response.access_control_allow_origin.header_value', value: '*' }];
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE5')).toEqual(['Test/Alb/Https/Resource[ListenerAttribute::access_control_allow_origin]']);
  });

  test('Compliance: CORS for one configured origin', () => {
    // GIVEN
    const stack = nagStack();
    restApi(stack, { defaultCorsPreflightOptions: { allowOrigins: ['https://app.example.com'] } });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE5')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-EDGE5')).toEqual(['Test/Api/Default/OPTIONS/Resource', 'Test/Api/Default/GET/Resource']);
  });
});
