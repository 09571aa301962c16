import { createAuthorizer, type AuthorizerRequest, type Decision } from '../../../lambda/authorizer/authorizer';
import type { AuthorizerSettings } from '../../../lambda/authorizer/settings';
import { StaticTokenSource, type TokenSource } from '../../../lambda/authorizer/token-source';
import { API_PREFIX, bearer, iamAllows, issueToken, jwtKeys, madeCredential, NOW, requestEvent, settingsWith, signJwt, testAuditLog } from './fixtures';

function setup(options: { overrides?: Partial<AuthorizerSettings>; source?: TokenSource; jwt?: boolean; now?: () => number } = {}) {
  const audit = testAuditLog();
  const jwt = options.jwt ? { jwt: { mode: 'hs256' as const, algorithms: ['HS256' as const], hmacSecretParameter: '/p/s', issuer: 'https://issuer.example.com', audience: 'mcp-perimeter' } } : {};
  const settings = settingsWith({ ...jwt, ...options.overrides });
  const authorizer = createAuthorizer({
    settings,
    tokenSource: options.source ?? new StaticTokenSource([]),
    jwtKey: options.jwt ? async () => jwtKeys().hmac : undefined,
    auditLog: audit,
    now: options.now ?? (() => NOW),
  });
  return { authorizer, audit };
}

function policyOf(decision: Decision) {
  if (decision.kind !== 'policy') throw new Error(`expected a policy, got 401 ${decision.reason}`);
  return decision.answer.policyDocument;
}

test('AUTH-1: a valid token of an agent is allowed on /mcp, with identity in the context (AUTH-7)', async () => {
  // GIVEN
  const { token, record } = issueToken({ role: 'agent', scopes: ['docs:read'] });
  const { authorizer, audit } = setup({ source: new StaticTokenSource([record]) });
  // WHEN
  const answer = await authorizer.handle(requestEvent({ method: 'POST', path: '/mcp', headers: bearer(token) }));
  // THEN
  expect(answer.principalId).toBe('claude-cli-1');
  expect(answer.context).toEqual({ agentId: 'claude-cli-1', agentType: 'claude', role: 'agent', scopes: 'docs:read', tokenId: record.id, permissions: 'read write', credentialType: 'opaque', wwwAuthenticate: 'Bearer error="insufficient_scope"' });
  expect(answer.usageIdentifierKey).toBeUndefined();
  expect(iamAllows(answer.policyDocument, `${API_PREFIX}POST/mcp`)).toBe(true);
  expect(audit.decisions).toEqual([expect.objectContaining({ event: 'auth.allow', decision: 'allow', reason: 'permitted', tokenId: record.id })]);
});

test('AUTH-1: no credential is a 401 signalled by Error("Unauthorized") and nothing else', async () => {
  const { authorizer } = setup();
  await expect(authorizer.handle(requestEvent({ headers: null }))).rejects.toThrow(new Error('Unauthorized'));
});

test('RBAC-2: a reader is denied (403) on a write route, and the Deny is audited', async () => {
  // GIVEN
  const { token, record } = issueToken({ role: 'reader' });
  const { authorizer, audit } = setup({ source: new StaticTokenSource([record]) });
  // WHEN
  const decision = await authorizer.decide(requestEvent({ method: 'POST', path: '/api/docs', headers: bearer(token) }));
  // THEN
  expect(decision).toMatchObject({ kind: 'policy', allowed: false, reason: 'not_permitted' });
  expect(iamAllows(policyOf(decision), `${API_PREFIX}POST/api/docs`)).toBe(false);
  expect(iamAllows(policyOf(decision), `${API_PREFIX}GET/api/docs`)).toBe(true);
  expect(audit.decisions[0]).toMatchObject({ event: 'auth.deny', decision: 'deny', reason: 'not_permitted', role: 'reader' });
});

test('RBAC-2: the admin route needs admin', async () => {
  const agent = issueToken({ role: 'agent' });
  const admin = issueToken({ role: 'admin', agentId: 'ops-1' });
  const { authorizer } = setup({ source: new StaticTokenSource([agent.record, admin.record]) });
  expect(await authorizer.decide(requestEvent({ method: 'GET', path: '/admin/tokens', headers: bearer(agent.token) }))).toMatchObject({ allowed: false });
  expect(await authorizer.decide(requestEvent({ method: 'GET', path: '/admin/tokens', headers: bearer(admin.token) }))).toMatchObject({ allowed: true });
});

test('RBAC-3: read-only mode denies an agent\'s write', async () => {
  const { token, record } = issueToken({ role: 'agent' });
  const { authorizer } = setup({ source: new StaticTokenSource([record]), overrides: { readOnly: true } });
  expect(await authorizer.decide(requestEvent({ method: 'PUT', path: '/api/docs/1', headers: bearer(token) }))).toMatchObject({ kind: 'policy', allowed: false });
  expect(await authorizer.decide(requestEvent({ method: 'GET', path: '/api/docs/1', headers: bearer(token) }))).toMatchObject({ kind: 'policy', allowed: true });
});

