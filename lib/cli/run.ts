/**
 * The CLI's entry point over injected ports: finds the command, parses its flags strictly with
 * node:util parseArgs, runs it, and turns every failure into one stderr line and a documented exit code.
 */
import { parseArgs } from 'node:util';
import type { CommandSpec, FlagValues } from './command';
import { jwtIssue } from './commands/jwt-issue';
import { tokensCreate } from './commands/tokens-create';
import { tokensList } from './commands/tokens-list';
import { tokensRevoke } from './commands/tokens-revoke';
import { tokensMigrate } from './commands/tokens-migrate';
import { tokensRotate } from './commands/tokens-rotate';
import { CliError, ExitCode, type ExitCodeValue } from './errors';
import { commandHelp, groupHelp, PROGRAM, programHelp } from './help';
import type { CliRuntime } from './runtime';

/** Every command, in help order. */
export const COMMANDS: readonly CommandSpec[] = [tokensCreate, tokensList, tokensRevoke, tokensRotate, tokensMigrate, jwtIssue];

const HELP = new Set(['--help', '-h', 'help']);

function parseFlags(command: CommandSpec, args: readonly string[]): FlagValues {
  const options = Object.fromEntries(Object.entries(command.options).map(([name, o]) => [name, { type: o.type }]));
  try {
    return parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values;
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
  await command.run(values, runtime);
  return ExitCode.OK;
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
