/**
 * `tokens migrate`: copies the version-1 token records of a stage from SSM Parameter Store (one
 * SecureString per token under `/mcp-perimeter/<stage>/tokens/`) into the stage's token table
 * (issue 15, point 4). Idempotent: a record whose digest is already in the table (copied before, or
 * revoked there) is left alone, so running it twice, or after a revoke, never brings anything back.
 * Expired records are not copied. Prints ids and counts only, never a digest.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { TOKEN_ITEM } from '../../../lambda/authorizer/token-item';
import { AWS_OPTIONS, COMMON_OPTIONS, type CommandSpec, type FlagValues, openStage, stringFlag, writeJson } from '../command';
import { awsCall } from '../errors';
import type { CliRuntime } from '../runtime';
import { checkTokenPath, checkTokenPathStage, defaultTokenPath } from '../stage-outputs';
import { TokenStore } from '../token-store';
import { openTokenTable, TOKEN_TABLE_OPTION, type TokenTable } from '../token-table';

/** What happened to each record. */
export interface MigrationReport {
  readonly copied: string[];
  readonly present: string[];
  readonly expired: string[];
  readonly unreadable: { readonly name: string; readonly problem: string }[];
}

async function run(values: FlagValues, runtime: CliRuntime): Promise<void> {
  const session = openStage(values, runtime);
  const dryRun = values['dry-run'] === true;
  const pathFlag = stringFlag(values, 'token-path');
  const tokenPath = pathFlag === undefined ? defaultTokenPath(session.stage) : checkTokenPath(pathFlag);
  if (pathFlag !== undefined) checkTokenPathStage(tokenPath, session.stage);
  const table = await openTokenTable(session, stringFlag(values, 'token-table'));
  const { records, unreadable } = await new TokenStore(session.aws().ssm, tokenPath).list();
  const now = runtime.now().getTime();
  const report: MigrationReport = { copied: [], present: [], expired: [], unreadable };
  for (const record of records.sort((a, b) => a.id.localeCompare(b.id))) {
    if (Date.parse(record.expiresAt) <= now) {
      report.expired.push(record.id);
      continue;
    }
    const copied = dryRun ? !(await exists(table, session.aws().dynamodb, record.digest, record.id)) : await table.putIfAbsent(record);
    (copied ? report.copied : report.present).push(record.id);
  }
  if (session.json) writeJson(runtime, { stage: session.stage, tokenPath, table: table.tableName, dryRun, ...report });
  const verb = dryRun ? 'would copy' : 'copied';
  for (const id of report.copied) runtime.stderr(`${verb} ${id}\n`);
  for (const u of unreadable) runtime.stderr(`warning: ${u.name} is not a valid token record (${u.problem}); not copied\n`);
  runtime.stderr(`${dryRun ? 'dry run: ' : ''}${report.copied.length} ${verb}, ${report.present.length} already in ${table.tableName}, ` +
    `${report.expired.length} expired (not copied), ${unreadable.length} unreadable, from ${tokenPath}\n`);
}

async function exists(table: TokenTable, client: ReturnType<ReturnType<typeof openStage>['aws']>['dynamodb'], digest: string, id: string): Promise<boolean> {
  const answer = await awsCall({ action: `reading token ${id} in table ${table.tableName}`, notFound: `no table ${table.tableName}: deploy the stage's Keys stack first, or pass --token-table` },
    () => client.send(new GetItemCommand({ TableName: table.tableName, Key: { [TOKEN_ITEM.digest]: { S: digest } }, ProjectionExpression: '#i', ExpressionAttributeNames: { '#i': TOKEN_ITEM.id }, ConsistentRead: true })));
  return answer.Item !== undefined;
}

/** The `tokens migrate` command. */
export const tokensMigrate: CommandSpec = {
  path: ['tokens', 'migrate'],
  summary: 'copy version-1 token records from SSM into the token table (idempotent)',
  description: [
    'Reads every version-1 token record under the stage\'s SSM token path and writes each one that is not',
    'expired into the token table, unless an item with its digest is there already (copied before, or',
    'revoked: a revocation is never undone). The records are copied unchanged (format version 1), so every',
    'token issued before keeps working. The SSM records are left in place; tokens revoke deletes them',
    'one by one, and they may be deleted once the new authorizer is deployed. Run it after deploying the',
    'Keys stack and before deploying the Edge stack; run it again any time: it only copies what is missing.',
    'With --dry-run nothing is written. Prints token ids and counts, never a digest.',
    '',
    'The table is the output TokenTableName of stack McpPerimeter-<stage>-Keys unless --token-table is given; the SSM path',
    '/mcp-perimeter/<stage>/tokens unless --token-path is given.',
  ].join('\n'),
  options: {
    ...COMMON_OPTIONS,
    'dry-run': { type: 'boolean', description: 'report what would be copied; write nothing' },
    ...TOKEN_TABLE_OPTION,
    'token-path': { type: 'string', value: 'PATH', description: 'SSM path of version-1 records; default /mcp-perimeter/<stage>/tokens' },
    ...AWS_OPTIONS,
  },
  examples: ['mcp-perimeter tokens migrate --stage prod --config prod.json --dry-run', 'mcp-perimeter tokens migrate --stage prod --config prod.json'],
  run,
};
