/**
 * The shape of a CLI command: its flags (parsed with node:util parseArgs, strict), its help text and a
 * `run` over the injected runtime. Commands live in lib/cli/commands/, one per file.
 */
import type { PerimeterConfig } from '../config';
import { presetNames } from '../config/presets';
import type { AwsClients } from './aws-clients';
import { CliError, ExitCode } from './errors';
import type { CliRuntime } from './runtime';
import { loadStageConfig } from './stage-config';

/** One flag of a command. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** The value's placeholder in help, e.g. `ID`. @default 'VALUE' */
  readonly value?: string;
  /** One line of help. */
  readonly description: string;
}

/** Parsed flag values, by long name. */
export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

/** One command, e.g. `tokens create`. */
export interface CommandSpec {
  /** `['tokens', 'create']`. */
  readonly path: readonly [string, string];
  /** One line for the command list. */
  readonly summary: string;
  /** Paragraphs for `--help`: what it does, where values come from. */
  readonly description: string;
  /** The command's own flags (the common ones are added). */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Example command lines. */
  readonly examples: readonly string[];
  /** Runs the command; throws CliError for every failure a person can act on. */
  run(values: FlagValues, runtime: CliRuntime): Promise<void>;
}

/** Flags every command accepts. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  stage: { type: 'string', value: 'STAGE', description: 'the stage (environment) to act on; required' },
  config: { type: 'string', value: 'FILE', description: "the stage's config JSON (roles, scopes, token prefix, lifetimes); default: the embedded default" },
  preset: { type: 'string', value: 'NAME', description: `a seed preset (${presetNames().join(', ')}), merged under --config` },
  json: { type: 'boolean', description: 'machine-readable JSON on stdout' },
  help: { type: 'boolean', description: 'show this help' },
};

/** Flags of commands that call AWS: the standard credential and region chain. */
export const AWS_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  region: { type: 'string', value: 'REGION', description: 'AWS region; default: AWS_REGION, then the profile' },
  profile: { type: 'string', value: 'NAME', description: 'named AWS profile; default: AWS_PROFILE, then default' },
};

/** A string flag's value, or undefined. */
export function stringFlag(values: FlagValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A required string flag. @throws CliError USAGE naming the flag. */
export function requiredFlag(values: FlagValues, name: string, hint: string): string {
  const value = stringFlag(values, name);
  if (value === undefined || value.trim() === '') throw new CliError(ExitCode.USAGE, `--${name} is required: ${hint}`);
  return value.trim();
}

/** A value checked against a pattern. @throws CliError USAGE naming the flag, the value and what is allowed. */
export function checkedFlag(name: string, value: string, pattern: RegExp, allowed: string): string {
  if (!pattern.test(value)) throw new CliError(ExitCode.USAGE, `--${name} ${allowed}, got '${value}'`);
  return value;
}

/** The stage a command acts on, its config, and lazily built AWS clients. */
export interface StageSession {
  readonly stage: string;
  readonly config: PerimeterConfig;
  readonly json: boolean;
  /** The AWS clients, built on first use (offline commands never build them). */
  readonly aws: () => AwsClients;
}

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;

/** Reads the common flags: stage, config, preset, json, region, profile. */
export function openStage(values: FlagValues, runtime: CliRuntime): StageSession {
  const stage = checkedFlag('stage', requiredFlag(values, 'stage', 'name the stage, e.g. --stage dev'), STAGE,
    'must be 1-20 lowercase letters, digits or -, starting with a letter');
  const config = loadStageConfig({ stage, file: stringFlag(values, 'config'), preset: stringFlag(values, 'preset') });
  let clients: AwsClients | undefined;
  return {
    stage,
    config,
    json: values.json === true,
    aws: () => (clients ??= runtime.awsClients({ region: stringFlag(values, 'region'), profile: stringFlag(values, 'profile') })),
  };
}

/** Writes a value as JSON (indented, newline-terminated) on stdout. */
export function writeJson(runtime: CliRuntime, value: unknown): void {
  runtime.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
