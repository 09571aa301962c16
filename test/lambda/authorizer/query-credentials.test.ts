import fc from 'fast-check';
import { isQueryCredential } from '../../../lambda/authorizer/credentials';
import { MAX_WAF_REGEX_CHARS, QueryCredentialCheck, queryCredentialPatterns } from '../../../lambda/authorizer/query-credentials';

const PREFIX = 'mcp_';
const WAF = queryCredentialPatterns(PREFIX).map((p) => new RegExp(p));

/** What the WAF rule sees: the raw query string, URL_DECODE then LOWERCASE. */
function wafBlocks(rawQuery: string): boolean {
  const seen = decodeURIComponent(rawQuery).toLowerCase();
  return WAF.some((r) => r.test(seen));
}

test(`EDGE-3: every query pattern is at most ${MAX_WAF_REGEX_CHARS} characters (AWS WAF quotas), for every allowed token prefix shape`, () => {
  for (const prefix of ['mcp_', 'sct_', 'abcdefgh_', 'ab_']) {
    for (const p of queryCredentialPatterns(prefix)) expect(p.length).toBeLessThanOrEqual(MAX_WAF_REGEX_CHARS);
  }
});

const NAMES = ['access_token', 'Access-Token', 'accessToken', 'auth_token', 'AUTH-TOKEN', 'x_api_key', 'X-Api-Key', 'apikey', 'credentials', 'Credential', 'client_secret', 'refresh_token', 'id-token', 'jwt', 'password', 'bearer', 'key', 'token[]',
  'page', 'q', 'sort', 'monkey', 'tokens', 'author', 'keyboard', 'state', 'cursor', 'secretary'];
const VALUES = ['', '2', 'hello', 'mcp_server', 'mcp_AbCdEfGhIjKlMnOpQrSt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', 'a&b', 'x=y'];

test('EDGE-3: over random query strings, whatever the authorizer refuses the WAF blocks too (so the check holds for cached decisions)', () => {
  const param = fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...VALUES));
  let refused = 0;
  fc.assert(fc.property(fc.array(param, { minLength: 1, maxLength: 4 }), (params) => {
    // API Gateway hands the authorizer decoded names and values; the WAF sees the encoded query string
    const raw = params.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');
    const authorizerRefuses = params.some(([n, v]) => isQueryCredential(n, v, PREFIX));
    if (authorizerRefuses) refused++;
    return !authorizerRefuses || wafBlocks(raw);
  }), { numRuns: 3000 });
  expect(refused).toBeGreaterThan(300);
});

test.each([
  ['auth_token', 'x', true], ['x_api_key', 'x', true], ['credentials', 'x', true], ['state', 'mcp_AbCdEfGhIjKlMnOpQrSt', true],
  ['q', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', true], ['mcp_AbCdEfGhIjKlMnOpQrSt', undefined, true],
  ['q', 'mcp_server', false], ['page', '2', false], ['author', 'x', false], ['secretary', 'x', false],
])('EDGE-3: the query parameter %s=%s carries a credential: %s (authorizer and local gateway alike)', (name, value, expected) => {
  expect(isQueryCredential(name, value, PREFIX)).toBe(expected);
  const raw = value === undefined ? encodeURIComponent(name) : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  expect(new QueryCredentialCheck(PREFIX).carriedBy(raw)).toBe(expected);
  expect(wafBlocks(raw)).toBe(expected);
});
