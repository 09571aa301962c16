/**
 * `tokens rotate`: issue a successor with the same identity and shorten the old token's expiry to
 * now + overlap, so agents switch without downtime (SEC-3). The successor is written first: if that
 * fails nothing changed; if shortening fails, the successor is still printed and the error says so.
 */
import { TOKEN_ID_PATTERN } from '../../../lambda/authorizer/token-record';
import { AWS_OPTIONS, checkedFlag, COMMON_OPTIONS, type CommandSpec, type FlagValues, openStage, requiredFlag, stringFlag, writeJson } from '../command';
import { parseDuration } from '../duration';
import { CliError, ExitCode } from '../errors';
import type { CliRuntime } from '../runtime';
import { checkRoleAndScopes } from '../stage-config';
import { checkTokenPath, resolveStageOutputs } from '../stage-outputs';
import { describeIssued, issueToken, publicFields, tokenLifetimeSeconds } from '../token-issue';
import { TokenStore } from '../token-store';

/** The default overlap during which both the old and the new token work. */
export const DEFAULT_OVERLAP = '24h';
/** The longest overlap allowed. */
export const MAX_OVERLAP_SECONDS = 7 * 86_400;

async function run(values: FlagValues, runtime: CliRuntime): Promise<void> {
  const session = openStage(values, runtime);
  const id = checkedFlag('id', requiredFlag(values, 'id', 'the id of the token to rotate, from tokens list'), TOKEN_ID_PATTERN,
    'must be a token id: tok_ followed by 26 base32 characters (see tokens list)');
  const overlap = parseDuration('--overlap', stringFlag(values, 'overlap') ?? DEFAULT_OVERLAP, { minSeconds: 0, maxSeconds: MAX_OVERLAP_SECONDS });
  const lifetime = tokenLifetimeSeconds(session.config, stringFlag(values, 'expires'));
  const pathFlag = stringFlag(values, 'token-path');
  const outputs = await resolveStageOutputs(() => session.aws().cloudFormation, session.stage, ['tokenPath', 'secretsKeyId'], {
    tokenPath: pathFlag === undefined ? undefined : checkTokenPath(pathFlag),
    secretsKeyId: stringFlag(values, 'key-id'),
  });
  const store = new TokenStore(session.aws().ssm, outputs.tokenPath, outputs.secretsKeyId);

  const old = await store.get(id);
  const now = runtime.now();
  if (Date.parse(old.expiresAt) <= now.getTime()) {
    throw new CliError(ExitCode.USAGE, `token ${id} expired at ${old.expiresAt}; it cannot be rotated: issue a new one with tokens create and revoke ${id}`);
  }
  checkRoleAndScopes(session.config, old.role, old.scopes);
  const successor = issueToken(session.config, old, now, lifetime, runtime.random);
  await store.create(successor.record);

  const overlapEnd = new Date(Math.min(now.getTime() + overlap * 1000, Date.parse(old.expiresAt))).toISOString();
  if (session.json) {
    writeJson(runtime, { token: successor.token, ...publicFields(successor.record), replaces: id, replacedExpiresAt: overlapEnd });
  } else {
    runtime.stdout(`${successor.token}\n`);
  }
  runtime.stderr(`${describeIssued(successor.record, lifetime)}\n`);
  runtime.stderr('the new token is shown only this once: put it in the agent\'s secret store now\n');
  try {
    await store.replace({ ...old, expiresAt: overlapEnd });
  } catch (e) {
    const cause = e instanceof CliError ? e : new CliError(ExitCode.UNEXPECTED, String(e));
    throw new CliError(cause.exitCode,
      `${cause.message}\nthe successor ${successor.record.id} is stored and valid, but ${id} still expires at ${old.expiresAt}; ` +
      `revoke ${id} once the agent uses the new token`, { cause: e });
  }
  runtime.stderr(`${id} now expires at ${overlapEnd}; both tokens work until then, only ${successor.record.id} after\n`);
}

/** The `tokens rotate` command. */
export const tokensRotate: CommandSpec = {
  path: ['tokens', 'rotate'],
  summary: 'issue a successor with the same identity; the old token expires after an overlap',
  description: [
    'Reads the token\'s record, issues a successor with the same agent id, type, role and scopes (checked',
    'against the stage\'s config), stores it without overwriting, prints the new token once on stdout,',
    'then sets the old record\'s expiry to now + --overlap (never later than it was). Both tokens work',
    'during the overlap; only the new one after. Rotate every 90 days (tokens list flags the old ones).',
    '',
    'The token path and key come from the outputs TokenPath and SecretsKeyArn of the deployed stack',
    'McpPerimeter-<stage>-Keys (CloudFormation DescribeStacks), unless --token-path and --key-id are given.',
  ].join('\n'),
  options: {
    ...COMMON_OPTIONS,
    id: { type: 'string', value: 'ID', description: 'the id (tok_…) of the token to rotate; required' },
    overlap: { type: 'string', value: 'DURATION', description: `how long the old token keeps working, 0s to 7d; default ${DEFAULT_OVERLAP}` },
    expires: { type: 'string', value: 'DURATION', description: 'the successor\'s lifetime, 1h to auth.tokenMaxLifetimeDays; default the maximum' },
    'token-path': { type: 'string', value: 'PATH', description: 'SSM path of the records instead of the stack output TokenPath' },
    'key-id': { type: 'string', value: 'KEY', description: 'secrets KMS key (id, ARN or alias) instead of the stack output SecretsKeyArn' },
    ...AWS_OPTIONS,
  },
  examples: ['mcp-perimeter tokens rotate --stage prod --config prod.json --id tok_abcdefghijklmnopqrstuvwxyz --overlap 48h'],
  run,
};
