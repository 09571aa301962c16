/**
 * The stage's config as the CLI needs it: roles, scopes, token prefix, lifetimes and JWT settings,
 * from `--config` / `--preset` through lib/config's `loadConfig`, and the checks of a requested role
 * and scopes against it (deny by default, RBAC-4).
 */
import { ConfigError, loadConfig, type PerimeterConfig } from '../config';
import { CliError, ExitCode } from './errors';

/** Where the config comes from. */
export interface StageConfigSource {
  /** The stage the command acts on (`--stage`). */
  readonly stage: string;
  /** A JSON config file (`--config`). @default - the embedded default config */
  readonly file?: string;
  /** A preset's name (`--preset`), one of lib/config's `presetNames()`. @default - none */
  readonly preset?: string;
}

/**
 * Loads and validates the config for `source.stage`: the embedded default, the preset (lib/config's
 * named presets), then the file. A file must be the config of that stage; without a file (the embedded
 * default, or a preset alone, neither of which names a stage) the config applies to the named stage.
 * @throws CliError CONFIG for an invalid file, an unknown preset or a config of another stage.
 */
export function loadStageConfig(source: StageConfigSource): PerimeterConfig {
  let config: PerimeterConfig;
  try {
    config = loadConfig({ file: source.file, preset: source.preset });
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(ExitCode.CONFIG, e.message, { cause: e });
    throw e;
  }
  if (source.file === undefined) return { ...config, stage: source.stage };
  if (config.stage !== source.stage) {
    throw new CliError(ExitCode.CONFIG,
      `--stage is '${source.stage}' but ${source.file} is the config of stage '${config.stage}'; pass the config of stage '${source.stage}'`);
  }
  return config;
}

/**
 * Checks a role and scopes against the config's `rbac.roles` and `rbac.scopes`.
 * @throws CliError UNKNOWN_ROLE_OR_SCOPE naming the value and the allowed ones.
 */
export function checkRoleAndScopes(config: PerimeterConfig, role: string, scopes: readonly string[]): void {
  const roles = Object.keys(config.rbac.roles);
  if (!roles.includes(role)) {
    throw new CliError(ExitCode.UNKNOWN_ROLE_OR_SCOPE, `--role '${role}' is not a role of stage '${config.stage}': use one of ${roles.join(', ')}`);
  }
  if (scopes.length === 0) return;
  const known = Object.keys(config.rbac.scopes ?? {});
  if (known.length === 0) {
    throw new CliError(ExitCode.UNKNOWN_ROLE_OR_SCOPE,
      `--scopes '${scopes.join(',')}' given but stage '${config.stage}' defines no scopes (rbac.scopes); drop --scopes or add them to the config`);
  }
  const unknown = scopes.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    throw new CliError(ExitCode.UNKNOWN_ROLE_OR_SCOPE,
      `--scopes has ${unknown.map((s) => `'${s}'`).join(', ')}, not defined for stage '${config.stage}': use some of ${known.join(', ')}`);
  }
}

/** Splits `--scopes a,b` into `['a', 'b']`, dropping empties and duplicates. */
export function parseScopes(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s.length > 0))];
}
