import { readCredential, type CredentialRules } from '../../../lambda/authorizer/credentials';
import { madeCredential, requestEvent } from './fixtures';

const RULES: CredentialRules = { headers: ['authorization', 'x-access-token'], maxBytes: 4096, minLength: 32, tokenPrefix: 'mcp_' };
const TOKEN = madeCredential('mcp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd');
const OTHER = madeCredential('mcp_ZZZZEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd');

test.each([
  ['Authorization: Bearer', { Authorization: `Bearer ${TOKEN}` }],
  ['lowercase header name (HTTP/2)', { authorization: `Bearer ${TOKEN}` }],
  ['X-Access-Token', { 'X-Access-Token': TOKEN }],
  ['x-access-token lowercase', { 'x-access-token': TOKEN }],
  ['the same credential in both headers', { Authorization: `Bearer ${TOKEN}`, 'X-Access-Token': TOKEN }],
])('AUTH-2: a credential is read from %s', (_case, headers) => {
  // GIVEN / WHEN
  const reading = readCredential(requestEvent({ headers }), RULES);
  // THEN
  expect(reading).toEqual({ ok: true, credential: TOKEN, header: expect.any(String) });
});

test.each([
  ['no headers at all (null)', { headers: null }, 'credential_missing'],
  ['no credential header', { headers: { Accept: 'application/json' } }, 'credential_missing'],
  ['X-API-Key when the preset does not enable it', { headers: { 'X-API-Key': TOKEN } }, 'credential_missing'],
  ['Basic scheme', { headers: { Authorization: `Basic ${TOKEN}` } }, 'credential_malformed'],
  ['the scheme in another case (one spelling only)', { headers: { Authorization: `bearer ${TOKEN}` } }, 'credential_malformed'],
  ['two spaces after Bearer', { headers: { Authorization: `Bearer  ${TOKEN}` } }, 'credential_malformed'],
  ['a tab after Bearer', { headers: { Authorization: `Bearer\t${TOKEN}` } }, 'credential_malformed'],
  ['a space after the token', { headers: { Authorization: `Bearer ${TOKEN} ` } }, 'credential_malformed'],
  ['X-Access-Token padded', { headers: { 'X-Access-Token': ` ${TOKEN} ` } }, 'credential_malformed'],
  ['Bearer without a token', { headers: { Authorization: 'Bearer ' } }, 'credential_malformed'],
  ['Bearer with two words', { headers: { Authorization: `Bearer ${TOKEN} ${TOKEN}` } }, 'credential_malformed'],
  ['a non-ASCII credential', { headers: { 'X-Access-Token': `${TOKEN}é` } }, 'credential_malformed'],
  ['an empty X-Access-Token', { headers: { 'X-Access-Token': '' } }, 'credential_malformed'],
  ['a short credential', { headers: { Authorization: 'Bearer mcp_short' } }, 'credential_too_short'],
  ['two headers with different credentials', { headers: { Authorization: `Bearer ${TOKEN}`, 'X-Access-Token': OTHER } }, 'credential_conflict'],
  ['the header repeated (multi-value)', { headers: { Authorization: `Bearer ${TOKEN}` }, multiValueHeaders: { Authorization: [`Bearer ${TOKEN}`, `Bearer ${OTHER}`] } }, 'credential_repeated'],
  ['the header repeated with the same value', { headers: { Authorization: `Bearer ${TOKEN}` }, multiValueHeaders: { Authorization: [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`] } }, 'credential_repeated'],
  ['the header under two casings', { headers: { Authorization: `Bearer ${TOKEN}`, authorization: `Bearer ${TOKEN}` } }, 'credential_repeated'],
  ['a credential over 4 KB', { headers: { Authorization: `Bearer ${'a'.repeat(4100)}` } }, 'credential_oversize'],
])('AUTH-2: %s is refused (401)', (_case, event, reason) => {
  // GIVEN / WHEN
  const reading = readCredential(requestEvent(event), RULES);
  // THEN
  expect(reading).toMatchObject({ ok: false, reason });
});

test.each(['access_token', 'accessToken', 'token', 'api_key', 'apikey', 'key', 'auth', 'Access-Token', 'JWT', 'id_token', 'auth_token', 'x_api_key', 'credentials', 'client_secret', 'token[]'])(
  'EDGE-3: a credential in the query parameter %s is refused even with a valid header',
  (name) => {
    // GIVEN
    const event = requestEvent({ headers: { Authorization: `Bearer ${TOKEN}` }, query: { [name]: 'x' } });
    // WHEN
    const reading = readCredential(event, RULES);
    // THEN
    expect(reading).toMatchObject({ ok: false, reason: 'credential_in_query' });
  },
);

test('EDGE-3: a token-shaped value under any query name is refused, and the report does not echo it', () => {
  // GIVEN
  const event = requestEvent({ headers: { Authorization: `Bearer ${TOKEN}` }, query: { q: OTHER } });
  const named = requestEvent({ headers: { Authorization: `Bearer ${TOKEN}` }, query: { [OTHER]: '' } });
  // WHEN
  const readings = [readCredential(event, RULES), readCredential(named, RULES)];
  // THEN
  for (const reading of readings) {
    expect(reading).toMatchObject({ ok: false, reason: 'credential_in_query' });
    expect(JSON.stringify(reading)).not.toContain(OTHER);
  }
});

test('EDGE-3: ordinary query parameters pass', () => {
  // GIVEN
  const event = requestEvent({ headers: { Authorization: `Bearer ${TOKEN}` }, query: { page: '2', sort: 'name' } });
  // WHEN / THEN
  expect(readCredential(event, RULES)).toMatchObject({ ok: true });
});

test('AUTH-2: X-API-Key is read where the preset enables it (seed 001)', () => {
  // GIVEN
  const rules: CredentialRules = { ...RULES, headers: ['x-api-key'], tokenPrefix: 'sct_' };
  // WHEN
  const reading = readCredential(requestEvent({ headers: { 'x-api-key': TOKEN, Authorization: 'Basic abc' } }), rules);
  // THEN: Authorization is not a credential header in this preset, so its Basic value is ignored
  expect(reading).toEqual({ ok: true, credential: TOKEN, header: 'x-api-key' });
});

test('EDGE-6: an oversize credential is refused before it is parsed', () => {
  // GIVEN: a huge value the Bearer pattern would otherwise scan
  const huge = `Bearer ${'a'.repeat(1_000_000)}`;
  // WHEN
  const started = process.hrtime.bigint();
  const reading = readCredential(requestEvent({ headers: { Authorization: huge } }), RULES);
  const micros = Number(process.hrtime.bigint() - started) / 1000;
  // THEN
  expect(reading).toMatchObject({ ok: false, reason: 'credential_oversize' });
  expect(micros).toBeLessThan(5000);
});
