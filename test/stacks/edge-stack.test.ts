import { Match, Template } from 'aws-cdk-lib/assertions';
import { IDENTITY_HEADERS } from '../../lib/constructs/edge/perimeter-api';
import { EdgeStack } from '../../lib/stacks/edge-stack';
import { PerimeterConfigInput } from '../../lib/config';
import { buildPerimeter } from '../fixtures/perimeter';
import { testConfig } from '../fixtures/test-app';

function edge(overlay: PerimeterConfigInput | Record<string, unknown> = {}) {
  const perimeter = buildPerimeter(testConfig(overlay));
  return { ...perimeter, template: Template.fromStack(perimeter.edge) };
}

const { template } = edge();
const resources = template.toJSON().Resources as Record<string, any>;
const byType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** The authorizer's function (the one whose metadata carries its settings). */
const authorizerFunction = () => byType('AWS::Lambda::Function').map(([, r]) => r).find((r) => r.Metadata?.['McpPerimeter::AuthorizerSettings'])!;
const methods = byType('AWS::ApiGateway::Method').map(([id, r]) => ({ id, ...r.Properties }));

/** The full path of an API Gateway resource, from its logical id. */
function resourcePath(ref: unknown): string {
  const parts: string[] = [];
  let current = ref as any;
  while (current && current.Ref) {
    const res = resources[current.Ref];
    if (!res || res.Type !== 'AWS::ApiGateway::Resource') break;
    parts.unshift(res.Properties.PathPart);
    current = res.Properties.ParentId;
  }
  return `/${parts.join('/')}`;
}
const routes = methods.map((m) => ({ ...m, path: resourcePath(m.ResourceId) }));
const route = (method: string, path: string) => {
  const found = routes.find((r) => r.HttpMethod === method && r.path === path);
  if (!found) throw new Error(`no ${method} ${path}; routes: ${routes.map((r) => `${r.HttpMethod} ${r.path}`).join(', ')}`);
  return found;
};

test('AUTH-1: every route but the health check and the well-known document goes through the authorizer', () => {
  const authorizerRef = { Ref: byType('AWS::ApiGateway::Authorizer')[0][0] };
  const publicRoutes = routes.filter((r) => r.AuthorizationType === 'NONE').map((r) => `${r.HttpMethod} ${r.path}`);
  expect(publicRoutes.sort()).toEqual(['GET /.well-known/oauth-protected-resource', 'GET /health']);
  const authorized = routes.filter((r) => r.AuthorizationType !== 'NONE');
  expect(authorized.map((r) => `${r.HttpMethod} ${r.path}`).sort()).toEqual([
    'ANY /admin', 'ANY /admin/{proxy+}', 'ANY /api', 'ANY /api/{proxy+}', 'ANY /mcp', 'ANY /mcp/{proxy+}',
  ]);
  for (const r of authorized) expect(r).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: authorizerRef });
});

test('AUTH-7: the identity headers are set from the authorizer context on every authorized route, overriding the client', () => {
  for (const r of routes.filter((x) => x.AuthorizationType === 'CUSTOM')) {
    for (const [header, key] of Object.entries(IDENTITY_HEADERS)) {
      expect(r.Integration.RequestParameters[`integration.request.header.${header}`]).toBe(`context.authorizer.${key}`);
    }
  }
  expect(Object.keys(IDENTITY_HEADERS)).toEqual(['X-Mcp-Agent-Id', 'X-Mcp-Agent-Type', 'X-Mcp-Role', 'X-Mcp-Scopes', 'X-Mcp-Permissions']);
});

test('TLS-3: authorized routes are private HTTPS integrations over the VPC link V2 to the load balancer', () => {
  for (const r of routes.filter((x) => x.AuthorizationType === 'CUSTOM' || x.path === '/health')) {
    expect(r.Integration).toMatchObject({
      Type: 'HTTP_PROXY',
      ConnectionType: 'VPC_LINK',
      ConnectionId: { 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/^PublishOutputRefLoadBalancerVpcLink/) }) },
      IntegrationTarget: { 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/^PublishOutputRefLoadBalancer[0-9A-F]{8}/) }) },
    });
    expect(r.Integration.Uri).toMatch(/^https:\/\/mcp-internal\.example\.com\//);
  }
  expect(route('ANY', '/api/{proxy+}').Integration).toMatchObject({
    Uri: 'https://mcp-internal.example.com/api/{proxy}',
    RequestParameters: expect.objectContaining({ 'integration.request.path.proxy': 'method.request.path.proxy' }),
  });
  expect(route('ANY', '/api/{proxy+}').RequestParameters).toEqual({ 'method.request.path.proxy': true });
});

