/** `--help` texts, generated from the command specs and the exit code table so they cannot drift. */
import type { CommandSpec } from './command';
import { EXIT_CODE_HELP } from './errors';

/** The program's name as operators type it. */
export const PROGRAM = 'mcp-perimeter';

function exitCodes(): string {
  return ['Exit codes:', ...EXIT_CODE_HELP.map(([code, meaning]) => `  ${String(code).padStart(2)}  ${meaning}`)].join('\n');
}

const SOURCES = [
  'Where values come from:',
  '  --config FILE (or --preset NAME): roles, scopes, token prefix, lifetimes, JWT issuer/audience.',
  '  Token table and signing key: the outputs TokenTableName, SigningKeyArn, JwtIssuer and JwtAudience',
  '  of the deployed stack McpPerimeter-<stage>-Keys (CloudFormation DescribeStacks), unless given',
  '  with --token-table, --signing-key-id (then CloudFormation is not called).',
  '  The SSM token path of version-1 records is /mcp-perimeter/<stage>/tokens unless --token-path.',
  '  AWS credentials and region: --profile, --region, then the standard SDK chain (AWS_PROFILE,',
  '  AWS_REGION, SSO, instance and container roles). Throttled calls are retried with backoff.',
].join('\n');

/** The top-level help: commands, common flags, exit codes. */
export function programHelp(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  return [
    `${PROGRAM}: operators' CLI for the perimeter's tokens and JWTs`,
    '',
    `Usage: ${PROGRAM} <command> --stage STAGE [flags]`,
    `       ${PROGRAM} <command> --help`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Tokens are printed once, on stdout; everything else goes to stderr. --json gives JSON on stdout.',
    '',
    SOURCES,
    '',
    exitCodes(),
    '',
  ].join('\n');
}

/** A group's help (`mcp-perimeter tokens --help`). */
export function groupHelp(group: string, commands: readonly CommandSpec[]): string {
  const mine = commands.filter((c) => c.path[0] === group);
  const width = Math.max(...mine.map((c) => c.path[1].length));
  return [
    `Usage: ${PROGRAM} ${group} <command> --stage STAGE [flags]`,
    '',
    'Commands:',
    ...mine.map((c) => `  ${c.path[1].padEnd(width)}  ${c.summary}`),
    '',
    `Run ${PROGRAM} ${group} <command> --help for its flags.`,
    '',
  ].join('\n');
}

/** One command's help: usage, description, flags, examples, exit codes. */
export function commandHelp(command: CommandSpec): string {
  const flags = Object.entries(command.options).map(([name, o]) => {
    const left = o.type === 'string' ? `--${name} ${o.value ?? 'VALUE'}` : `--${name}`;
    return [left, o.description] as const;
  });
  const width = Math.max(...flags.map(([left]) => left.length));
  return [
    `${PROGRAM} ${command.path.join(' ')}: ${command.summary}`,
    '',
    `Usage: ${PROGRAM} ${command.path.join(' ')} [flags]`,
    '',
    command.description,
    '',
    'Flags:',
    ...flags.map(([left, description]) => `  ${left.padEnd(width)}  ${description}`),
    '',
    'Examples:',
    ...command.examples.map((e) => `  ${e}`),
    '',
    exitCodes(),
    '',
  ].join('\n');
}
