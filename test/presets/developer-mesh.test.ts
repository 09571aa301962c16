import { ENFORCEMENT_POINT_PORT } from '../../lib/constructs/service/enforcement-point-container';
import { Match } from 'aws-cdk-lib/assertions';
import { SignJWT, type JWTVerifyGetKey } from 'jose';
import { DEVELOPER_MESH } from '../../lib/config/presets';
import {
  apiMethods, bearer, claimsTableProblems, issue, misquotedClaims, NOW, outcome, presetAuthorizer, presetConfig,
  resourcesOf, synthesize, wafRules, withSeeds,
} from './preset-harness';

const config = presetConfig('developer-mesh');
const templates = synthesize(config);
const rules = wafRules(templates.edge);
const SECRET = new TextEncoder().encode('a-developer-mesh-hs256-secret-32-bytes-long');
const jwtKey: JWTVerifyGetKey = async () => SECRET;

/** Outcomes of: read contexts, write contexts, execute tools over MCP, administer. */
async function row(token: string, records = [] as ReturnType<typeof issue>['record'][]): Promise<string[]> {
  const { authorizer } = presetAuthorizer(config, { records, jwtKey });
  return [
    await outcome(authorizer, 'GET', '/api/v1/contexts', bearer(token)),
    await outcome(authorizer, 'PUT', '/api/v1/contexts/42', bearer(token)),
    await outcome(authorizer, 'POST', '/mcp', bearer(token)),
    await outcome(authorizer, 'GET', '/api/v1/admin/keys', bearer(token)),
  ];
}

test('the claims table: every claim names a test of this file and a checklist item', () => {
  expect(claimsTableProblems(DEVELOPER_MESH, __filename)).toEqual([]);
});

withSeeds('the claims table: every quote is verbatim in seed 003', () => {
  expect(misquotedClaims(DEVELOPER_MESH)).toEqual([]);
});

test('NET-2: the MCP server (8080) serves /mcp and the REST API (8081) serves /api, as two target groups reachable from the load balancer only', () => {
  const service = templates.service;
  const groups = Object.fromEntries(resourcesOf(service, 'AWS::ElasticLoadBalancingV2::TargetGroup').map(([id, g]) => [id, g.Properties.Port]));
  expect(Object.values(groups).sort()).toEqual([8080, 8081]);
  // Each path goes to the target group of its port.
  const forwards = resourcesOf(service, 'AWS::ElasticLoadBalancingV2::ListenerRule').map(([, r]) => ({
    paths: r.Properties.Conditions[0].PathPatternConfig?.Values ?? r.Properties.Conditions[0].Values,
    port: groups[r.Properties.Actions[0].TargetGroupArn.Ref],
  }));
  const portOf = (path: string) => new Set(forwards.filter((f) => f.paths.includes(path)).map((f) => f.port));
  expect(portOf('/mcp/*')).toEqual(new Set([8080]));
  expect(portOf('/api/*')).toEqual(new Set([8081]));
  // /api/v1/admin lies under /api, which one backend serves whole: the /api rules carry it (listener-paths.ts).
  const routedTo = (path: string) => new Set(forwards.filter((f) => f.paths.some((p: string) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(path))).map((f) => f.port));
  expect(routedTo('/api/v1/admin/users')).toEqual(new Set([8081]));
  expect(routedTo('/mcp')).toEqual(new Set([8080]));
  // The server container maps both ports; the load balancer reaches the REST port and the MCP enforcement
  // point's port (which forwards to 8080 inside the task), each from its security group only; 8080 admits nothing.
  service.hasResourceProperties('AWS::ECS::TaskDefinition', {
    ContainerDefinitions: Match.arrayWith([Match.objectLike({ PortMappings: [Match.objectLike({ ContainerPort: 8080, Name: 'mcp' }), Match.objectLike({ ContainerPort: 8081, Name: 'rest' })] })]),
  });
  const ingress = resourcesOf(service, 'AWS::EC2::SecurityGroupIngress').filter(([, i]) => [8080, 8081, ENFORCEMENT_POINT_PORT].includes(i.Properties.FromPort));
  expect(ingress.map(([, i]) => i.Properties.FromPort).sort((a, b) => a - b)).toEqual([8081, ENFORCEMENT_POINT_PORT]);
  for (const [, i] of ingress) expect(i.Properties.SourceSecurityGroupId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^LoadBalancerSecurityGroup/), 'GroupId'] });
});