test('WORK-2: GET /health needs no credential and is proxied to the service health path', () => {
  expect(route('GET', '/health')).toMatchObject({ AuthorizationType: 'NONE', Integration: { Uri: 'https://mcp-internal.example.com/health' } });
  expect(route('GET', '/health').Integration.RequestParameters ?? {}).not.toHaveProperty('integration.request.header.X-Mcp-Agent-Id');
});

test('the /mcp routes stream their responses (MCP Streamable HTTP answers with SSE); the others buffer', () => {
  expect(route('ANY', '/mcp').Integration.ResponseTransferMode).toBe('STREAM');
  expect(route('ANY', '/mcp/{proxy+}').Integration.ResponseTransferMode).toBe('STREAM');
  expect(route('ANY', '/api').Integration.ResponseTransferMode).toBeUndefined();
});

test('RFC 9728: GET /.well-known/oauth-protected-resource is a MOCK answering the metadata document', () => {
  const wellKnown = route('GET', '/.well-known/oauth-protected-resource');
  expect(wellKnown.Integration.Type).toBe('MOCK');
  const response = wellKnown.Integration.IntegrationResponses[0];
  expect(JSON.parse(response.ResponseTemplates['application/json'])).toEqual({
    resource: 'https://mcp.example.com/mcp',
    bearer_methods_supported: ['header'],
  });
  expect(response.ResponseParameters).toMatchObject({
    'method.response.header.Strict-Transport-Security': "'max-age=63072000; includeSubDomains'",
    'method.response.header.X-Content-Type-Options': "'nosniff'",
  });
});

test('RFC 9728: the authorization servers come from the config, else the https issuer', () => {
  const jwt = { mode: 'hs256', issuer: 'https://idp.example.com', audience: 'mcp' };
  const doc = (t: Template) => {
    const m = Object.values(t.findResources('AWS::ApiGateway::Method', { Properties: { Integration: { Type: 'MOCK' }, HttpMethod: 'GET' } }))
      .find((x: any) => x.Properties.Integration.IntegrationResponses[0].ResponseTemplates['application/json'].includes('resource')) as any;
    return JSON.parse(m.Properties.Integration.IntegrationResponses[0].ResponseTemplates['application/json']);
  };
  expect(doc(edge({ auth: { jwt } }).template).authorization_servers).toEqual(['https://idp.example.com']);
  expect(doc(edge({ auth: { jwt: { ...jwt, authorizationServers: ['https://as.example.com'] } } }).template).authorization_servers).toEqual(['https://as.example.com']);
});

test('AUTH-1: the 401 gateway response carries WWW-Authenticate with the resource metadata URL', () => {
  template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
    ResponseType: 'UNAUTHORIZED',
    StatusCode: '401',
    ResponseParameters: Match.objectLike({
      'gatewayresponse.header.WWW-Authenticate': '\'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource"\'',
    }),
    ResponseTemplates: { 'application/json': '{"message":"Unauthorized","requestId":"$context.requestId"}' },
  });
});

test('EDGE-4 EDGE-7: gateway responses for 401, 403, 429, 404, other 4xx and 5xx are generic JSON with the six security headers', () => {
  const responses = byType('AWS::ApiGateway::GatewayResponse').map(([, r]) => r.Properties);
  expect(responses.map((r) => r.ResponseType).sort()).toEqual(['ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX', 'MISSING_AUTHENTICATION_TOKEN', 'THROTTLED', 'UNAUTHORIZED']);
  for (const r of responses) {
    for (const header of ['Strict-Transport-Security', 'Content-Security-Policy', 'X-Content-Type-Options', 'X-Frame-Options', 'Referrer-Policy', 'Permissions-Policy']) {
      expect(Object.keys(r.ResponseParameters)).toContain(`gatewayresponse.header.${header}`);
    }
    const body = r.ResponseTemplates['application/json'];
    expect(Object.keys(JSON.parse(body.replace('$context.requestId', 'x')))).toEqual(['message', 'requestId']);
    expect(body).not.toMatch(/\$context\.(error|authorizer)/);
  }
  expect(responses.find((r) => r.ResponseType === 'THROTTLED').StatusCode).toBe('429');
  expect(responses.find((r) => r.ResponseType === 'ACCESS_DENIED').StatusCode).toBe('403');
});

