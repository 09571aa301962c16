/** `tokens revoke`: delete a token's record; the authorizer refuses the token within a bounded time (SEC-3). */
import { TOKEN_ID_PATTERN } from '../../../lambda/authorizer/token-record';
import type { PerimeterConfig } from '../../config';
import { AWS_OPTIONS, checkedFlag, COMMON_OPTIONS, type CommandSpec, type FlagValues, openStage, requiredFlag, stringFlag, writeJson } from '../command';
import type { CliRuntime } from '../runtime';
import { checkTokenPath, resolveStageOutputs } from '../stage-outputs';
import { TokenStore } from '../token-store';

/** The longest a revoked token can still be accepted: one snapshot refresh plus the gateway's cache TTL. */
export function revocationDelaySeconds(config: PerimeterConfig): number {
  return config.auth.refreshSeconds + config.auth.cacheTtlSeconds;
}

async function run(values: FlagValues, runtime: CliRuntime): Promise<void> {
  const session = openStage(values, runtime);
  const id = checkedFlag('id', requiredFlag(values, 'id', 'the token id from tokens list, e.g. --id tok_…'), TOKEN_ID_PATTERN,
    'must be a token id: tok_ followed by 26 base32 characters (see tokens list)');
  const pathFlag = stringFlag(values, 'token-path');
  const outputs = await resolveStageOutputs(() => session.aws().cloudFormation, session.stage, ['tokenPath'], {
    tokenPath: pathFlag === undefined ? undefined : checkTokenPath(pathFlag),
  });
  const store = new TokenStore(session.aws().ssm, outputs.tokenPath);
  await store.delete(id);
  const delay = revocationDelaySeconds(session.config);
  if (session.json) writeJson(runtime, { revoked: id, parameterName: store.parameterName(id), refusedWithinSeconds: delay });
  runtime.stderr(`revoked ${id}: deleted ${store.parameterName(id)}; the authorizer refuses it within ${delay} s ` +
    '(auth.refreshSeconds + auth.cacheTtlSeconds)\n');
}

/** The `tokens revoke` command. */
export const tokensRevoke: CommandSpec = {
  path: ['tokens', 'revoke'],
  summary: 'revoke a token by deleting its record',
  description: [
    'Deletes the token\'s record. The authorizer stops accepting the token once its snapshot refreshes',
    'and the gateway\'s authorizer cache expires: within auth.refreshSeconds + auth.cacheTtlSeconds.',
    '',
    'The token path comes from the output TokenPath of the deployed stack McpPerimeter-<stage>-Keys',
    '(CloudFormation DescribeStacks), unless --token-path is given.',
  ].join('\n'),
  options: {
    ...COMMON_OPTIONS,
    id: { type: 'string', value: 'ID', description: 'the token id (tok_…), from tokens list; required' },
    'token-path': { type: 'string', value: 'PATH', description: 'SSM path of the records instead of the stack output TokenPath' },
    ...AWS_OPTIONS,
  },
  examples: ['mcp-perimeter tokens revoke --stage prod --config prod.json --id tok_abcdefghijklmnopqrstuvwxyz'],
  run,
};
