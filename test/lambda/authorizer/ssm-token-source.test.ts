import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetParameterCommand, GetParametersByPathCommand, SSMClient, type Parameter } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { KmsPublicKey } from '../../../lambda/authorizer/kms-public-key';
import { KeyUnavailableError } from '../../../lambda/authorizer/jwt';
import { SsmHmacSecret } from '../../../lambda/authorizer/ssm-hmac-secret';
import { SsmTokenSource } from '../../../lambda/authorizer/ssm-token-source';
import { serializeTokenRecord } from '../../../lambda/authorizer/token-record';
import { issueToken, jwtKeys } from './fixtures';

const ssm = mockClient(SSMClient);
const kms = mockClient(KMSClient);
const PATH = '/mcp-perimeter/dev/tokens';

beforeEach(() => {
  ssm.reset();
  kms.reset();
});

function parameter(record: ReturnType<typeof issueToken>['record'], overrides: Partial<Parameter> = {}): Parameter {
  return { Name: `${PATH}/${record.id}`, Type: 'SecureString', Value: serializeTokenRecord(record), ...overrides };
}

test('SEC-2: records are read recursively, with decryption, across every page', async () => {
  // GIVEN: three pages
  const [a, b, c] = [issueToken(), issueToken(), issueToken()];
  ssm
    .on(GetParametersByPathCommand, { NextToken: undefined }).resolves({ Parameters: [parameter(a.record)], NextToken: 'p2' })
    .on(GetParametersByPathCommand, { NextToken: 'p2' }).resolves({ Parameters: [parameter(b.record)], NextToken: 'p3' })
    .on(GetParametersByPathCommand, { NextToken: 'p3' }).resolves({ Parameters: [parameter(c.record)] });
  // WHEN
  const records = await new SsmTokenSource({ client: new SSMClient({}), path: PATH }).load();
  // THEN
  expect(records.map((r) => r.id)).toEqual([a.record.id, b.record.id, c.record.id]);
  const calls = ssm.commandCalls(GetParametersByPathCommand);
  expect(calls).toHaveLength(3);
  for (const call of calls) expect(call.args[0].input).toMatchObject({ Path: PATH, Recursive: true, WithDecryption: true });
});

test('malformed records are skipped and reported, never fatal', async () => {
  // GIVEN
  const good = issueToken();
  const other = issueToken();
  ssm.on(GetParametersByPathCommand).resolves({
    Parameters: [
      parameter(good.record),
      { Name: `${PATH}/tok_broken`, Type: 'SecureString', Value: '{not json' },
      { Name: `${PATH}/tok_v2`, Type: 'SecureString', Value: JSON.stringify({ ...good.record, v: 2 }) },
      parameter(other.record, { Type: 'String' }),
      parameter(other.record, { Name: `${PATH}/tok_aaaaaaaaaaaaaaaaaaaaaaaaaa` }),
      { Name: `${PATH}/tok_novalue`, Type: 'SecureString' },
    ],
  });
  const reports: [string, string][] = [];
  // WHEN
  const records = await new SsmTokenSource({ client: new SSMClient({}), path: PATH, onMalformed: (n, p) => reports.push([n, p]) }).load();
  // THEN
  expect(records).toEqual([good.record]);
  expect(reports.map(([, p]) => p)).toEqual([
    'token record is not JSON',
    expect.stringMatching(/^token record field v:/),
    'parameter type must be SecureString, got String',
    expect.stringMatching(/does not match the parameter name's last segment/),
    'parameter has no value',
  ]);
});

test.each([
  ['throttling', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })],
  ['access denied', Object.assign(new Error('not authorized to perform ssm:GetParametersByPath'), { name: 'AccessDeniedException' })],
  ['a timeout', Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })],
  ['a KMS error', Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' })],
])('SEC-3: %s fails the load as a whole (the last snapshot keeps serving)', async (_case, error) => {
  // GIVEN: the first page works, the second fails
  ssm.on(GetParametersByPathCommand, { NextToken: undefined }).resolves({ Parameters: [parameter(issueToken().record)], NextToken: 'p2' })
    .on(GetParametersByPathCommand, { NextToken: 'p2' }).rejects(error);
  // WHEN / THEN: no partial snapshot
  await expect(new SsmTokenSource({ client: new SSMClient({}), path: PATH }).load()).rejects.toThrow(error.message);
});

