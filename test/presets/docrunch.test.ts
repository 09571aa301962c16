import { Match } from 'aws-cdk-lib/assertions';
import { IDENTITY_HEADERS } from '../../lib/constructs/edge/perimeter-api';
import { DOCRUNCH } from '../../lib/config/presets';
import {
  apiMethods, bearer, claimsTableProblems, issue, misquotedClaims, outcome, presetAuthorizer, presetConfig, request,
  resourcesOf, synthesize, wafRules, withSeeds,
} from './preset-harness';

const config = presetConfig('docrunch');
const templates = synthesize(config);
const rules = wafRules(templates.edge);

test('the claims table: every claim names a test of this file and a checklist item', () => {
  expect(claimsTableProblems(DOCRUNCH, __filename)).toEqual([]);
});

withSeeds('the claims table: every quote is verbatim in seed 000', () => {
  expect(misquotedClaims(DOCRUNCH)).toEqual([]);
});

test('AUTH-7: the agent id and agent type of the token reach the backend as headers set from the authorizer, never from the client', async () => {
  // GIVEN an agent token for claude-cli-1 of type claude
  const agent = issue(config, 'agent', { agentId: 'claude-cli-1', agentType: 'claude' });
  const { authorizer } = presetAuthorizer(config, { records: [agent.record] });
  // WHEN the client also sends its own identity headers
  const answer = await authorizer.handle(request('POST', '/mcp', { ...bearer(agent.token), 'X-Mcp-Agent-Id': 'admin-1' }));
  // THEN the authorizer's context carries the token's identity
  expect(answer.context).toMatchObject({ agentId: 'claude-cli-1', agentType: 'claude', role: 'agent' });
  // AND every authorized method maps the identity headers from that context, overriding the client's
  const authorized = apiMethods(templates.edge).filter((m) => m.properties.AuthorizationType === 'CUSTOM');
  expect(authorized.length).toBeGreaterThan(0);
  for (const m of authorized) {
    expect(m.properties.Integration.RequestParameters).toMatchObject({
      'integration.request.header.X-Mcp-Agent-Id': 'context.authorizer.agentId',
      'integration.request.header.X-Mcp-Agent-Type': 'context.authorizer.agentType',
    });
  }
  expect(Object.keys(IDENTITY_HEADERS)).toEqual(expect.arrayContaining(['X-Mcp-Agent-Id', 'X-Mcp-Agent-Type']));
});

test('AUTH-7: the MCP session id travels to the backend unchanged (HTTP proxy, no mapping overrides mcp-session-id)', () => {
  const mcp = apiMethods(templates.edge).filter((m) => m.route.startsWith('ANY /mcp'));
  expect(mcp.map((m) => m.route).sort()).toEqual(['ANY /mcp', 'ANY /mcp/{proxy+}']);
  for (const m of mcp) {
    expect(m.properties.Integration.Type).toBe('HTTP_PROXY');
    const mapped = Object.keys(m.properties.Integration.RequestParameters ?? {});
    expect(mapped.filter((k) => /session/i.test(k))).toEqual([]);
  }
});

test('RBAC-1: reader reads, agent reads and writes, admin also administers', async () => {
  // GIVEN one token per role
  const reader = issue(config, 'reader');
  const agent = issue(config, 'agent');
  const admin = issue(config, 'admin');
  const { authorizer } = presetAuthorizer(config, { records: [reader.record, agent.record, admin.record] });
  const table = async (token: string) => [
    await outcome(authorizer, 'POST', '/mcp', bearer(token)),
    await outcome(authorizer, 'GET', '/api/docs', bearer(token)),
    await outcome(authorizer, 'POST', '/api/docs', bearer(token)),
    await outcome(authorizer, 'GET', '/admin/tokens', bearer(token)),
  ];
  // THEN the seed's table: Read | Write | Admin
  expect(await table(reader.token)).toEqual(['allow', 'allow', 'deny', 'deny']);
  expect(await table(agent.token)).toEqual(['allow', 'allow', 'allow', 'deny']);
  expect(await table(admin.token)).toEqual(['allow', 'allow', 'allow', 'allow']);
  // AND the backend learns the permissions, to gate its write tools
  expect((await authorizer.handle(request('POST', '/mcp', bearer(reader.token)))).context.permissions).toBe('read');
  expect((await authorizer.handle(request('POST', '/mcp', bearer(agent.token)))).context.permissions).toBe('read write');
});

test('AUTH-1: a request without a token is refused (401) and every route but the health check has the authorizer', async () => {
  const { authorizer } = presetAuthorizer(config);
  await expect(authorizer.handle(request('POST', '/mcp'))).rejects.toThrow('Unauthorized');
  const open = apiMethods(templates.edge).filter((m) => m.properties.AuthorizationType !== 'CUSTOM').map((m) => m.route);
  expect(open.filter((r) => !r.startsWith('OPTIONS')).sort()).toEqual(['GET /.well-known/oauth-protected-resource', 'GET /health']);
});

test('RBAC-3: with auth.readOnly an agent keeps read but every write is denied', async () => {
  // GIVEN the docrunch preset with the read-only switch on in the user's file
  const readOnly = presetConfig('docrunch', { auth: { readOnly: true } });
  const agent = issue(readOnly, 'agent');
  const admin = issue(readOnly, 'admin');
  const { authorizer } = presetAuthorizer(readOnly, { records: [agent.record, admin.record] });
  // THEN
  expect(await outcome(authorizer, 'GET', '/api/docs', bearer(agent.token))).toBe('allow');
  expect(await outcome(authorizer, 'POST', '/api/docs', bearer(agent.token))).toBe('deny');
  expect(await outcome(authorizer, 'DELETE', '/api/docs/1', bearer(admin.token))).toBe('deny');
  expect((await authorizer.handle(request('POST', '/mcp', bearer(agent.token)))).context.permissions).toBe('read');
});