test('NET-3: /metrics is not reachable from outside: no API route and no load balancer rule leads to it', () => {
  expect(apiMethods(templates.edge).map((m) => m.route).filter((r) => r.includes('metrics'))).toEqual([]);
  const patterns = resourcesOf(templates.service, 'AWS::ElasticLoadBalancingV2::ListenerRule')
    .flatMap(([, r]) => r.Properties.Conditions.flatMap((c: any) => c.PathPatternConfig?.Values ?? c.Values ?? []));
  const matches = (pattern: string, path: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(path);
  expect(patterns.length).toBeGreaterThan(0);
  expect(patterns.filter((p: string) => matches(p, '/metrics') || matches(p, '/v1/metrics'))).toEqual([]);
  // Anything else gets the listener's 404.
  templates.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) })],
  });
});

test('RBAC-1: a viewer reads the REST API and nothing else', async () => {
  const viewer = issue(config, 'viewer');
  expect(await row(viewer.token, [viewer.record])).toEqual(['allow', 'deny', 'deny', 'deny']);
});

test('RBAC-1: a user reads and writes contexts and executes tools over MCP, but is no admin', async () => {
  const user = issue(config, 'user');
  expect(await row(user.token, [user.record])).toEqual(['allow', 'allow', 'allow', 'deny']);
});

test('RBAC-1: an admin reaches every route', async () => {
  const admin = issue(config, 'admin');
  expect(await row(admin.token, [admin.record])).toEqual(['allow', 'allow', 'allow', 'allow']);
});

test('AUTH-5: an HS256 JWT with a role and an issued API key are both accepted; an expired JWT is not', async () => {
  const iat = Math.floor(NOW / 1000);
  const sign = (claims: Record<string, unknown>) => new SignJWT({ sub: 'dev-1', role: 'user', iss: 'developer-mesh', aud: 'developer-mesh', iat, exp: iat + 3600, ...claims })
    .setProtectedHeader({ alg: 'HS256' }).sign(SECRET);
  const apiKey = issue(config, 'viewer');
  expect(await row(await sign({}))).toEqual(['allow', 'allow', 'allow', 'deny']);
  expect(await row(apiKey.token, [apiKey.record])).toEqual(['allow', 'deny', 'deny', 'deny']);
  expect((await row(await sign({ iat: iat - 7200, exp: iat - 3600 })))[0]).toBe('unauthorized');
  expect(config.auth.jwt).toMatchObject({ mode: 'hs256', algorithms: ['HS256'], maxLifetimeSeconds: 86400 });
});

test('EDGE-2: per-IP and per-user (per-credential) WAF limits, and a stage rate with a burst', () => {
  expect(rules.RatePerIp.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: config.rateLimits.perIpPerMinute });
  expect(rules['RatePerCredential-authorization'].Statement.RateBasedStatement).toMatchObject({
    AggregateKeyType: 'CUSTOM_KEYS',
    CustomKeys: [{ Header: expect.objectContaining({ Name: 'authorization' }) }],
    Limit: config.rateLimits.perCredentialPerMinute,
  });
  templates.edge.hasResourceProperties('AWS::ApiGateway::Stage', {
    MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: config.rateLimits.stageRatePerSecond, ThrottlingBurstLimit: config.rateLimits.stageBurst })]),
  });
  expect(config.rateLimits.stageBurst).toBeGreaterThan(config.rateLimits.stageRatePerSecond);
});

test('EDGE-2: over the threshold the answer is 429, and rate-limit violations raise an alarm', () => {
  // The seed's test sends 200 requests with one token: the per-credential limits, and the per-IP limit of
  // requests without a credential, are far below that. The per-IP limit of authenticated requests is
  // shared by every agent behind one address (README, "Many agents behind one address").
  for (const name of ['RatePerCredential-authorization', 'WritesPerCredential-authorization', 'RatePerIpWithoutCredential']) {
    expect(rules[name].Statement.RateBasedStatement.Limit).toBeLessThan(200);
    expect(rules[name].Action.Block.CustomResponse.ResponseCode).toBe(429);
  }
  expect(rules.RatePerIp.Action.Block.CustomResponse.ResponseCode).toBe(429);
  templates.edge.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'THROTTLED', StatusCode: '429' });
  templates.audit.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.status = "429" }' });
  templates.audit.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ThrottledRequests' });
});

