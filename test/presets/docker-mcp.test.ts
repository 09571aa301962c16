import { DOCKER_MCP } from '../../lib/config/presets';
import { credentialQueryPatterns } from '../../lib/constructs/edge/web-firewall';
import {
  apiMethods, bearer, claimsTableProblems, issue, misquotedClaims, outcome, presetAuthorizer, presetConfig, request,
  resourcesOf, synthesize, wafRules, withSeeds, type PresetTemplates,
} from './preset-harness';

const config = presetConfig('docker-mcp');
let synthesized: PresetTemplates | undefined;
/** The templates, synthesized on first use (so the claims-table tests run whatever the stacks do). */
const templates = (): PresetTemplates => (synthesized ??= synthesize(config));

test('the claims table: every claim names a test of this file and a checklist item', () => {
  expect(claimsTableProblems(DOCKER_MCP, __filename)).toEqual([]);
});

withSeeds('the claims table: every quote is verbatim in seed 004', () => {
  expect(misquotedClaims(DOCKER_MCP)).toEqual([]);
});

test('RBAC-1: a token is limited to its scopes: read-only reads, admin administers, an unknown scope is refused', async () => {
  // GIVEN three tokens as TOKEN_SCOPES would give them
  const readOnly = issue(config, 'client', { scopes: ['read-only'] });
  const admin = issue(config, 'client', { scopes: ['admin'] });
  const unknown = issue(config, 'client', { scopes: ['containers:nuke'] });
  const { authorizer } = presetAuthorizer(config, { records: [readOnly.record, admin.record, unknown.record] });
  // THEN
  expect(await outcome(authorizer, 'POST', '/mcp', bearer(readOnly.token))).toBe('allow');
  expect(await outcome(authorizer, 'POST', '/api/containers', bearer(readOnly.token))).toBe('deny');
  expect(await outcome(authorizer, 'POST', '/admin/tokens', bearer(readOnly.token))).toBe('deny');
  expect(await outcome(authorizer, 'POST', '/admin/tokens', bearer(admin.token))).toBe('allow');
  expect(await authorizer.decide(request('POST', '/mcp', bearer(unknown.token)))).toMatchObject({ kind: 'policy', allowed: false, reason: 'scope_unknown' });
  // AND the backend learns the scopes, to gate its tool categories
  expect((await authorizer.handle(request('POST', '/mcp', bearer(readOnly.token)))).context).toMatchObject({ scopes: 'read-only', permissions: 'read' });
});

test('AUTH-2: a token is accepted in Authorization or X-Access-Token, and in no other header', async () => {
  const client = issue(config, 'client', { scopes: ['read-only'] });
  const { authorizer } = presetAuthorizer(config, { records: [client.record] });
  expect(await outcome(authorizer, 'GET', '/mcp', bearer(client.token))).toBe('allow');
  expect(await outcome(authorizer, 'GET', '/mcp', { 'X-Access-Token': client.token })).toBe('allow');
  expect(await authorizer.decide(request('GET', '/mcp', { 'X-API-Key': client.token }))).toMatchObject({ kind: 'unauthorized', reason: 'credential_missing' });
});

test('EDGE-3: a token in the query string is refused by the authorizer and blocked by the WAF', async () => {
  // GIVEN a valid token sent as ?accessToken= (the URL form v0.5.0 removed)
  const client = issue(config, 'client', { scopes: ['admin'] });
  const { authorizer, audit } = presetAuthorizer(config, { records: [client.record] });
  // WHEN / THEN the authorizer refuses it even with a good header
  expect(await authorizer.decide(request('GET', '/mcp', bearer(client.token), { accessToken: client.token }))).toMatchObject({ kind: 'unauthorized', reason: 'credential_in_query' });
  expect(JSON.stringify(audit.decisions)).not.toContain(client.token);
  // AND the WAF blocks it first, with 400
  const rule = wafRules(templates().edge).BlockCredentialsInQuery;
  expect(rule.Action.Block.CustomResponse.ResponseCode).toBe(400);
  const regexes: string[] = rule.Statement.OrStatement.Statements.map((s: any) => s.RegexMatchStatement.RegexString);
  const blocked = (q: string) => regexes.some((r) => new RegExp(r).test(q));
  expect(blocked(`accesstoken=${client.token}`.toLowerCase())).toBe(true);
  expect(blocked(`state=${client.token}`.toLowerCase())).toBe(true);
  expect(blocked('access_token=x')).toBe(true);
  expect(blocked('page=2')).toBe(false);
  expect(regexes).toEqual(credentialQueryPatterns(config.auth.tokenPrefix));
});

