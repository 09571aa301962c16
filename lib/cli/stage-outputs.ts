/**
 * Where a stage's token records and keys are: the outputs of the deployed stack
 * `McpPerimeter-<stage>-Keys` (CloudFormation DescribeStacks), each replaceable by a flag. When every
 * value a command needs comes from flags, CloudFormation is not called.
 */
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { awsCall, CliError, ExitCode } from './errors';

/** The outputs of the Keys stack the CLI reads, and the flag that replaces each. */
export const STAGE_OUTPUTS = {
  tokenPath: { output: 'TokenPath', flag: '--token-path' },
  tokenTable: { output: 'TokenTableName', flag: '--token-table' },
  secretsKeyId: { output: 'SecretsKeyArn', flag: '--key-id' },
  signingKeyId: { output: 'SigningKeyArn', flag: '--signing-key-id' },
  jwtIssuer: { output: 'JwtIssuer', flag: undefined },
  jwtAudience: { output: 'JwtAudience', flag: undefined },
} as const;

/** A value the CLI can read from the Keys stack. */
export type StageOutputName = keyof typeof STAGE_OUTPUTS;

/** The resolved values, by name. */
export type StageOutputs<K extends StageOutputName> = { readonly [P in K]: string };

/** The Keys stack's name for a stage. */
export function keysStackName(stage: string): string {
  return `McpPerimeter-${stage}-Keys`;
}

/** The token path layout the stacks use: `/mcp-perimeter/<stage>/tokens`. */
export function defaultTokenPath(stage: string): string {
  return `/mcp-perimeter/${stage}/tokens`;
}

const TOKEN_PATH = /^(\/[A-Za-z0-9_.-]+)+$/;

/** Checks a `--token-path` value: an absolute SSM path without a trailing slash. */
export function checkTokenPath(path: string): string {
  if (!TOKEN_PATH.test(path)) {
    throw new CliError(ExitCode.USAGE,
      `--token-path must be an absolute SSM path like /mcp-perimeter/dev/tokens (letters, digits, _ . -; no trailing /), got '${path}'`);
  }
  return path;
}

const KIT_TOKEN_PATH = /^\/mcp-perimeter\/([^/]+)\/tokens$/;

/**
 * Checks that a `--token-path` in the kit's layout (`/mcp-perimeter/<stage>/tokens`) is the `--stage`'s
 * own: acting on one stage with another stage's records would issue or revoke the wrong tokens. A path
 * outside the layout names no stage and is left to the stack outputs' owner.
 * @throws CliError USAGE naming both stages.
 */
export function checkTokenPathStage(path: string, stage: string): void {
  const other = KIT_TOKEN_PATH.exec(path)?.[1];
  if (other !== undefined && other !== stage) {
    throw new CliError(ExitCode.USAGE,
      `--token-path ${path} holds the records of stage '${other}', not of --stage ${stage}: use ${defaultTokenPath(stage)} or --stage ${other}`);
  }
}

/**
 * Resolves `wanted` values for `stage`: flags first (`overrides`), the rest from the Keys stack's outputs.
 * @throws CliError NOT_FOUND for an unknown stage or a missing output (naming the flag to pass instead).
 */
export async function resolveStageOutputs<K extends StageOutputName>(
  cloudFormation: () => CloudFormationClient,
  stage: string,
  wanted: readonly K[],
  overrides: Partial<Record<StageOutputName, string>>,
): Promise<StageOutputs<K>> {
  const resolved: Partial<Record<StageOutputName, string>> = {};
  const missing: K[] = [];
  for (const name of wanted) {
    const value = overrides[name];
    if (value !== undefined) resolved[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) {
    const stackName = keysStackName(stage);
    const response = await awsCall(
      {
        action: `reading the outputs of stack ${stackName}`,
        notFound: `unknown stage '${stage}': stack ${stackName} is not deployed in this account and region (check --stage, --region, --profile)`,
      },
      () => cloudFormation().send(new DescribeStacksCommand({ StackName: stackName })),
    );
    const outputs = new Map((response.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    for (const name of missing) {
      const { output, flag } = STAGE_OUTPUTS[name];
      const value = outputs.get(output);
      if (!value) {
        const instead = flag ? `; pass ${flag} instead` : '';
        throw new CliError(ExitCode.NOT_FOUND, `stack ${stackName} has no output ${output}${instead}`);
      }
      resolved[name] = value;
    }
  }
  return resolved as StageOutputs<K>;
}