test('AUDIT-3: every audit log group keeps 90 days, is encrypted with the audit key and is retained on deletion', () => {
  const groups = resourcesOf(templates.audit, 'AWS::Logs::LogGroup');
  expect(groups.length).toBeGreaterThanOrEqual(4);
  const raw = templates.audit.toJSON().Resources as Record<string, any>;
  for (const [id, group] of groups) {
    expect(group.Properties.RetentionInDays).toBe(90);
    expect(group.Properties.KmsKeyId).toBeDefined();
    expect(raw[id].DeletionPolicy).toBe('Retain');
  }
});

test('SEC-2: the JWT secret is an SSM SecureString parameter that only the authorizer may read', () => {
  // The authorizer's settings name the parameter, never its value.
  const [[, fn]] = resourcesOf(templates.edge, 'AWS::Lambda::Function').filter(([, f]) => (f as any).Metadata?.['McpPerimeter::AuthorizerSettings']);
  const settings = JSON.stringify((fn as any).Metadata['McpPerimeter::AuthorizerSettings']);
  expect(settings).toContain('/mcp-perimeter/dev/jwt/hs256-secret');
  expect(settings).not.toContain(new TextDecoder().decode(SECRET));
  // Only the authorizer's role may read it.
  const readers = resourcesOf(templates.edge, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('jwt/hs256-secret'));
  expect(readers).toHaveLength(1);
  expect(JSON.stringify(readers[0][1].Properties.PolicyDocument)).toMatch(/ssm:GetParameter/);
  expect(JSON.stringify(readers[0][1].Properties.Roles)).toMatch(/Authorizer/);
  templates.keys.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('JWT secret'), EnableKeyRotation: true });
});

test('EDGE-1: a WAF web ACL with the managed rule groups guards the API stage and the load balancer', () => {
  for (const t of [templates.edge, templates.service]) {
    const names = Object.keys(wafRules(t));
    expect(names).toEqual(expect.arrayContaining(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesCommonRuleSet']));
    t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  }
});

test('EDGE-4: the load balancer and the gateway responses carry the security headers', () => {
  const [[, listener]] = resourcesOf(templates.service, 'AWS::ElasticLoadBalancingV2::Listener');
  const attributes = Object.fromEntries((listener.Properties.ListenerAttributes as any[]).map((a) => [a.Key, a.Value]));
  for (const header of ['strict_transport_security', 'content_security_policy', 'x_content_type_options', 'x_frame_options']) {
    expect(attributes[`routing.http.response.${header}.header_value`]).toEqual(expect.any(String));
  }
  for (const [, response] of resourcesOf(templates.edge, 'AWS::ApiGateway::GatewayResponse')) {
    expect(Object.keys(response.Properties.ResponseParameters)).toEqual(expect.arrayContaining([
      'gatewayresponse.header.Strict-Transport-Security', 'gatewayresponse.header.Content-Security-Policy',
      'gatewayresponse.header.X-Content-Type-Options', 'gatewayresponse.header.X-Frame-Options',
      'gatewayresponse.header.Referrer-Policy', 'gatewayresponse.header.Permissions-Policy',
    ]));
  }
});

test('TLS-3: TLS 1.3 policies at the edge and on the load balancer, and the gateway reaches it over HTTPS', () => {
  templates.edge.hasResourceProperties('AWS::ApiGateway::DomainName', { SecurityPolicy: Match.stringLikeRegexp('^SecurityPolicy_TLS13') });
  templates.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS', SslPolicy: Match.stringLikeRegexp('TLS13') });
  const proxied = apiMethods(templates.edge).filter((m) => m.properties.Integration?.Type === 'HTTP_PROXY');
  expect(proxied.length).toBeGreaterThan(0);
  for (const m of proxied) expect(m.properties.Integration).toMatchObject({ Uri: expect.stringMatching(/^https:\/\/mcp-internal\.example\.com\//), ConnectionType: 'VPC_LINK' });
});