test('a NextToken loop is cut off instead of spinning', async () => {
  ssm.on(GetParametersByPathCommand).resolves({ Parameters: [], NextToken: 'again' });
  await expect(new SsmTokenSource({ client: new SSMClient({}), path: PATH, maxPages: 5 }).load()).rejects.toThrow(/more than 5 pages/);
  expect(ssm.commandCalls(GetParametersByPathCommand)).toHaveLength(5);
});

test('AUTH-5: the KMS public key is fetched once and cached', async () => {
  // GIVEN
  const der = jwtKeys().es256.publicKey.export({ type: 'spki', format: 'der' });
  kms.on(GetPublicKeyCommand).resolves({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'], PublicKey: new Uint8Array(der) });
  const key = new KmsPublicKey({ client: new KMSClient({}), keyId: 'alias/signing' });
  // WHEN
  const [k1, k2] = await Promise.all([key.get(), key.get()]);
  const k3 = await key.get();
  // THEN
  expect(k1.equals(jwtKeys().es256.publicKey)).toBe(true);
  expect(k2).toBe(k1);
  expect(k3).toBe(k1);
  expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
});

test('AUTH-5: a KMS key that is not ECC_NIST_P256 SIGN_VERIFY is refused', async () => {
  kms.on(GetPublicKeyCommand).resolves({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT', PublicKey: new Uint8Array([1]) });
  const errors: unknown[] = [];
  await expect(new KmsPublicKey({ client: new KMSClient({}), keyId: 'k', onError: (e) => errors.push(e) }).get()).rejects.toBeInstanceOf(KeyUnavailableError);
  expect(String(errors[0])).toMatch(/must be an ECC_NIST_P256 SIGN_VERIFY key/);
});

test('AUTH-5: after a KMS failure, GetPublicKey is retried only after the back-off', async () => {
  // GIVEN
  let now = 0;
  kms.on(GetPublicKeyCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
  const key = new KmsPublicKey({ client: new KMSClient({}), keyId: 'k', retryMs: 5000, now: () => now });
  // WHEN
  await expect(key.get()).rejects.toBeInstanceOf(KeyUnavailableError);
  now = 1000;
  await expect(key.get()).rejects.toBeInstanceOf(KeyUnavailableError);
  now = 6000;
  await expect(key.get()).rejects.toBeInstanceOf(KeyUnavailableError);
  // THEN
  expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(2);
});

test('AUTH-5: the HS256 secret is read from an SSM SecureString with decryption, and a short secret is refused', async () => {
  // GIVEN
  ssm.on(GetParameterCommand, { Name: '/p/good' }).resolves({ Parameter: { Type: 'SecureString', Value: 'x'.repeat(32) } })
    .on(GetParameterCommand, { Name: '/p/short' }).resolves({ Parameter: { Type: 'SecureString', Value: 'short' } })
    .on(GetParameterCommand, { Name: '/p/plain' }).resolves({ Parameter: { Type: 'String', Value: 'x'.repeat(32) } });
  const secret = (name: string) => new SsmHmacSecret({ client: new SSMClient({}), parameterName: name, refreshMs: 60_000, maxStaleMs: 900_000 }).resolver;
  const header = { alg: 'HS256' };
  // WHEN / THEN
  await expect(secret('/p/good')(header, { payload: '', signature: '' })).resolves.toMatchObject({ type: 'secret' });
  await expect(secret('/p/short')(header, { payload: '', signature: '' })).rejects.toBeInstanceOf(KeyUnavailableError);
  await expect(secret('/p/plain')(header, { payload: '', signature: '' })).rejects.toBeInstanceOf(KeyUnavailableError);
  expect(ssm.commandCalls(GetParameterCommand)[0].args[0].input).toEqual({ Name: '/p/good', WithDecryption: true });
});
