/**
 * `tokens rotate`: issue a successor with the same identity and shorten the old token's expiry to
 * now + overlap, so agents switch without downtime (SEC-3). Revocation always wins (issue 15, point 5):
 * the old record is shortened only while it is exactly the record read and not revoked (a DynamoDB
 * conditional write); when a `tokens revoke` got there first, the successor is revoked too and nothing
 * is printed, so a rotation racing a revocation never hands the agent a working token.
 */
import { TOKEN_ID_PATTERN } from '../../../lambda/authorizer/token-record';
import { AWS_OPTIONS, checkedFlag, COMMON_OPTIONS, type CommandSpec, type FlagValues, openStage, requiredFlag, stringFlag, writeJson } from '../command';
import { parseDuration } from '../duration';
import { CliError, ExitCode } from '../errors';
import type { CliRuntime } from '../runtime';
import { checkRoleAndScopes } from '../stage-config';
import { describeIssued, issueToken, publicFields, tokenLifetimeSeconds } from '../token-issue';
import { openTokenTable, TOKEN_TABLE_OPTION, type TokenTable } from '../token-table';
import { TOKEN_ID_HINT } from './tokens-revoke';

/** The default overlap during which both the old and the new token work. */
export const DEFAULT_OVERLAP = '24h';
/** The longest overlap allowed. */
export const MAX_OVERLAP_SECONDS = 7 * 86_400;

async function run(values: FlagValues, runtime: CliRuntime): Promise<void> {
  const session = openStage(values, runtime);
  const id = checkedFlag('id', requiredFlag(values, 'id', 'the id of the token to rotate, from tokens list'), TOKEN_ID_PATTERN, TOKEN_ID_HINT);
  const overlap = parseDuration('--overlap', stringFlag(values, 'overlap') ?? DEFAULT_OVERLAP, { minSeconds: 0, maxSeconds: MAX_OVERLAP_SECONDS });
  const lifetime = tokenLifetimeSeconds(session.config, stringFlag(values, 'expires'));
  const table = await openTokenTable(session, stringFlag(values, 'token-table'));

  const stored = await table.findById(id);
  if (!stored) throw new CliError(ExitCode.NOT_FOUND, `reading token ${id}: no token '${id}' in table ${table.tableName} (see tokens list; a version-1 SSM record must be copied first with tokens migrate)`);
  if (stored.revokedAt !== undefined) throw new CliError(ExitCode.USAGE, `token ${id} was revoked at ${stored.revokedAt}; it cannot be rotated: issue a new one with tokens create`);
  const old = stored.record;
  const now = runtime.now();
  if (Date.parse(old.expiresAt) <= now.getTime()) {
    throw new CliError(ExitCode.USAGE, `token ${id} expired at ${old.expiresAt}; it cannot be rotated: issue a new one with tokens create and revoke ${id}`);
  }
  checkRoleAndScopes(session.config, old.role, old.scopes);
  const successor = issueToken(session.config, old, now, lifetime, runtime.random);
  await table.create(successor.record);

  const overlapEnd = new Date(Math.min(now.getTime() + overlap * 1000, Date.parse(old.expiresAt))).toISOString();
  let shortened: boolean;
  try {
    shortened = await table.shorten(old, overlapEnd);
  } catch (e) {
    await revokeSuccessor(table, successor.record.digest, now, id, successor.record.id);
    throw e;
  }
  if (!shortened) {
    await revokeSuccessor(table, successor.record.digest, now, id, successor.record.id);
    throw new CliError(ExitCode.NOT_FOUND,
      `rotating token ${id}: it was revoked or changed while rotating; the successor ${successor.record.id} was revoked too and nothing was issued: check tokens list`);
  }
  if (session.json) {
    writeJson(runtime, { token: successor.token, ...publicFields(successor.record), replaces: id, replacedExpiresAt: overlapEnd });
  } else {
    runtime.stdout(`${successor.token}\n`);
  }
  runtime.stderr(`${describeIssued(successor.record, lifetime)}\n`);
  runtime.stderr('the new token is shown only this once: put it in the agent\'s secret store now\n');
  runtime.stderr(`${id} now expires at ${overlapEnd}; both tokens work until then, only ${successor.record.id} after\n`);
}

/** Revokes a successor that must not be handed out. @throws CliError naming it when that fails too. */
async function revokeSuccessor(table: TokenTable, digest: string, now: Date, id: string, successorId: string): Promise<void> {
  try {
    await table.revoke(digest, now);
  } catch (e) {
    throw new CliError(ExitCode.UNEXPECTED,
      `rotating token ${id} failed, and revoking the unissued successor ${successorId} failed too (${(e as Error).message}); run tokens revoke --id ${successorId}`, { cause: e });
  }
}

/** The `tokens rotate` command. */
export const tokensRotate: CommandSpec = {
  path: ['tokens', 'rotate'],
  summary: 'issue a successor with the same identity; the old token expires after an overlap',
  description: [
    'Reads the token\'s record, issues a successor with the same agent id, type, role and scopes (checked',
    'against the stage\'s config), stores it without overwriting, then sets the old record\'s expiry to',
    'now + --overlap (never later than it was), only if the old record is unchanged and not revoked, and',
    'then prints the new token once on stdout. If a tokens revoke got there first, the successor is',
    'revoked as well and the command fails: a revocation always sticks. Both tokens work during the',
    'overlap; only the new one after. Rotate every 90 days (tokens list flags the old ones).',
    '',
    'The table is the output TokenTableName of stack McpPerimeter-<stage>-Keys (one CloudFormation call) unless --token-table is given.',
  ].join('\n'),
  options: {
    ...COMMON_OPTIONS,
    id: { type: 'string', value: 'ID', description: 'the id (tok_…) of the token to rotate; required' },
    overlap: { type: 'string', value: 'DURATION', description: `how long the old token keeps working, 0s to 7d; default ${DEFAULT_OVERLAP}` },
    expires: { type: 'string', value: 'DURATION', description: 'the successor\'s lifetime, 1h to auth.tokenMaxLifetimeDays; default the maximum' },
    ...TOKEN_TABLE_OPTION,
    ...AWS_OPTIONS,
  },
  examples: ['mcp-perimeter tokens rotate --stage prod --config prod.json --id tok_abcdefghijklmnopqrstuvwxyz --overlap 48h'],
  run,
};
