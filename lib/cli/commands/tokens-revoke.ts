/**
 * `tokens revoke`: mark a token's record revoked in the token table (a tombstone that nothing can write
 * back, issue 15 point 5) and delete its version-1 SSM record if one is left from before the migration;
 * the authorizer refuses the token within a bounded time (SEC-3).
 */
import { DeleteParameterCommand } from '@aws-sdk/client-ssm';
import { TOKEN_ID_PATTERN } from '../../../lambda/authorizer/token-record';
import type { PerimeterConfig } from '../../config';
import { AWS_OPTIONS, checkedFlag, COMMON_OPTIONS, type CommandSpec, type FlagValues, openStage, requiredFlag, stringFlag, writeJson } from '../command';
import { awsCall, CliError, ExitCode } from '../errors';
import type { CliRuntime } from '../runtime';
import { checkTokenPath, checkTokenPathStage, defaultTokenPath } from '../stage-outputs';
import { openTokenTable, TOKEN_TABLE_OPTION } from '../token-table';

/** The longest a revoked token can still be accepted: one cache refresh plus the gateway's cache TTL. */
export function revocationDelaySeconds(config: PerimeterConfig): number {
  return config.auth.refreshSeconds + config.auth.cacheTtlSeconds;
}

/** The message of a token id flag that does not match the record format. */
export const TOKEN_ID_HINT = 'must be a token id: tok_ followed by 26 base32 or 32 hex characters (see tokens list)';

async function run(values: FlagValues, runtime: CliRuntime): Promise<void> {
  const session = openStage(values, runtime);
  const id = checkedFlag('id', requiredFlag(values, 'id', 'the token id from tokens list, e.g. --id tok_…'), TOKEN_ID_PATTERN, TOKEN_ID_HINT);
  const pathFlag = stringFlag(values, 'token-path');
  const tokenPath = pathFlag === undefined ? defaultTokenPath(session.stage) : checkTokenPath(pathFlag);
  if (pathFlag !== undefined) checkTokenPathStage(tokenPath, session.stage);
  const table = await openTokenTable(session, stringFlag(values, 'token-table'));

  const stored = await table.findById(id);
  const outcome = stored ? await table.revoke(stored.record.digest, runtime.now()) : 'absent';
  const parameterName = `${tokenPath}/${id}`;
  const legacyDeleted = await awsCall({ action: `deleting the version-1 record ${parameterName}` }, async () => {
    try {
      await session.aws().ssm.send(new DeleteParameterCommand({ Name: parameterName }));
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === 'ParameterNotFound') return false;
      throw e;
    }
  });
  if (outcome === 'absent' && !legacyDeleted) {
    throw new CliError(ExitCode.NOT_FOUND, `revoking token ${id}: no token '${id}' in table ${table.tableName} nor at ${parameterName} (see tokens list)`);
  }
  const delay = revocationDelaySeconds(session.config);
  if (session.json) writeJson(runtime, { revoked: id, table: table.tableName, alreadyRevoked: outcome === 'already-revoked', legacyRecordDeleted: legacyDeleted, refusedWithinSeconds: delay });
  const what = [
    outcome === 'revoked' ? `marked revoked in ${table.tableName}` : outcome === 'already-revoked' ? `already revoked in ${table.tableName}` : undefined,
    legacyDeleted ? `deleted ${parameterName}` : undefined,
  ].filter(Boolean).join(', ');
  runtime.stderr(`revoked ${id}: ${what}; the authorizer refuses it within ${delay} s (auth.refreshSeconds + auth.cacheTtlSeconds)\n`);
}

/** The `tokens revoke` command. */
export const tokensRevoke: CommandSpec = {
  path: ['tokens', 'revoke'],
  summary: 'revoke a token: mark its record revoked for good',
  description: [
    'Marks the token\'s item in the token table revoked (kept as a tombstone, so no later write can bring',
    'it back; DynamoDB removes it a week after the record\'s expiry) and deletes its version-1 SSM record',
    'if one is left from before tokens migrate. The authorizer stops accepting the token once its cached',
    'answer ages out and the gateway\'s authorizer cache expires: within auth.refreshSeconds +',
    'auth.cacheTtlSeconds. Revoking a revoked token is not an error.',
    '',
    'The table is the output TokenTableName of stack McpPerimeter-<stage>-Keys unless --token-table is given; the SSM path',
    '/mcp-perimeter/<stage>/tokens unless --token-path is given.',
  ].join('\n'),
  options: {
    ...COMMON_OPTIONS,
    id: { type: 'string', value: 'ID', description: 'the token id (tok_…), from tokens list; required' },
    ...TOKEN_TABLE_OPTION,
    'token-path': { type: 'string', value: 'PATH', description: 'SSM path of version-1 records; default /mcp-perimeter/<stage>/tokens' },
    ...AWS_OPTIONS,
  },
  examples: ['mcp-perimeter tokens revoke --stage prod --config prod.json --id tok_abcdefghijklmnopqrstuvwxyz'],
  run,
};