test.each([
  ['an unknown role', { role: 'owner' }, {}, 'role_unknown'],
  ['an unknown scope', { scopes: ['everything'] }, { scopes: { 'docs:read': ['read'] } }, 'scope_unknown'],
])('RBAC-4: a token with %s is denied everywhere (403)', async (_case, tokenFields, overrides, reason) => {
  // GIVEN
  const { token, record } = issueToken(tokenFields);
  const { authorizer } = setup({ source: new StaticTokenSource([record]), overrides });
  // WHEN
  const decision = await authorizer.decide(requestEvent({ method: 'GET', path: '/mcp', headers: bearer(token) }));
  // THEN
  expect(decision).toMatchObject({ kind: 'policy', allowed: false, reason });
  expect(policyOf(decision).Statement).toEqual([{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: [`${API_PREFIX}GET/mcp`] }]);
});

test.each([
  ['an unknown token', () => madeCredential('mcp_' + 'Q'.repeat(43)), 'token_unknown'],
  ['a credential that is neither a token nor a JWT', () => madeCredential('x'.repeat(40)), 'credential_unrecognized'],
  ['a JWT when JWTs are not configured', () => madeCredential(`eyJhbGciOiJIUzI1NiJ9.${'e'.repeat(40)}.sig`), 'credential_unrecognized'],
])('AUTH-3: %s is a 401', async (_case, credential, reason) => {
  const { authorizer, audit } = setup({ source: new StaticTokenSource([issueToken().record]) });
  expect(await authorizer.decide(requestEvent({ headers: bearer(credential()) }))).toEqual({ kind: 'unauthorized', reason });
  expect(audit.decisions[0]).toMatchObject({ event: 'auth.deny', decision: 'unauthorized', reason });
});

test('AUTH-4: an expired token is a 401, audited with its id', async () => {
  const { token, record } = issueToken({ expiresAt: '2026-11-30T00:00:00Z' });
  const { authorizer, audit } = setup({ source: new StaticTokenSource([record]) });
  expect(await authorizer.decide(requestEvent({ headers: bearer(token) }))).toEqual({ kind: 'unauthorized', reason: 'token_expired' });
  expect(audit.decisions[0]).toMatchObject({ reason: 'token_expired', tokenId: record.id });
});

test('SEC-3: a revoked token is refused after the next refresh, and a new one accepted', async () => {
  // GIVEN
  let now = NOW;
  const old = issueToken();
  const rotated = issueToken();
  const source = new StaticTokenSource([old.record]);
  const { authorizer } = setup({ source, now: () => now });
  expect(await authorizer.decide(requestEvent({ headers: bearer(old.token) }))).toMatchObject({ allowed: true });
  // WHEN: the operator revokes the old token and issues the rotated one
  source.records = [rotated.record];
  now += 30_000;
  const beforeRefresh = await authorizer.decide(requestEvent({ headers: bearer(old.token) }));
  now += 30_000;
  const afterRefresh = await authorizer.decide(requestEvent({ headers: bearer(old.token) }));
  const rotatedAfter = await authorizer.decide(requestEvent({ headers: bearer(rotated.token) }));
  // THEN: within the refresh period (60 s) the revocation holds
  expect(beforeRefresh).toMatchObject({ allowed: true });
  expect(afterRefresh).toEqual({ kind: 'unauthorized', reason: 'token_unknown' });
  expect(rotatedAfter).toMatchObject({ allowed: true });
});

test('SEC-3: when token records cannot be loaded at all, every request is a 401 and the failure is logged', async () => {
  // GIVEN
  const { token } = issueToken();
  const failing: TokenSource = { load: async () => { throw Object.assign(new Error('User is not authorized to perform ssm:GetParametersByPath'), { name: 'AccessDeniedException' }); } };
  const { authorizer, audit } = setup({ source: failing });
  // WHEN
  const decision = await authorizer.decide(requestEvent({ headers: bearer(token) }));
  // THEN
  expect(decision).toEqual({ kind: 'unauthorized', reason: 'tokens_unavailable' });
  expect(audit.problems).toContainEqual({ code: 'tokens.load_failed', details: { error: 'AccessDeniedException', detail: expect.any(String) } });
});