test('EDGE-2: 60 requests per minute per agent token, answered 429', () => {
  for (const header of config.auth.credentialHeaders) {
    const rule = rules[`RatePerCredential-${header}`];
    expect(rule.Statement.RateBasedStatement).toMatchObject({
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: header, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
      Limit: 60,
      EvaluationWindowSec: 60,
    });
    expect(rule.Action.Block.CustomResponse.ResponseCode).toBe(429);
  }
});

test('EDGE-2: 30 writes per minute per agent token on the write routes, answered 429', () => {
  for (const header of config.auth.credentialHeaders) {
    const rule = rules[`WritesPerCredential-${header}`];
    const statement = rule.Statement.RateBasedStatement;
    expect(statement).toMatchObject({ Limit: 30, EvaluationWindowSec: 60, CustomKeys: [{ Header: { Name: header } }] });
    // Writes: not GET, HEAD or OPTIONS, on the /api write routes.
    const scope = JSON.stringify(statement.ScopeDownStatement);
    expect(scope).toContain('"SearchString":"/api"');
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(scope).toContain(`"SearchString":"${method}"`);
    expect(statement.ScopeDownStatement.AndStatement.Statements[0]).toHaveProperty('NotStatement');
    expect(rule.Action.Block.CustomResponse.ResponseCode).toBe(429);
  }
});

test('EDGE-6: request bodies over 40960 bytes (10,000 tokens) are refused with 413', () => {
  expect(rules.LimitBodySize.Statement.SizeConstraintStatement).toMatchObject({
    FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
    ComparisonOperator: 'GT',
    Size: 40960,
  });
  expect(rules.LimitBodySize.Action.Block.CustomResponse.ResponseCode).toBe(413);
  // WAF must see the whole body it bounds.
  templates.edge.hasResourceProperties('AWS::WAFv2::WebACL', {
    AssociationConfig: { RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_48' } } },
  });
});

test('NET-1: the MCP server has no public IP and admits traffic from the internal load balancer only, over a TLS-only listener', () => {
  const service = templates.service;
  service.hasResourceProperties('AWS::ECS::Service', {
    NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
  });
  service.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
  // Every ingress rule of the service's security group comes from the load balancer's security group.
  const [[serviceGroup]] = resourcesOf(service, 'AWS::EC2::SecurityGroup').filter(([, g]) => /MCP service/.test(g.Properties.GroupDescription));
  const ingress = resourcesOf(service, 'AWS::EC2::SecurityGroupIngress').filter(([, i]) => JSON.stringify(i.Properties.GroupId).includes(serviceGroup));
  expect(ingress.length).toBeGreaterThan(0);
  for (const [, rule] of ingress) {
    expect(rule.Properties.SourceSecurityGroupId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^LoadBalancerSecurityGroup/), 'GroupId'] });
    expect(rule.Properties).not.toHaveProperty('CidrIp');
  }
  // The only listener is HTTPS.
  const listeners = resourcesOf(service, 'AWS::ElasticLoadBalancingV2::Listener');
  expect(listeners.map(([, l]) => [l.Properties.Port, l.Properties.Protocol])).toEqual([[443, 'HTTPS']]);
});

test('SEC-2: tokens live in the token table under a rotating customer-managed key, and no environment holds one', async () => {
  // The secrets key encrypts the token table and records, and rotates.
  templates.keys.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('token table and records'), EnableKeyRotation: true });
  templates.keys.hasResourceProperties('AWS::DynamoDB::Table', { TableName: Match.absent(), SSESpecification: Match.objectLike({ SSEType: 'KMS' }) });
  // The authorizer looks tokens up one at a time in the table (issue 15).
  const policies = JSON.stringify(resourcesOf(templates.edge, 'AWS::IAM::Policy').map(([, p]) => p.Properties.PolicyDocument));
  expect(policies).toMatch(/dynamodb:GetItem/);
  expect(policies).not.toMatch(/ssm:GetParametersByPath/);
  // A token issued for this preset never shows up in any template.
  const token = issue(config, 'agent').token;
  const all = JSON.stringify([templates.keys, templates.audit, templates.network, templates.service, templates.edge].map((t) => t.toJSON()));
  expect(all).not.toContain(token);
  expect(all).not.toMatch(new RegExp(`${config.auth.tokenPrefix}[A-Za-z0-9_-]{20,}`));
});

test('AUDIT-1: each decision is a JSON audit event with timestamp, event, agent id, route and decision', async () => {
  // GIVEN
  const agent = issue(config, 'agent', { agentId: 'claude-cli-1' });
  const { authorizer, audit } = presetAuthorizer(config, { records: [agent.record] });
  // WHEN
  await authorizer.decide(request('POST', '/mcp', bearer(agent.token)));
  // THEN
  expect(audit.decisions).toHaveLength(1);
  const event = JSON.parse(JSON.stringify(audit.decisions[0]));
  expect(event).toMatchObject({
    timestamp: '2026-12-01T00:00:00.000Z',
    event: 'auth.allow',
    agentId: 'claude-cli-1',
    route: { method: 'POST', path: '/mcp' },
    decision: 'allow',
    requestId: 'req-0001',
    sourceIp: '203.0.113.7',
  });
});
