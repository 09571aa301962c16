/**
 * Issuing opaque tokens (AUTH-4): 256 random bits behind the stage's prefix, a fresh id, and the
 * version-1 record holding only the token's SHA-256 digest (AUTH-3). Shared by `tokens create` and
 * `tokens rotate`.
 */
import { newToken, newTokenId, TokenRecordSchema, tokenDigest, type TokenRecord } from '../../lambda/authorizer/token-record';
import type { PerimeterConfig } from '../config';
import { CliError, ExitCode } from './errors';
import { formatDuration, parseDuration } from './duration';

/** The identity a token carries. */
export interface TokenIdentity {
  readonly agentId: string;
  readonly agentType: string;
  readonly role: string;
  readonly scopes: readonly string[];
}

/** A new token and its record. The token exists only here and on stdout, once. */
export interface IssuedToken {
  readonly token: string;
  readonly record: TokenRecord;
}

/** Checks an agent id and type against the record format. @throws CliError USAGE naming the flag. */
export function checkIdentityFlags(agentId: string, agentType: string | undefined): void {
  const shape = TokenRecordSchema.shape;
  const id = shape.agentId.safeParse(agentId);
  if (!id.success) throw new CliError(ExitCode.USAGE, `--agent-id ${id.error.issues[0]?.message}, got '${agentId}'`);
  if (agentType !== undefined) {
    const type = shape.agentType.safeParse(agentType);
    if (!type.success) throw new CliError(ExitCode.USAGE, `--agent-type ${type.error.issues[0]?.message}, got '${agentType}'`);
  }
}

/** The token lifetime from `--expires`: default and maximum `auth.tokenMaxLifetimeDays`. */
export function tokenLifetimeSeconds(config: PerimeterConfig, expires: string | undefined): number {
  const maxSeconds = config.auth.tokenMaxLifetimeDays * 86_400;
  if (expires === undefined) return maxSeconds;
  return parseDuration('--expires', expires, { minSeconds: 3_600, maxSeconds });
}

/** Issues a token for `identity`, valid from `now` for `lifetimeSeconds`. */
export function issueToken(
  config: PerimeterConfig,
  identity: TokenIdentity,
  now: Date,
  lifetimeSeconds: number,
  random: (n: number) => Uint8Array,
): IssuedToken {
  const token = newToken(config.auth.tokenPrefix, random);
  const record = TokenRecordSchema.parse({
    v: 1,
    id: newTokenId(random),
    digest: tokenDigest(token),
    agentId: identity.agentId,
    agentType: identity.agentType,
    role: identity.role,
    scopes: [...identity.scopes],
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000).toISOString(),
  });
  return { token, record };
}

/** One stderr line describing an issued token, without the token. */
export function describeIssued(record: TokenRecord, lifetimeSeconds: number): string {
  const scopes = record.scopes.length ? ` scopes ${record.scopes.join(',')}` : '';
  return `issued ${record.id} for agent ${record.agentId} (${record.agentType}), role ${record.role}${scopes}, ` +
    `expires ${record.expiresAt} (in ${formatDuration(lifetimeSeconds)})`;
}

/** A record's fields without the digest and format version, for output. */
export function publicFields(record: TokenRecord) {
  return {
    id: record.id,
    agentId: record.agentId,
    agentType: record.agentType,
    role: record.role,
    scopes: record.scopes,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
  };
}
