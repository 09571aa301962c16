import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { KmsPublicKey } from '../../../lambda/authorizer/kms-public-key';
import { KeyUnavailableError } from '../../../lambda/authorizer/jwt';
import { SsmHmacSecret } from '../../../lambda/authorizer/ssm-hmac-secret';
import { jwtKeys } from './fixtures';

const ssm = mockClient(SSMClient);
const kms = mockClient(KMSClient);

beforeEach(() => {
  ssm.reset();
  kms.reset();
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