test('TLS-2: the API is regional, reachable only through its custom domain with a TLS 1.3 policy in strict mode', () => {
  template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true, EndpointConfiguration: { Types: ['REGIONAL'] } });
  template.hasResourceProperties('AWS::ApiGateway::DomainName', {
    DomainName: 'mcp.example.com',
    RegionalCertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-4000-8000-000000000001',
    SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
    EndpointAccessMode: 'STRICT',
    EndpointConfiguration: { Types: ['REGIONAL'] },
  });
  template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
});

test('a Route 53 alias is created only when a hosted zone is configured', () => {
  template.resourceCountIs('AWS::Route53::RecordSet', 0);
  edge({ domain: { hostedZone: { id: 'Z0123456789ABC', name: 'example.com' } } }).template.hasResourceProperties('AWS::Route53::RecordSet', {
    Name: 'mcp.example.com.', Type: 'A', HostedZoneId: 'Z0123456789ABC', AliasTarget: Match.anyValue(),
  });
});

test('AUDIT-4: the stage writes JSON access logs with the caller identity to the audit log group, X-Ray and metrics on, throttled', () => {
  const stage = byType('AWS::ApiGateway::Stage')[0][1].Properties;
  expect(stage).toMatchObject({
    StageName: 'live',
    TracingEnabled: true,
    MethodSettings: [expect.objectContaining({ MetricsEnabled: true, DataTraceEnabled: false, LoggingLevel: 'ERROR', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
    AccessLogSetting: { DestinationArn: expect.anything(), Format: expect.any(String) },
  });
  const format = JSON.parse(stage.AccessLogSetting.Format);
  expect(format).toMatchObject({
    requestId: '$context.requestId', ip: '$context.identity.sourceIp', method: '$context.httpMethod', resourcePath: '$context.resourcePath',
    status: '$context.status', agentId: '$context.authorizer.agentId', error: '$context.error.message', latency: '$context.responseLatency',
  });
  expect(JSON.stringify(format).toLowerCase()).not.toMatch(/authorization|access-token|api-key|querystring/);
});

test('the API Gateway CloudWatch role (account-wide) is kept when the stack is deleted', () => {
  template.hasResource('AWS::IAM::Role', { DeletionPolicy: 'Retain', Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] } } });
  template.resourceCountIs('AWS::ApiGateway::Account', 1);
});

test('EDGE-1: the stage has its own web ACL with a body limit and the per-IP and per-credential rate rules', () => {
  template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
    ResourceArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/restapis/'), Match.stringLikeRegexp('/stages/')])] },
  });
  const acl = byType('AWS::WAFv2::WebACL')[0][1].Properties;
  expect(acl.Rules.map((r: any) => r.Name)).toEqual([
    'BlockCredentialsInQuery', 'LimitCredentialHeaderSize', 'LimitBodySize', 'RatePerIp', 'RatePerIpWithoutCredential',
    'RatePerCredential-authorization',
    'WritesPerCredential-authorization',
    'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesCommonRuleSet',
    'BlockBodySignaturesOutsideMcp', 'CountBodySignaturesOnMcp',
  ]);
  const association = byType('AWS::WAFv2::WebACLAssociation')[0][1];
  expect(association.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ApiDeploymentStage/)]));
});

test('EDGE-2: the writes rule counts the write routes only (permission in rbac.writePermissions)', () => {
  const acl = byType('AWS::WAFv2::WebACL')[0][1].Properties;
  const writes = acl.Rules.find((r: any) => r.Name === 'WritesPerCredential-authorization');
  expect(writes.Statement.RateBasedStatement.ScopeDownStatement.AndStatement.Statements[1].ByteMatchStatement.SearchString).toBe('/api');
});