test('AUTH-5: a valid HS256 JWT is allowed with its claims; a forged one is a 401', async () => {
  // GIVEN
  const { authorizer } = setup({ jwt: true });
  const jwt = await signJwt(jwtKeys().hmac, 'HS256', { role: 'reader', jti: 'jwt-42' });
  const forged = await signJwt(new TextEncoder().encode('not-the-secret-but-32-bytes-long!!'), 'HS256', { role: 'admin' });
  // WHEN
  const ok = await authorizer.decide(requestEvent({ method: 'GET', path: '/api/x', headers: { 'X-Access-Token': jwt } }));
  const bad = await authorizer.decide(requestEvent({ method: 'GET', path: '/api/x', headers: bearer(forged) }));
  // THEN
  expect(ok).toMatchObject({ kind: 'policy', allowed: true, answer: { context: { agentId: 'agent-7', tokenId: 'jwt-42', credentialType: 'jwt', permissions: 'read' } } });
  expect(bad).toEqual({ kind: 'unauthorized', reason: 'jwt_signature' });
});

test('AUTH-5: an oversize JWT is refused before it is verified', async () => {
  const { authorizer } = setup({ jwt: true });
  const huge = await signJwt(jwtKeys().hmac, 'HS256', { pad: 'p'.repeat(5000) });
  expect(await authorizer.decide(requestEvent({ headers: bearer(huge) }))).toEqual({ kind: 'unauthorized', reason: 'credential_oversize' });
});

test('EDGE-2: usageIdentifierKey carries the token id where per-client usage plans are on', async () => {
  const { token, record } = issueToken();
  const { authorizer } = setup({ source: new StaticTokenSource([record]), overrides: { usageIdentifier: true } });
  expect(await authorizer.handle(requestEvent({ headers: bearer(token) }))).toMatchObject({ usageIdentifierKey: record.id });
});

test('AUDIT-1: the audit event carries timestamp, event, reason, agent, token id, role, route, source IP, user agent and request id', async () => {
  // GIVEN
  const { token, record } = issueToken({ role: 'reader' });
  const { authorizer, audit } = setup({ source: new StaticTokenSource([record]) });
  // WHEN
  await authorizer.decide(requestEvent({ method: 'GET', path: '/mcp/tools', headers: bearer(token) }));
  // THEN
  expect(audit.decisions[0]).toEqual({
    timestamp: '2026-12-01T00:00:00.000Z', event: 'auth.allow', decision: 'allow', reason: 'permitted',
    credentialType: 'opaque', credentialSource: 'authorization', agentId: 'claude-cli-1', agentType: 'claude', tokenId: record.id,
    role: 'reader', permissions: 'read', route: { method: 'GET', path: '/mcp/tools' }, sourceIp: '203.0.113.7',
    userAgent: 'claude-code/1.0', requestId: 'req-0001', stage: 'dev',
  });
});

test('AUDIT-2: a token pasted into the User-Agent or the path is redacted from the audit event', async () => {
  // GIVEN
  const { token, record } = issueToken();
  const { authorizer, audit } = setup({ source: new StaticTokenSource([record]) });
  // WHEN
  await authorizer.decide(requestEvent({ path: `/mcp/${token}`, headers: bearer(token), userAgent: `curl/8 (${token})` }));
  await authorizer.decide(requestEvent({ headers: bearer(token), query: { access_token: token } }));
  // THEN
  const logged = JSON.stringify(audit.decisions);
  expect(logged).not.toContain(token);
  expect(logged).not.toContain(token.slice(4, 20));
  expect(audit.decisions[0].userAgent).toBe('curl/8 ([redacted])');
  expect(audit.decisions[1]).toMatchObject({ reason: 'credential_in_query', credentialSource: 'query:access_token' });
});

test.each([
  ['a missing methodArn', { methodArn: undefined }],
  ['a methodArn of another service', { methodArn: 'arn:aws:s3:::bucket/key' }],
  ['headers that are not an object', { headers: 42 }],
  ['a requestContext that is a string', { requestContext: 'x' }],
])('EDGE-7: %s is a 401, never an exception', async (_case, patch) => {
  const { token, record } = issueToken();
  const { authorizer } = setup({ source: new StaticTokenSource([record]) });
  const event = { ...requestEvent({ headers: bearer(token) }), ...patch } as unknown as AuthorizerRequest;
  await expect(authorizer.decide(event)).resolves.toMatchObject({ kind: expect.stringMatching(/unauthorized|policy/) });
  await expect(authorizer.handle(event).catch((e: Error) => e.message)).resolves.toBeDefined();
});

test('EDGE-7: an exception inside the decision becomes a 401 internal_error, logged by error name only', async () => {
  // GIVEN: a token source that hands over a record the schema would have refused (scopes is null)
  const { token, record } = issueToken();
  const broken: TokenSource = { load: async () => [{ ...record, scopes: null } as never] };
  const { authorizer, audit } = setup({ source: broken });
  // WHEN
  const decision = await authorizer.decide(requestEvent({ headers: bearer(token) }));
  // THEN
  expect(decision).toEqual({ kind: 'unauthorized', reason: 'internal_error' });
  expect(audit.problems).toEqual([{ code: 'authorizer.internal_error', details: { error: 'TypeError' } }]);
  expect(audit.decisions).toHaveLength(1);
});
