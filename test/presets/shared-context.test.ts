import { Match } from 'aws-cdk-lib/assertions';
import { SignJWT, type JWTVerifyGetKey } from 'jose';
import { SHARED_CONTEXT } from '../../lib/config/presets';
import {
  apiMethods, bearer, claimsTableProblems, issue, misquotedClaims, NOW, outcome, presetAuthorizer, presetConfig, request,
  resourcesOf, synthesize, withSeeds,
} from './preset-harness';

const config = presetConfig('shared-context');
const templates = synthesize(config);
const SECRET = new TextEncoder().encode('a-shared-context-hs256-secret-of-32-bytes+');
const jwtKey: JWTVerifyGetKey = async () => SECRET;

async function jwt(claims: Record<string, unknown> = {}, alg = 'HS256', key: Uint8Array = SECRET): Promise<string> {
  const iat = Math.floor(NOW / 1000);
  return new SignJWT({ sub: 'agent-7', agent_type: 'claude', role: 'writer', iss: 'shared-context', aud: 'shared-context-mcp', iat, exp: iat + 3600, ...claims })
    .setProtectedHeader({ alg })
    .sign(key);
}

test('the claims table: every claim names a test of this file and a checklist item', () => {
  expect(claimsTableProblems(SHARED_CONTEXT, __filename)).toEqual([]);
});

withSeeds('the claims table: every quote is verbatim in seed 001', () => {
  expect(misquotedClaims(SHARED_CONTEXT)).toEqual([]);
});

test('AUTH-5: an HS256 JWT of at most 24 h is accepted; a longer one, another algorithm or a wrong issuer is refused', async () => {
  // GIVEN the preset's authorizer with the HS256 secret
  const { authorizer } = presetAuthorizer(config, { jwtKey });
  const iat = Math.floor(NOW / 1000);
  // THEN
  expect(await outcome(authorizer, 'POST', '/mcp', bearer(await jwt({ exp: iat + 86400 })))).toBe('allow');
  expect(await outcome(authorizer, 'POST', '/mcp', bearer(await jwt({ exp: iat + 86400 + 3600 })))).toBe('unauthorized');
  expect(await outcome(authorizer, 'POST', '/mcp', bearer(await jwt({ iss: 'someone-else' })))).toBe('unauthorized');
  expect(await outcome(authorizer, 'POST', '/mcp', bearer(await jwt({}, 'HS512', new Uint8Array(64).fill(7))))).toBe('unauthorized');
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', iss: 'shared-context', aud: 'shared-context-mcp', iat, exp: iat + 60 })).toString('base64url')}.`;
  expect(await outcome(authorizer, 'POST', '/mcp', bearer(unsigned))).toBe('unauthorized');
  expect(config.auth.jwt).toMatchObject({ mode: 'hs256', algorithms: ['HS256'], maxLifetimeSeconds: 86400 });
});

test('RBAC-1: the four permissions read, write, admin and debug each open their own routes', async () => {
  const tokens = Object.fromEntries(['reader', 'writer', 'debugger', 'admin'].map((role) => [role, issue(config, role)]));
  const { authorizer } = presetAuthorizer(config, { records: Object.values(tokens).map((t) => t.record) });
  const row = async (role: string) => Promise.all([
    outcome(authorizer, 'GET', '/api/sessions', bearer(tokens[role].token)),
    outcome(authorizer, 'POST', '/api/sessions', bearer(tokens[role].token)),
    outcome(authorizer, 'GET', '/debug/state', bearer(tokens[role].token)),
    outcome(authorizer, 'POST', '/admin/permissions', bearer(tokens[role].token)),
  ]);
  //                                 read     write    debug    admin
  expect(await row('reader')).toEqual(['allow', 'deny', 'deny', 'deny']);
  expect(await row('writer')).toEqual(['allow', 'allow', 'deny', 'deny']);
  expect(await row('debugger')).toEqual(['allow', 'deny', 'allow', 'deny']);
  expect(await row('admin')).toEqual(['allow', 'allow', 'allow', 'allow']);
  expect(config.rbac.permissions).toEqual(['read', 'write', 'admin', 'debug']);
});

