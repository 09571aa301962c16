/**
 * Token records in the stage's DynamoDB table (issue 15, point 1): one item per token, keyed by the
 * token's digest, holding the version-1 record exactly as an SSM parameter held it (the record format
 * does not change: no version bump). Shared by the authorizer (reads) and the operators' CLI (writes).
 *
 * | attribute        | type | meaning                                                                 |
 * | ---------------- | ---- | ----------------------------------------------------------------------- |
 * | `digest`         | S    | partition key: `sha256:` + 64 hex, the record's `digest`                |
 * | `id`             | S    | the token id (`tok_…`), key of the `byId` index (rotate, revoke)        |
 * | `record`         | S    | the version-1 record JSON (token-record.ts)                             |
 * | `revokedAt`      | S    | ISO instant; present once revoked (tombstone: the item is never deleted)|
 * | `expiresAtEpoch` | N    | DynamoDB TTL: epoch seconds of `expiresAt` + 7 days, then AWS removes it |
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { parseTokenRecord, serializeTokenRecord, type TokenRecord, TokenRecordError } from './token-record';
import type { StoredToken } from './token-lookup';

/** The attribute names. */
export const TOKEN_ITEM = {
  digest: 'digest',
  id: 'id',
  record: 'record',
  revokedAt: 'revokedAt',
  ttl: 'expiresAtEpoch',
} as const;

/** The global secondary index on `id` (keys only), for `tokens rotate` and `tokens revoke --id`. */
export const TOKEN_ID_INDEX = 'byId';

/** How long an expired or revoked item stays listed before DynamoDB's TTL removes it. */
export const TOKEN_ITEM_RETENTION_SECONDS = 7 * 86_400;

/** A DynamoDB item. */
export type TokenItem = Record<string, AttributeValue>;

/** The item of a record (the record is validated first, so nothing malformed is ever written). */
export function tokenItem(record: TokenRecord): TokenItem {
  return {
    [TOKEN_ITEM.digest]: { S: record.digest },
    [TOKEN_ITEM.id]: { S: record.id },
    [TOKEN_ITEM.record]: { S: serializeTokenRecord(record) },
    [TOKEN_ITEM.ttl]: { N: String(ttlOf(record)) },
  };
}

/** The TTL value of a record: its expiry plus the retention, in epoch seconds. */
export function ttlOf(record: TokenRecord): number {
  return Math.floor(Date.parse(record.expiresAt) / 1000) + TOKEN_ITEM_RETENTION_SECONDS;
}

/**
 * Reads an item as a stored token.
 * @throws TokenRecordError when the item is not a valid version-1 record stored under its own digest.
 */
export function storedTokenOf(item: TokenItem): StoredToken {
  const value = item[TOKEN_ITEM.record]?.S;
  if (value === undefined) throw new TokenRecordError('token item has no record attribute');
  const record = parseTokenRecord(value);
  const key = item[TOKEN_ITEM.digest]?.S;
  if (record.digest !== key) throw new TokenRecordError('token record digest does not match the item key');
  const id = item[TOKEN_ITEM.id]?.S;
  if (id !== undefined && id !== record.id) throw new TokenRecordError(`token record id ${record.id} does not match the item id`);
  const revokedAt = item[TOKEN_ITEM.revokedAt]?.S;
  return revokedAt === undefined ? { record } : { record, revokedAt };
}
