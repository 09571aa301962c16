import { ENFORCEMENT_POINT_PORT } from '../../lib/constructs/service/enforcement-point-container';
import { Match } from 'aws-cdk-lib/assertions';
import { ConfigError } from '../../lib/config';
import { MCP_TYPESCRIPT } from '../../lib/config/presets';
import {
  apiMethods, bearer, claimsTableProblems, issue, misquotedClaims, outcome, presetAuthorizer, presetConfig, request,
  resourcesOf, synthesize, wafRules, withSeeds,
} from './preset-harness';

const ORIGINS = ['https://app.example.com', 'https://admin.example.com'];
const config = presetConfig('mcp-typescript', { cors: { allowedOrigins: ORIGINS } });
const templates = synthesize(config);
const rules = wafRules(templates.edge);

test('the claims table: every claim names a test of this file and a checklist item', () => {
  expect(claimsTableProblems(MCP_TYPESCRIPT, __filename)).toEqual([]);
});

withSeeds('the claims table: every quote is verbatim in seed 002', () => {
  expect(misquotedClaims(MCP_TYPESCRIPT)).toEqual([]);
});

test('AUTH-2: only Authorization: Bearer carries a token; X-Access-Token and X-API-Key are ignored', async () => {
  const agent = issue(config, 'agent');
  const { authorizer } = presetAuthorizer(config, { records: [agent.record] });
  expect(await outcome(authorizer, 'POST', '/mcp', bearer(agent.token))).toBe('allow');
  expect(await authorizer.decide(request('POST', '/mcp', { 'X-Access-Token': agent.token }))).toMatchObject({ kind: 'unauthorized', reason: 'credential_missing' });
  expect(await authorizer.decide(request('POST', '/mcp', { 'X-API-Key': agent.token }))).toMatchObject({ kind: 'unauthorized', reason: 'credential_missing' });
  expect(await authorizer.decide(request('POST', '/mcp', { Authorization: `Basic ${agent.token}` }))).toMatchObject({ kind: 'unauthorized', reason: 'credential_malformed' });
  // One credential header: API Gateway itself refuses a request without it, and caches per token.
  templates.edge.hasResourceProperties('AWS::ApiGateway::Authorizer', { IdentitySource: 'method.request.header.authorization' });
});

test('AUTH-1: every route but the health check and the well-known document goes through the authorizer', () => {
  const methods = apiMethods(templates.edge).filter((m) => m.properties.HttpMethod !== 'OPTIONS');
  const open = methods.filter((m) => m.properties.AuthorizationType !== 'CUSTOM').map((m) => m.route);
  expect(open.sort()).toEqual(['GET /.well-known/oauth-protected-resource', 'GET /health']);
  expect(methods.filter((m) => m.properties.AuthorizationType === 'CUSTOM').length).toBeGreaterThanOrEqual(6);
});

test('AUTH-4: a bearer token of 31 characters is refused before any lookup', async () => {
  const { authorizer } = presetAuthorizer(config);
  const short = `mcp_${'a'.repeat(27)}`;
  expect(short).toHaveLength(31);
  expect(await authorizer.decide(request('POST', '/mcp', bearer(short)))).toMatchObject({ kind: 'unauthorized', reason: 'credential_too_short' });
  expect(config.auth.minTokenLength).toBe(32);
});

test('EDGE-2: 30 requests per minute per source IP', () => {
  expect(rules.RatePerIp.Statement.RateBasedStatement).toEqual({ AggregateKeyType: 'IP', Limit: 30, EvaluationWindowSec: 60 });
});

test('EDGE-2: every rate limit, at the WAF and at the stage, answers 429', () => {
  const rateRules = Object.values(rules).filter((r: any) => r.Statement.RateBasedStatement);
  expect(rateRules.map((r: any) => r.Name).sort()).toEqual(['RatePerCredential-authorization', 'RatePerIp', 'WritesPerCredential-authorization']);
  for (const rule of rateRules as any[]) expect(rule.Action.Block.CustomResponse.ResponseCode).toBe(429);
  templates.edge.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'THROTTLED', StatusCode: '429' });
  templates.edge.hasResourceProperties('AWS::ApiGateway::Stage', {
    MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: config.rateLimits.stageRatePerSecond, ThrottlingBurstLimit: config.rateLimits.stageBurst })]),
  });
});

