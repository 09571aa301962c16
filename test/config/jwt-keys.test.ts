/**
 * The config's KMS signing key rotation fields (lib/config/checks/jwt-keys.ts): each misuse fails with
 * one line naming the field and what is allowed.
 */
import { ConfigError, DEFAULT_CONFIG, mergeConfig, parseConfig } from '../../lib/config';
import { signingKeyConstructId } from '../../lib/config/checks/jwt-keys';

const KMS = { mode: 'kms', issuer: 'https://issuer.example.com', audience: 'mcp' };
const ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const parse = (jwt: Record<string, unknown>, env: Record<string, unknown> = {}) =>
  parseConfig(mergeConfig(DEFAULT_CONFIG, { env, auth: { jwt } }), 'test');

function errorOf(jwt: Record<string, unknown>, env: Record<string, unknown> = {}): string {
  try {
    parse(jwt, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the config to be refused');
}

test('SEC-3: a rotation in progress (generation 2, the retired key as previous) parses; without the fields, generation 1', () => {
  expect(parse({ ...KMS, signingKeyGeneration: 2, previousSigningKeyArn: ARN }).auth.jwt).toMatchObject({ signingKeyGeneration: 2, previousSigningKeyArn: ARN });
  expect(parse({ ...KMS, signingKeyGeneration: 3 }).auth.jwt?.previousSigningKeyArn).toBeUndefined();
  expect(parse(KMS).auth.jwt?.signingKeyGeneration).toBeUndefined();
});

test('SEC-3: generation 1 keeps the construct id stages deployed before the field existed; later generations carry their number', () => {
  expect(signingKeyConstructId()).toBe('SigningKey');
  expect(signingKeyConstructId(1)).toBe('SigningKey');
  expect(signingKeyConstructId(2)).toBe('SigningKey2');
  expect(signingKeyConstructId(12)).toBe('SigningKey12');
});

test.each([
  ['generation 0', { ...KMS, signingKeyGeneration: 0 }, {}, /auth\.jwt\.signingKeyGeneration: must be 1 or more \(1 is the first key\), got 0/],
  ['a fractional generation', { ...KMS, signingKeyGeneration: 1.5 }, {}, /auth\.jwt\.signingKeyGeneration: /],
  ['an alias, not a key ARN', { ...KMS, signingKeyGeneration: 2, previousSigningKeyArn: 'arn:aws:kms:eu-west-1:111111111111:alias/old' }, {}, /auth\.jwt\.previousSigningKeyArn: must be a KMS key ARN \(arn:aws:kms:<region>:<account>:key\/<key id>\)/],
  ['a bare key id', { ...KMS, signingKeyGeneration: 2, previousSigningKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' }, {}, /auth\.jwt\.previousSigningKeyArn: must be a KMS key ARN/],
  ['a previous key with generation 1', { ...KMS, previousSigningKeyArn: ARN }, {}, /auth\.jwt\.previousSigningKeyArn: needs auth\.jwt\.signingKeyGeneration 2 or more/],
  ['a previous key of another account', { ...KMS, signingKeyGeneration: 2, previousSigningKeyArn: ARN.replace('111111111111', '222222222222') }, { account: '111111111111' }, /auth\.jwt\.previousSigningKeyArn: must be a key of the stage's account 111111111111 .*got account 222222222222/],
  ['a previous key of another region', { ...KMS, signingKeyGeneration: 2, previousSigningKeyArn: ARN.replace('eu-west-1', 'us-east-1') }, {}, /auth\.jwt\.previousSigningKeyArn: must be a key of the stage's region eu-west-1 .*got us-east-1/],
  ['a generation with mode hs256', { mode: 'hs256', issuer: 'i', audience: 'a', signingKeyGeneration: 2 }, {}, /auth\.jwt\.signingKeyGeneration: is only for auth\.jwt\.mode kms .*not hs256/],
  ['a previous key with mode hs256', { mode: 'hs256', issuer: 'i', audience: 'a', previousSigningKeyArn: ARN }, {}, /auth\.jwt\.previousSigningKeyArn: is only for auth\.jwt\.mode kms .*not hs256: rotate the HS256 secret/],
])('SEC-3: refuses %s, naming the field', (_what, jwt, env, expected) => {
  expect(errorOf(jwt, env)).toMatch(expected);
});
