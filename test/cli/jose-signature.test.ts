import { generateKeyPairSync, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { derToJoseSignature, SignatureEncodingError } from '../../lib/cli/jose-signature';

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function der(r: number[], s: number[]): Uint8Array {
  const int = (bytes: number[]) => [0x02, bytes.length, ...bytes];
  const body = [...int(r), ...int(s)];
  return new Uint8Array([0x30, body.length, ...body]);
}

test('AUTH-5: a DER ECDSA signature converted to R||S verifies as an IEEE P1363 signature, for any message', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (message) => {
    // GIVEN
    const derSignature = sign('sha256', message, keys.privateKey);
    // WHEN
    const jose = derToJoseSignature(derSignature);
    // THEN
    expect(jose).toHaveLength(64);
    expect(verify('sha256', message, { key: keys.publicKey, dsaEncoding: 'ieee-p1363' }, jose)).toBe(true);
  }), { numRuns: 200 });
});

test('derToJoseSignature strips the sign byte of a 33-byte integer and left-pads a short one', () => {
  // GIVEN: r has a leading 0x00 (high bit set), s is only 2 bytes long
  const r = [0x00, 0x80, ...Array(31).fill(0x11)];
  const s = [0x01, 0x02];
  // WHEN
  const jose = derToJoseSignature(der(r, s));
  // THEN
  expect(Buffer.from(jose.subarray(0, 32))).toEqual(Buffer.from([0x80, ...Array(31).fill(0x11)]));
  expect(Buffer.from(jose.subarray(32))).toEqual(Buffer.from([...Array(30).fill(0), 0x01, 0x02]));
});

test.each([
  ['not a SEQUENCE', new Uint8Array([0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]), /does not start with a SEQUENCE/],
  ['a wrong SEQUENCE length', new Uint8Array([0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]), /does not match/],
  ['an integer over 32 bytes', der(Array(33).fill(0x7f), [1]), /has 33 bytes, more than 32/],
  ['a negative integer', der([0x80], [1]), /negative/],
  ['an empty integer', new Uint8Array([0x30, 0x05, 0x02, 0x00, 0x02, 0x01, 0x01]), /empty or truncated/],
  ['trailing bytes in the sequence', new Uint8Array([0x30, 0x08, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x05, 0x00]), /trailing bytes/],
  ['a non-INTEGER element', new Uint8Array([0x30, 0x06, 0x04, 0x01, 0x01, 0x02, 0x01, 0x01]), /expected a DER INTEGER/],
])('fails: derToJoseSignature refuses %s', (_what, bytes, message) => {
  // WHEN / THEN
  expect(() => derToJoseSignature(bytes)).toThrow(SignatureEncodingError);
  expect(() => derToJoseSignature(bytes)).toThrow(message);
});