test('the authorizer is a Node.js 24 arm64 function with reserved concurrency, tracing and the audit log group, in the VPC', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs24.x',
    Architectures: ['arm64'],
    Handler: 'index.handler',
    ReservedConcurrentExecutions: 25,
    TracingConfig: { Mode: 'Active' },
    LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: { 'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp('AuthorizerLogGroup') }) } }),
    VpcConfig: { SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthorizerSecurityGroup'), 'GroupId'] }], SubnetIds: Match.anyValue() },
  });
});

test('NET-4: the authorizer security group allows HTTPS to the VPC, and to DynamoDB\'s managed prefix list, only', () => {
  template.hasResourceProperties('AWS::EC2::SecurityGroup', {
    GroupDescription: Match.stringLikeRegexp('authorizer'),
    SecurityGroupEgress: [
      Match.objectLike({ CidrIp: { 'Fn::GetStackOutput': Match.anyValue() }, FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }),
    ],
  });
  // The DynamoDB rule names the prefix list looked up at deploy time, never 0.0.0.0/0.
  const lookupId = byType('Custom::AWS')[0][0];
  const egress = byType('AWS::EC2::SecurityGroupEgress').map(([, r]) => r.Properties);
  expect(egress).toEqual([expect.objectContaining({
    DestinationPrefixListId: { 'Fn::GetAtt': [lookupId, 'PrefixLists.0.PrefixListId'] }, FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: expect.stringMatching(/DynamoDB/),
  })]);
  expect(JSON.stringify(egress)).not.toContain('0.0.0.0/0');
});

test('NET-4: the DynamoDB prefix list id is resolved at deploy time by one read-only EC2 call, named after the stack\'s region', () => {
  const [[, lookup]] = byType('Custom::AWS');
  const create = JSON.parse(lookup.Properties.Create);
  expect(create).toMatchObject({
    service: 'EC2', action: 'describeManagedPrefixLists',
    parameters: { Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.eu-west-1.dynamodb'] }] },
    outputPaths: ['PrefixLists.0.PrefixListId'],
  });
  expect(lookup.Properties.Update).toBe(lookup.Properties.Create);
  const policy = byType('AWS::IAM::Policy').map(([, r]) => r.Properties).find((p) => JSON.stringify(p).includes('DescribeManagedPrefixLists'));
  expect(policy.PolicyDocument.Statement).toEqual([expect.objectContaining({ Action: 'ec2:DescribeManagedPrefixLists', Effect: 'Allow', Resource: '*' })]);
});

test('NET-4: with a JWKS identity provider the authorizer has HTTPS egress anyway, so no prefix list is looked up', () => {
  const { template: t } = edge({ network: { egress: 'nat' }, auth: { jwt: { mode: 'jwks', issuer: 'https://idp.example.com', audience: 'mcp', jwksUrl: 'https://idp.example.com/jwks.json' } } });
  t.resourceCountIs('Custom::AWS', 0);
});

test('SEC-1: the authorizer settings are bundled (shown in the template metadata) and hold nothing secret', () => {
  const fn = authorizerFunction();
  // The only deploy-time value of the default's settings is the token table's generated name.
  expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual(['AUTHORIZER_SETTING_0', 'NODE_OPTIONS']);
  const settings = fn.Metadata['McpPerimeter::AuthorizerSettings'];
  expect(settings).toMatchObject({ stage: 'dev', tokenPath: '/mcp-perimeter/dev/tokens', credentialHeaders: ['authorization'] });
  expect(JSON.stringify(settings)).not.toMatch(/secret"\s*:|password|BEGIN|sha256:/i);
});

test('AUTH-1: the authorizer\'s settings name the token table by a reference to the Keys stack\'s table, never a fixed name (issue 11)', () => {
  const fn = authorizerFunction();
  const ref = fn.Metadata['McpPerimeter::AuthorizerSettings'].tokenTable;
  expect(ref).toEqual({ $env: expect.stringMatching(/^AUTHORIZER_SETTING_\d+$/) });
  const value = fn.Properties.Environment.Variables[ref.$env];
  expect(typeof value).not.toBe('string');
  expect(JSON.stringify(value)).toMatch(/TokenStoreTable/);
  expect(JSON.stringify(fn)).not.toMatch(/mcp-perimeter-dev-tokens/);
});

test('SEC-4: the authorizer may get one token item from the token table and decrypt it through DynamoDB, nothing more', () => {
  const policies = byType('AWS::IAM::Policy').map(([, r]) => r.Properties).filter((p) => JSON.stringify(p.Roles).includes('Authorizer'));
  const statements = policies.flatMap((p) => p.PolicyDocument.Statement);
  const actions = statements.flatMap((s: any) => [].concat(s.Action)).sort();
  expect(actions).toEqual(['dynamodb:GetItem', 'kms:Decrypt', 'kms:DescribeKey', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  const table = statements.find((s: any) => s.Action === 'dynamodb:GetItem');
  expect(JSON.stringify(table.Resource)).toContain('TokenStoreTable');
  const kms = statements.find((s: any) => ([] as string[]).concat(s.Action).includes('kms:Decrypt'));
  expect(kms.Condition.StringEquals['kms:ViaService']).toBe('dynamodb.eu-west-1.amazonaws.com');
});

test('SEC-4: in KMS mode the authorizer may also fetch the signing key public key, by identity policy', () => {
  const { template: t } = edge({ auth: { jwt: { mode: 'kms', issuer: 'mcp-perimeter', audience: 'mcp' } } });
  const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  expect(statements.find((s: any) => s.Action === 'kms:GetPublicKey')).toMatchObject({ Effect: 'Allow', Resource: { 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringContaining('SigningKey') }) } });
  // THEN the settings name the key by its ARN: a reference to an environment variable resolved at deploy time
  const fn = Object.values(t.findResources('AWS::Lambda::Function'))[0] as any;
  const kmsKeyId = fn.Metadata['McpPerimeter::AuthorizerSettings'].jwt.kmsKeyId;
  expect(kmsKeyId).toEqual({ $env: expect.stringMatching(/^AUTHORIZER_SETTING_\d+$/) });
  expect(JSON.stringify(fn.Properties.Environment.Variables[kmsKeyId.$env])).toMatch(/SigningKey/);
  const keyPolicies = Object.values(t.findResources('AWS::KMS::Key'));
  expect(keyPolicies).toEqual([]);
});

test('with several credential headers the authorizer cache is off and no identity source is listed', () => {
  edge({ auth: { credentialHeaders: ['authorization', 'x-access-token'] } }).template.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'REQUEST', AuthorizerResultTtlInSeconds: 0, IdentitySource: Match.absent() });
});

