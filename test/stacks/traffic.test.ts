/**
 * Real MCP traffic on the templates (issue 13): streaming timeouts on every hop, CORS on every response a
 * browser sees, the 403 challenge, and the load balancer's web ACL treating MCP bodies like the stage's.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { API_STAGE_NAME } from '../../lib/constructs/edge/api-stage';
import { buildPerimeter } from '../fixtures/perimeter';
import { testConfig } from '../fixtures/test-app';

const ORIGINS = ['https://app.example.com', 'https://console.example.org'];

function templates(overlay: Record<string, unknown> = {}) {
  const perimeter = buildPerimeter(testConfig(overlay));
  const edge = Template.fromStack(perimeter.edge).toJSON().Resources as Record<string, any>;
  const service = Template.fromStack(perimeter.service).toJSON().Resources as Record<string, any>;
  const of = (resources: Record<string, any>, type: string) => Object.values(resources).filter((r) => r.Type === type).map((r) => r.Properties);
  const gatewayResponse = (type: string) => of(edge, 'AWS::ApiGateway::GatewayResponse').find((p) => p.ResponseType === type).ResponseParameters;
  const wellKnown = of(edge, 'AWS::ApiGateway::Method').find((m) => m.Integration?.Type === 'MOCK' && JSON.stringify(m.Integration).includes('max-age=300'));
  return { edge, service, of: (type: string) => [...of(edge, type), ...of(service, type)], gatewayResponse, wellKnown };
}

const one = templates({ cors: { allowedOrigins: [ORIGINS[0]] }, service: { streamingTimeoutSeconds: 900 } });
const two = templates({ cors: { allowedOrigins: ORIGINS } });
const none = templates();

test('long tool calls stream: the MCP methods wait streamingTimeoutSeconds, the others 29 s', () => {
  const proxies = one.of('AWS::ApiGateway::Method').filter((m) => m.Integration?.Type === 'HTTP_PROXY');
  const streaming = proxies.filter((m) => m.Integration.ResponseTransferMode === 'STREAM');
  expect(streaming.length).toBe(2); // ANY /mcp and ANY /mcp/{proxy+}
  for (const m of streaming) expect(m.Integration.TimeoutInMillis).toBe(900_000);
  for (const m of proxies.filter((p) => p.Integration.ResponseTransferMode !== 'STREAM')) expect(m.Integration.TimeoutInMillis).toBe(29_000);
  for (const m of none.of('AWS::ApiGateway::Method').filter((p) => p.Integration?.ResponseTransferMode === 'STREAM')) expect(m.Integration.TimeoutInMillis).toBe(300_000);
});

test('long tool calls stream: the load balancer idles as long, and the server keeps connections longer', () => {
  const attribute = (t: ReturnType<typeof templates>, key: string) => t.of('AWS::ElasticLoadBalancingV2::LoadBalancer')[0].LoadBalancerAttributes.find((a: any) => a.Key === key)?.Value;
  expect(attribute(one, 'idle_timeout.timeout_seconds')).toBe('900');
  expect(attribute(none, 'idle_timeout.timeout_seconds')).toBe('300');
  const env = none.of('AWS::ECS::TaskDefinition')[0].ContainerDefinitions[0].Environment;
  expect(env).toContainEqual({ Name: 'STREAMING_TIMEOUT_SECONDS', Value: '300' });
});

test('EDGE-5: with one origin every gateway response lets it read the answer and the challenge headers', () => {
  for (const type of ['UNAUTHORIZED', 'ACCESS_DENIED', 'THROTTLED', 'DEFAULT_4XX', 'DEFAULT_5XX', 'MISSING_AUTHENTICATION_TOKEN']) {
    expect(one.gatewayResponse(type)).toMatchObject({
      'gatewayresponse.header.Access-Control-Allow-Origin': `'${ORIGINS[0]}'`,
      'gatewayresponse.header.Access-Control-Expose-Headers': "'WWW-Authenticate, Mcp-Session-Id, Retry-After'",
      'gatewayresponse.header.Strict-Transport-Security': expect.any(String),
    });
  }
  expect(one.wellKnown.Integration.IntegrationResponses[0].ResponseParameters['method.response.header.Access-Control-Allow-Origin']).toBe(`'${ORIGINS[0]}'`);
});

test('EDGE-5: with two origins the gateway responses echo Origin, which the web ACL has already checked', () => {
  expect(two.gatewayResponse('UNAUTHORIZED')).toMatchObject({
    'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
    'gatewayresponse.header.Vary': "'Origin'",
  });
  const acl = two.of('AWS::WAFv2::WebACL').find((a) => a.Description.includes('API stage'));
  const check = acl.Rules.find((r: any) => r.Name === 'BlockDisallowedOrigin');
  const allowed = check.Statement.AndStatement.Statements[1].NotStatement.Statement.OrStatement.Statements.map((s: any) => s.ByteMatchStatement.SearchString);
  expect(allowed).toEqual(ORIGINS);
  // The metadata document echoes Origin only when it is one of them (a template condition).
  const template = two.wellKnown.Integration.IntegrationResponses[0].ResponseTemplates['application/json'];
  expect(template).toContain(`#if($origin == "${ORIGINS[0]}" || $origin == "${ORIGINS[1]}")`);
  expect(template).toContain('#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)');
});

test('EDGE-5: without origins no response carries CORS headers and Origin is not checked', () => {
  expect(none.gatewayResponse('UNAUTHORIZED')['gatewayresponse.header.Access-Control-Allow-Origin']).toBeUndefined();
  expect(none.of('AWS::WAFv2::WebACL').flatMap((a) => a.Rules.map((r: any) => r.Name))).not.toContain('BlockDisallowedOrigin');
});

test("a 403 carries the authorizer's insufficient_scope challenge, a 429 when to retry", () => {
  expect(none.gatewayResponse('ACCESS_DENIED')['gatewayresponse.header.WWW-Authenticate']).toBe('context.authorizer.wwwAuthenticate');
  expect(none.gatewayResponse('THROTTLED')['gatewayresponse.header.Retry-After']).toBe("'1'");
  expect(none.gatewayResponse('UNAUTHORIZED')['gatewayresponse.header.WWW-Authenticate']).toMatch(/^'Bearer resource_metadata="https:\/\/mcp\.example\.com\/\.well-known\/oauth-protected-resource"'$/);
});

test("EDGE-1: the load balancer's web ACL counts body rules on /mcp and /<stage>/mcp and blocks them elsewhere", () => {
  const acl = none.of('AWS::WAFv2::WebACL').find((a) => a.Description.includes('load balancer'));
  const block = acl.Rules.find((r: any) => r.Name === 'BlockBodySignaturesOutsideMcp');
  const paths = block.Statement.AndStatement.Statements[1].NotStatement.Statement.OrStatement.Statements.map((s: any) => s.ByteMatchStatement.SearchString);
  expect(paths).toEqual(['/mcp', '/mcp/', `/${API_STAGE_NAME}/mcp`, `/${API_STAGE_NAME}/mcp/`]);
  const listener = none.of('AWS::ElasticLoadBalancingV2::Listener')[0];
  expect(listener.ListenerAttributes ?? []).not.toContainEqual(expect.objectContaining({ Key: 'routing.http.response.access_control_allow_origin.header_value' }));
  const withOrigin = one.of('AWS::ElasticLoadBalancingV2::Listener')[0].ListenerAttributes;
  expect(withOrigin).toContainEqual({ Key: 'routing.http.response.access_control_expose_headers.header_value', Value: 'WWW-Authenticate,Mcp-Session-Id,Retry-After' });
});
