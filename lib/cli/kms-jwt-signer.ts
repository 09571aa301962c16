/**
 * ES256 JWTs signed by a KMS asymmetric key (ECC_NIST_P256, SIGN_VERIFY): the private key never
 * leaves KMS. The JWS signing input is sent as a RAW message with ECDSA_SHA_256, so KMS computes the
 * SHA-256 itself (no client-side prehash to get wrong); RAW messages are limited to 4096 bytes, far
 * above a JWT with bounded claims. The DER signature KMS returns is converted to JOSE `R || S`.
 */
import { type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { awsCall, CliError, ExitCode } from './errors';
import { derToJoseSignature, SignatureEncodingError } from './jose-signature';

/** The largest message KMS Sign accepts with MessageType RAW. */
export const KMS_RAW_MESSAGE_LIMIT = 4096;

/** A JWT's claims: JSON values only. */
export type JwtClaims = Readonly<Record<string, string | number | boolean | readonly string[]>>;

function base64url(data: string | Uint8Array): string {
  return Buffer.from(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64url');
}

/**
 * Signs `claims` as a compact ES256 JWT with KMS key `keyId`; the header is
 * `{ alg: 'ES256', typ: 'JWT', kid: keyId }`.
 * @throws CliError mapped from KMS errors, or UNEXPECTED if KMS returns a malformed signature.
 */
export async function signJwtWithKms(kms: KMSClient, keyId: string, claims: JwtClaims): Promise<string> {
  const header = { alg: 'ES256', typ: 'JWT', kid: keyId };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const message = Buffer.from(signingInput, 'ascii');
  if (message.length > KMS_RAW_MESSAGE_LIMIT) {
    throw new CliError(ExitCode.USAGE, `the JWT is ${message.length} bytes before signing, over KMS's ${KMS_RAW_MESSAGE_LIMIT}-byte limit; use fewer or shorter scopes`);
  }
  const response = await awsCall(
    { action: `signing the JWT with KMS key ${keyId}`, notFound: `KMS key ${keyId} does not exist in this account and region` },
    () => kms.send(new SignCommand({ KeyId: keyId, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' })),
  );
  if (!response.Signature) throw new CliError(ExitCode.UNEXPECTED, `KMS key ${keyId} returned no signature`);
  let signature: Uint8Array;
  try {
    signature = derToJoseSignature(response.Signature, 32);
  } catch (e) {
    if (e instanceof SignatureEncodingError) {
      throw new CliError(ExitCode.KEY_UNUSABLE, `KMS key ${keyId} returned a signature that is not ES256 (${e.message}); the signing key must be ECC_NIST_P256`);
    }
    throw e;
  }
  return `${signingInput}.${base64url(signature)}`;
}