test('with one credential header the authorizer caches per credential for the configured TTL', () => {
  edge({ auth: { credentialHeaders: ['authorization'], cacheTtlSeconds: 120 } }).template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
    Type: 'REQUEST', AuthorizerResultTtlInSeconds: 120, IdentitySource: 'method.request.header.authorization',
  });
});

test('EDGE-5: CORS preflight is answered for the configured origins only', () => {
  const { template: t } = edge({ cors: { allowedOrigins: ['https://a.example.com', 'https://b.example.com'] } });
  const options = Object.values(t.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } })) as any[];
  expect(options.length).toBeGreaterThan(0);
  const text = JSON.stringify(options);
  expect(text).toContain('https://a.example.com');
  expect(text).toContain('https://b.example.com');
  expect(text).not.toContain("'*'");
  expect(methods.filter((m) => m.HttpMethod === 'OPTIONS')).toEqual([]);
});

test('usage plans: keys come from the authorizer and authorized methods require them', () => {
  const { template: t } = edge({ auth: { usagePlans: true } });
  t.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
  t.resourceCountIs('AWS::ApiGateway::UsagePlan', 1);
  t.hasResourceProperties('AWS::ApiGateway::Method', { AuthorizationType: 'CUSTOM', ApiKeyRequired: true });
});

test('fails when the config asks for kms mode and no signing key is given', () => {
  const config = testConfig({ auth: { jwt: { mode: 'kms', issuer: 'mcp-perimeter', audience: 'mcp' } } });
  const p = buildPerimeter(testConfig());
  expect(() => new EdgeStack(p.app, 'Edge2', {
    config, vpc: p.network.vpc, auditLog: p.audit.auditLog, loadBalancer: p.service.loadBalancer, listener: p.service.listener,
    vpcLink: p.service.vpcLink, tokenStore: p.keys.tokenStore, authorizerEntry: __filename,
  })).toThrow(/signingKey is required when auth.jwt.mode is 'kms'/);
});