test("EDGE-5: CORS allows exactly the configured origins, and '*' is refused", () => {
  // The preflight answers list the configured origins and nothing else.
  const preflights = apiMethods(templates.edge).filter((m) => m.properties.HttpMethod === 'OPTIONS');
  expect(preflights.length).toBeGreaterThan(0);
  const allowed = new Set<string>();
  for (const m of preflights) {
    const template = JSON.stringify(m.properties.Integration);
    for (const origin of template.match(/https:\/\/[a-z.]+\.com/g) ?? []) allowed.add(origin);
    expect(template).not.toMatch(/Allow-Origin'?":"'\*'/);
  }
  expect([...allowed].sort()).toEqual([...ORIGINS].sort());
  // '*' never loads.
  expect(() => presetConfig('mcp-typescript', { cors: { allowedOrigins: ['*'] } })).toThrow(ConfigError);
  expect(() => presetConfig('mcp-typescript', { cors: { allowedOrigins: ['*'] } })).toThrow(/'\*' is not allowed: list each origin \(EDGE-5\)/);
});

test('EDGE-7: refused requests get generic messages: 400 for credentials in the query, a fixed body for every 4xx', () => {
  expect(rules.BlockCredentialsInQuery.Action.Block.CustomResponse.ResponseCode).toBe(400);
  templates.edge.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
    ResponseType: 'DEFAULT_4XX',
    ResponseTemplates: { 'application/json': '{"message":"Request refused","requestId":"$context.requestId"}' },
  });
  templates.edge.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestParameters: true });
});

test('NET-3: the server port 8080 admits the internal load balancer only, and nothing admits the internet', () => {
  const all = [templates.service, templates.edge, templates.network];
  for (const t of all) {
    for (const [, ingress] of resourcesOf(t, 'AWS::EC2::SecurityGroupIngress')) {
      expect(ingress.Properties.CidrIp).not.toBe('0.0.0.0/0');
      expect(ingress.Properties.CidrIpv6).not.toBe('::/0');
    }
    for (const [, group] of resourcesOf(t, 'AWS::EC2::SecurityGroup')) {
      for (const ingress of group.Properties.SecurityGroupIngress ?? []) expect(ingress.CidrIp).not.toBe('0.0.0.0/0');
    }
  }
  // The server's port 8080 admits nothing: the load balancer reaches the MCP enforcement point's port,
  // which forwards to the server on 127.0.0.1 inside the task (enforcement-point/).
  expect(resourcesOf(templates.service, 'AWS::EC2::SecurityGroupIngress').filter(([, i]) => i.Properties.FromPort === 8080)).toEqual([]);
  const toServer = resourcesOf(templates.service, 'AWS::EC2::SecurityGroupIngress').filter(([, i]) => i.Properties.FromPort === ENFORCEMENT_POINT_PORT);
  expect(toServer).toHaveLength(1);
  expect(toServer[0][1].Properties.SourceSecurityGroupId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^LoadBalancerSecurityGroup/), 'GroupId'] });
  templates.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
});

test('TLS-2: TLS 1.2 at least on both hops, with ACM certificates', () => {
  templates.edge.hasResourceProperties('AWS::ApiGateway::DomainName', {
    SecurityPolicy: Match.stringLikeRegexp('^SecurityPolicy_TLS13'),
    RegionalCertificateArn: Match.stringLikeRegexp('^arn:aws:acm:'),
  });
  templates.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    Protocol: 'HTTPS',
    SslPolicy: Match.stringLikeRegexp('TLS13'),
    Certificates: [{ CertificateArn: Match.stringLikeRegexp('^arn:aws:acm:') }],
  });
  // The gateway reaches the load balancer over HTTPS too.
  for (const m of apiMethods(templates.edge).filter((x) => x.properties.Integration?.Type === 'HTTP_PROXY')) {
    expect(m.properties.Integration.Uri).toMatch(/^https:\/\//);
  }
});

test('SEC-3: an expired token is refused, and issued tokens live at most 90 days', async () => {
  const expired = issue(config, 'agent', { expiresAt: '2026-11-01T00:00:00Z' });
  const { authorizer } = presetAuthorizer(config, { records: [expired.record] });
  expect(await authorizer.decide(request('POST', '/mcp', bearer(expired.token)))).toMatchObject({ kind: 'unauthorized', reason: 'token_expired' });
  expect(config.auth.tokenMaxLifetimeDays).toBe(90);
});