test('AUTH-3: only the token digest is stored, and a token one character off is refused', async () => {
  const client = issue(config, 'client', { scopes: ['read-only'] });
  expect(JSON.stringify(client.record)).not.toContain(client.token.slice(config.auth.tokenPrefix.length));
  expect(client.record.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  const { authorizer } = presetAuthorizer(config, { records: [client.record] });
  const last = client.token.slice(-1);
  const offByOne = `${client.token.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
  expect(await authorizer.decide(request('GET', '/mcp', bearer(offByOne)))).toMatchObject({ kind: 'unauthorized', reason: 'token_unknown' });
  expect(await outcome(authorizer, 'GET', '/mcp', bearer(client.token))).toBe('allow');
});

test('AUDIT-2: WAF logs redact both credential headers, and audit events never hold the token', async () => {
  for (const t of [templates().edge, templates().service]) {
    const [[, logging]] = resourcesOf(t, 'AWS::WAFv2::LoggingConfiguration');
    const redacted = (logging.Properties.RedactedFields as any[]).map((f) => f.SingleHeader?.Name ?? Object.keys(f)[0]);
    expect(redacted).toEqual(expect.arrayContaining(['authorization', 'x-access-token', 'QueryString']));
  }
  // The audit event of a request whose user agent echoes the token holds no token either.
  const client = issue(config, 'client', { scopes: ['read-only'] });
  const { authorizer, audit } = presetAuthorizer(config, { records: [client.record] });
  const event = { ...request('GET', '/mcp', { 'X-Access-Token': client.token }) };
  await authorizer.decide({ ...event, requestContext: { ...event.requestContext, identity: { sourceIp: '203.0.113.7', userAgent: `curl ${client.token}` } } });
  expect(audit.decisions).toHaveLength(1);
  expect(JSON.stringify(audit.decisions)).not.toContain(client.token);
});

test('WORK-2: GET /mcp/health is the one unauthenticated route to the server, and it carries no identity', () => {
  const methods = apiMethods(templates().edge).filter((m) => m.properties.HttpMethod !== 'OPTIONS');
  const open = methods.filter((m) => m.properties.AuthorizationType !== 'CUSTOM');
  expect(open.map((m) => m.route).sort()).toEqual(['GET /.well-known/oauth-protected-resource', 'GET /mcp/health']);
  const health = open.find((m) => m.route === 'GET /mcp/health')!;
  expect(health.properties.Integration.Uri).toBe('https://mcp-internal.example.com/mcp/health');
  expect(Object.keys(health.properties.Integration.RequestParameters ?? {}).filter((k) => /X-Mcp/i.test(k))).toEqual([]);
  // The server reports the configured version; the target group checks the same path.
  templates().service.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/mcp/health' });
  const [[, task]] = resourcesOf(templates().service, 'AWS::ECS::TaskDefinition');
  expect(task.Properties.ContainerDefinitions[0].Environment).toEqual(expect.arrayContaining([{ Name: 'SERVICE_VERSION', Value: config.service.version }]));
});

test('AUTH-6: with no issued token nothing is accepted, and no environment holds a credential', async () => {
  // GIVEN a fresh deployment: no token records at all
  const { authorizer } = presetAuthorizer(config);
  const guess = issue(config, 'client', { scopes: ['admin'] }).token;
  expect(await authorizer.decide(request('GET', '/mcp', bearer(guess)))).toMatchObject({ kind: 'unauthorized', reason: 'token_unknown' });
  // AND neither the container nor the authorizer environment holds a token or a secret
  const [[, task]] = resourcesOf(templates().service, 'AWS::ECS::TaskDefinition');
  const containerEnv = (task.Properties.ContainerDefinitions[0].Environment as Array<{ Name: string }>).map((e) => e.Name).sort();
  expect(containerEnv).toEqual(['HEALTH_PATHS', 'LISTEN_PORTS', 'NODE_ENV', 'PORT', 'SERVICE_VERSION', 'STREAMING_TIMEOUT_SECONDS', 'TMPDIR']);
  expect(task.Properties.ContainerDefinitions[0].Secrets).toBeUndefined();
  for (const [, fn] of resourcesOf(templates().edge, 'AWS::Lambda::Function')) {
    expect(Object.keys(fn.Properties.Environment?.Variables ?? {}).filter((k) => /TOKEN|SECRET|PASSWORD|KEY/i.test(k))).toEqual([]);
  }
});

test('WORK-1: the container runs as uid 1000, unprivileged, with a read-only root filesystem', () => {
  const [[, task]] = resourcesOf(templates().service, 'AWS::ECS::TaskDefinition');
  expect(task.Properties.ContainerDefinitions[0]).toMatchObject({
    User: '1000:1000',
    Privileged: false,
    ReadonlyRootFilesystem: true,
    LinuxParameters: expect.objectContaining({ Capabilities: { Drop: ['ALL'] } }),
  });
});

test('AUDIT-5: failed authentications raise an alarm', () => {
  templates().audit.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ ($.event = "auth.deny") && ($.decision = "unauthorized") }' });
  templates().audit.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuthenticationFailures', Threshold: config.audit.authFailureThreshold });
});
