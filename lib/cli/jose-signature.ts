/**
 * ECDSA signature encodings. KMS Sign returns an ECDSA signature as DER
 * (`SEQUENCE { INTEGER r, INTEGER s }`, RFC 3279); JWS ES256 wants the 64-byte `R || S` form with
 * each integer big-endian and left-padded to 32 bytes (RFC 7518 §3.4).
 */

/** Raised for bytes that are not a DER ECDSA signature of the expected size. */
export class SignatureEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignatureEncodingError';
  }
}

function readLength(der: Uint8Array, at: number): { length: number; next: number } {
  const first = der[at];
  if (first === undefined) throw new SignatureEncodingError('DER signature is truncated (no length)');
  if (first < 0x80) return { length: first, next: at + 1 };
  if (first !== 0x81) throw new SignatureEncodingError(`DER length form 0x${first.toString(16)} is not valid for an ECDSA signature`);
  const length = der[at + 1];
  if (length === undefined || length < 0x80) throw new SignatureEncodingError('DER long-form length is truncated or not minimal');
  return { length, next: at + 2 };
}

function readInteger(der: Uint8Array, at: number, size: number): { value: Uint8Array; next: number } {
  if (der[at] !== 0x02) throw new SignatureEncodingError(`expected a DER INTEGER at byte ${at}`);
  const { length, next } = readLength(der, at + 1);
  if (length === 0 || next + length > der.length) throw new SignatureEncodingError('DER INTEGER is empty or truncated');
  let bytes = der.subarray(next, next + length);
  if (bytes[0]! & 0x80) throw new SignatureEncodingError('DER INTEGER is negative');
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  if (bytes.length > size) throw new SignatureEncodingError(`DER INTEGER has ${bytes.length} bytes, more than ${size}`);
  const value = new Uint8Array(size);
  value.set(bytes, size - bytes.length);
  return { value, next: next + length };
}

/**
 * Converts a DER ECDSA signature to the JOSE form `R || S`.
 * @param der the DER bytes (KMS Sign's `Signature`).
 * @param size bytes per integer: 32 for ES256 (P-256). @default 32
 */
export function derToJoseSignature(der: Uint8Array, size = 32): Uint8Array {
  if (der[0] !== 0x30) throw new SignatureEncodingError('DER signature does not start with a SEQUENCE');
  const { length, next } = readLength(der, 1);
  if (next + length !== der.length) throw new SignatureEncodingError(`DER SEQUENCE length ${length} does not match the ${der.length - next} bytes present`);
  const r = readInteger(der, next, size);
  const s = readInteger(der, r.next, size);
  if (s.next !== der.length) throw new SignatureEncodingError('DER signature has trailing bytes');
  const out = new Uint8Array(size * 2);
  out.set(r.value, 0);
  out.set(s.value, size);
  return out;
}
