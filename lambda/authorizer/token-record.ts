/**
 * Token records, format version 1: the persisted shape shared by the operators' CLI (which writes
 * them) and the authorizer (which reads them). One SSM SecureString parameter per token, at
 * `<token path>/<tokenId>`, encrypted by the stage's secrets KMS key.
 *
 * Only the SHA-256 digest of a token is ever stored (AUTH-3): issued tokens carry 256 bits of
 * entropy, so a fast digest is the right tool and no password hash is needed per request.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';

/** The current (and only) token record format version. */
export const TOKEN_RECORD_VERSION = 1;

/**
 * Token ids, as format version 1 publishes them: `tok_` and 128 random bits, written either as 26
 * lowercase base32 characters (what this kit issues) or as 32 lowercase hex characters (what other
 * tools that write version-1 records may issue). Both are read (issue 17, point 9).
 */
export const TOKEN_ID_PATTERN = /^tok_(?:[a-z2-7]{26}|[0-9a-f]{32})$/;

/** A digest as stored: `sha256:` and 64 lowercase hex characters. */
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

const isoInstant = z.iso.datetime({ offset: true });

export const TokenRecordSchema = z
  .object({
    v: z.literal(TOKEN_RECORD_VERSION),
    id: z.string().regex(TOKEN_ID_PATTERN, 'must look like tok_ followed by 26 base32 or 32 hex characters'),
    digest: z.string().regex(DIGEST_PATTERN, 'must be sha256: followed by 64 lowercase hex characters'),
    agentId: z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be 1-128 characters of A-Z a-z 0-9 . _ : @ -'),
    agentType: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 . _ -'),
    role: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be a lowercase role name'),
    scopes: z.array(z.string().regex(/^[A-Za-z0-9._:*-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 . _ : * -')).max(64),
    createdAt: isoInstant,
    expiresAt: isoInstant,
  })
  .strict();

/** A token record, version 1. */
export type TokenRecord = z.infer<typeof TokenRecordSchema>;

/** Raised when a stored value is not a valid version-1 token record. The message never contains secret material. */
export class TokenRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRecordError';
  }
}

/**
 * Parses and validates a stored token record (the SecureString's value).
 * @throws TokenRecordError naming the first bad field.
 */
export function parseTokenRecord(value: string): TokenRecord {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new TokenRecordError('token record is not JSON');
  }
  const result = TokenRecordSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TokenRecordError(`token record field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (Date.parse(result.data.expiresAt) <= Date.parse(result.data.createdAt)) {
    throw new TokenRecordError('token record field expiresAt: must be after createdAt');
  }
  return result.data;
}

/** Serializes a record as stored in SSM (validated first, so nothing malformed is ever written). */
export function serializeTokenRecord(record: TokenRecord): string {
  return JSON.stringify(TokenRecordSchema.parse(record));
}

/** `sha256:<hex>` of the token's UTF-8 bytes: the only form in which a token is stored. */
export function tokenDigest(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Lowercase RFC 4648 base32 without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** A new token id: `tok_` and 128 random bits in base32. */
export function newTokenId(random: (n: number) => Uint8Array = randomBytes): string {
  return `tok_${base32(random(16))}`;
}

/**
 * A new opaque token: the prefix and 256 random bits in base64url (43 characters), so every issued
 * token is at least 32 characters long and carries 256 bits of entropy (AUTH-4).
 */
export function newToken(prefix: string, random: (n: number) => Uint8Array = randomBytes): string {
  return `${prefix}${Buffer.from(random(32)).toString('base64url')}`;
}