test('AUTH-4: opaque tokens carry the sct_ prefix; a token of another format is not recognized', async () => {
  const writer = issue(config, 'writer');
  expect(writer.token.startsWith('sct_')).toBe(true);
  const { authorizer } = presetAuthorizer(config, { records: [writer.record], jwtKey });
  expect(await outcome(authorizer, 'POST', '/api/x', bearer(writer.token))).toBe('allow');
  const decision = await authorizer.decide(request('POST', '/api/x', bearer(`mcp_${writer.token.slice(4)}`)));
  expect(decision).toMatchObject({ kind: 'unauthorized', reason: 'credential_unrecognized' });
});

test('AUTH-2: a token is accepted in X-API-Key or Authorization, and in no other header', async () => {
  const writer = issue(config, 'writer');
  const { authorizer } = presetAuthorizer(config, { records: [writer.record] });
  expect(await outcome(authorizer, 'GET', '/mcp', { 'X-API-Key': writer.token })).toBe('allow');
  expect(await outcome(authorizer, 'GET', '/mcp', bearer(writer.token))).toBe('allow');
  expect(await authorizer.decide(request('GET', '/mcp', { 'X-Access-Token': writer.token }))).toMatchObject({ kind: 'unauthorized', reason: 'credential_missing' });
  // The WAF rate-limits per X-API-Key too.
  templates.edge.hasResourceProperties('AWS::WAFv2::WebACL', {
    Rules: Match.arrayWith([Match.objectLike({ Name: 'RatePerCredential-x-api-key' })]),
  });
});

test('AUDIT-1: a failed authentication is an audit event without the credential, and failures raise an alarm', async () => {
  // GIVEN a revoked (unknown) token
  const stranger = issue(config, 'admin');
  const { authorizer, audit } = presetAuthorizer(config);
  // WHEN
  await authorizer.decide(request('POST', '/admin/permissions', { 'X-API-Key': stranger.token }));
  // THEN
  expect(audit.decisions).toEqual([expect.objectContaining({
    event: 'auth.deny', decision: 'unauthorized', reason: 'token_unknown', credentialSource: 'x-api-key',
    route: { method: 'POST', path: '/admin/permissions' }, sourceIp: '203.0.113.7', requestId: 'req-0001',
  })]);
  expect(JSON.stringify(audit.decisions)).not.toContain(stranger.token);
  // AND the audit stack alarms on failed authentications.
  templates.audit.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: Match.stringLikeRegexp('auth.deny.*unauthorized'), MetricTransformations: [Match.objectLike({ MetricName: 'AuthenticationFailures' })] });
  templates.audit.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuthenticationFailures', Threshold: config.audit.authFailureThreshold });
});

test('EDGE-7: the gateway answers errors with a generic JSON message and the request id only', () => {
  const responses = resourcesOf(templates.edge, 'AWS::ApiGateway::GatewayResponse');
  expect(responses.map(([, r]) => r.Properties.ResponseType).sort()).toEqual(['ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX', 'MISSING_AUTHENTICATION_TOKEN', 'THROTTLED', 'UNAUTHORIZED']);
  for (const [, r] of responses) {
    const body = JSON.parse(r.Properties.ResponseTemplates['application/json'].replace('$context.requestId', 'id'));
    expect(Object.keys(body)).toEqual(['message', 'requestId']);
    expect(body.message).toMatch(/^(Unauthorized|Forbidden|Too Many Requests|Not Found|Request refused|Internal error)$/);
  }
  templates.edge.hasResourceProperties('AWS::ApiGateway::Stage', { MethodSettings: Match.arrayWith([Match.objectLike({ DataTraceEnabled: false })]) });
});

test('TLS-2: the custom domain and the load balancer listener use TLS 1.3 policies', () => {
  templates.edge.hasResourceProperties('AWS::ApiGateway::DomainName', { SecurityPolicy: Match.stringLikeRegexp('^SecurityPolicy_TLS13') });
  templates.service.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS', SslPolicy: Match.stringLikeRegexp('TLS13') });
  expect(apiMethods(templates.edge).length).toBeGreaterThan(0);
});

test('SEC-3: an opaque token past its expiry is refused', async () => {
  const expired = issue(config, 'writer', { expiresAt: '2026-11-30T23:59:59Z' });
  const fresh = issue(config, 'writer');
  const { authorizer } = presetAuthorizer(config, { records: [expired.record, fresh.record] });
  expect(await authorizer.decide(request('GET', '/mcp', bearer(expired.token)))).toMatchObject({ kind: 'unauthorized', reason: 'token_expired' });
  expect(await outcome(authorizer, 'GET', '/mcp', bearer(fresh.token))).toBe('allow');
  expect(config.auth.tokenMaxLifetimeDays).toBe(90);
});
