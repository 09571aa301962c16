/**
 * The CLI's entry point over injected ports: finds the command, parses its flags strictly with
 * node:util parseArgs, runs it, and turns every failure into one stderr line and a documented exit code.
 */
import { parseArgs } from 'node:util';
import { type CommandSpec, type FlagValues, stringFlag } from './command';
import { jwtIssue } from './commands/jwt-issue';
import { tokensCreate } from './commands/tokens-create';
import { tokensList } from './commands/tokens-list';
import { tokensRevoke } from './commands/tokens-revoke';
import { tokensMigrate } from './commands/tokens-migrate';
import { tokensRotate } from './commands/tokens-rotate';
import { CliError, ExitCode, type ExitCodeValue } from './errors';
import { commandHelp, groupHelp, PROGRAM, programHelp } from './help';
import type { CliRuntime } from './runtime';
import { checkTokenPathStage } from './stage-outputs';

/** Every command, in help order. */
export const COMMANDS: readonly CommandSpec[] = [tokensCreate, tokensList, tokensRevoke, tokensRotate, tokensMigrate, jwtIssue];

const HELP = new Set(['--help', '-h', 'help']);

/**
 * `--expires -5d` as `--expires=-5d`: parseArgs refuses a string flag's value that starts with `-` as
 * ambiguous, which would make a negative duration a usage error (2) instead of a bad duration (7).
 */
function joinDashValues(command: CommandSpec, args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : undefined;
    const next = args[i + 1];
    if (name !== undefined && command.options[name]?.type === 'string' && next !== undefined && /^-[^-]/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

function parseFlags(command: CommandSpec, args: readonly string[]): FlagValues {
  const options = Object.fromEntries(Object.entries(command.options).map(([name, o]) => [name, { type: o.type }]));
  try {
    const { values, tokens } = parseArgs({
      args: joinDashValues(command, args),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
    // every flag takes one value: a second one is refused rather than silently replacing the first
    const seen = new Set<string>();
    for (const token of tokens) {
      if (token.kind !== 'option') continue;
      if (seen.has(token.name)) {
        throw new CliError(ExitCode.USAGE, `--${token.name} is given more than once: give it once; see ${PROGRAM} ${command.path.join(' ')} --help`);
      }
      seen.add(token.name);
    }
    return values;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS')) {
      throw new CliError(ExitCode.USAGE, `${(e as Error).message.split('\n')[0]}; see ${PROGRAM} ${command.path.join(' ')} --help`);
    }
    throw e;
  }
}

async function dispatch(argv: readonly string[], runtime: CliRuntime): Promise<ExitCodeValue> {
  const [group, name] = argv;
  if (group === undefined) {
    runtime.stderr(programHelp(COMMANDS));
    return ExitCode.USAGE;
  }
  if (HELP.has(group)) {
    runtime.stdout(programHelp(COMMANDS));
    return ExitCode.OK;
  }
  const groups = [...new Set(COMMANDS.map((c) => c.path[0]))];
  if (!groups.includes(group)) {
    throw new CliError(ExitCode.USAGE, `unknown command '${group}': use one of ${groups.join(', ')} (see ${PROGRAM} --help)`);
  }
  if (name === undefined || HELP.has(name)) {
    (name === undefined ? runtime.stderr : runtime.stdout)(groupHelp(group, COMMANDS));
    return name === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  const command = COMMANDS.find((c) => c.path[0] === group && c.path[1] === name);
  if (!command) {
    const names = COMMANDS.filter((c) => c.path[0] === group).map((c) => c.path[1]);
    throw new CliError(ExitCode.USAGE, `unknown command '${group} ${name}': use one of ${names.map((n) => `${group} ${n}`).join(', ')}`);
  }
  const values = parseFlags(command, argv.slice(2));
  if (values.help === true) {
    runtime.stdout(commandHelp(command));
    return ExitCode.OK;
  }
  const stage = stringFlag(values, 'stage');
  const tokenPath = stringFlag(values, 'token-path');
  if (stage !== undefined && tokenPath !== undefined) checkTokenPathStage(tokenPath, stage.trim());
  try {
    await command.run(values, runtime);
  } catch (e) {
    throw withProfile(e, stringFlag(values, 'profile'));
  }
  return ExitCode.OK;
}

/** A credentials failure under `--profile NAME` names the profile (the SDK's message does not). */
function withProfile(error: unknown, profile: string | undefined): unknown {
  if (!(error instanceof CliError) || error.exitCode !== ExitCode.NO_CREDENTIALS || profile === undefined) return error;
  return new CliError(error.exitCode, `${error.message} (with --profile '${profile}': is it in ~/.aws/config or ~/.aws/credentials, and signed in?)`, { cause: error });
}

/**
 * Runs the CLI with `argv` (without node and the script) and returns the exit code. Never throws:
 * failures become `error: …` on stderr.
 */
export async function runCli(argv: readonly string[], runtime: CliRuntime): Promise<ExitCodeValue> {
  try {
    return await dispatch(argv, runtime);
  } catch (e) {
    if (e instanceof CliError) {
      runtime.stderr(`error: ${e.message}\n`);
      return e.exitCode;
    }
    runtime.stderr(`error: unexpected failure: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return ExitCode.UNEXPECTED;
  }
}
