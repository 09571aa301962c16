/**
 * Loading the config: the embedded default, then a preset's layer, then the user's file, merged and
 * validated once.
 *
 * Merging is a deep merge (objects key by key; arrays and scalars replaced; an object whose `kind`
 * discriminator changes is replaced whole). Over a preset, "the user's config wins where it is
 * stricter; a preset never weakens the hardening": the values a preset sets are floors of strictness,
 * and a config file may tighten them but not loosen them. The rules, one per field ({@link STRICTNESS_RULES}):
 *
 * | field | stricter is |
 * | --- | --- |
 * | rate limits (`rateLimits.*`), body and credential size (`limits.*`) | smaller |
 * | token lifetime, refresh, staleness, cache TTL (`auth.tokenMaxLifetimeDays`, `auth.refreshSeconds`, `auth.maxStaleSeconds`, `auth.cacheTtlSeconds`) | smaller |
 * | JWT lifetime and clock skew (`auth.jwt.maxLifetimeSeconds`, `auth.jwt.clockSkewSeconds`) | smaller |
 * | alarm threshold (`audit.authFailureThreshold`) | smaller |
 * | shortest token (`auth.minTokenLength`) | larger |
 * | log retention (`audit.logRetentionDays`, `audit.accessLogBucketDays`) | larger |
 * | read-only switch (`auth.readOnly`) | true (OR) |
 * | credential headers, JWT algorithms (`auth.credentialHeaders`, `auth.jwt.algorithms`) | a subset of the preset's |
 * | write permissions (`rbac.writePermissions`) | a superset of the preset's (read-only mode keeps covering them) |
 * | role permissions (`rbac.roles.<role>`) | for each preset role, a subset of its permissions |
 *
 * A looser value is an error (ConfigError naming the field, the preset's value, the value received and
 * what is allowed), never silently dropped: the deployed config is the one the file says. Fields a
 * preset does not set behave as without a preset. The hardening floors that hold with or without a
 * preset (retention of 90 days or more, JWTs of 24 h at most, tokens of 32 characters or more, no `*`
 * CORS origin…) are the schema's.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_CONFIG } from './defaults';
import { findPreset, presetNames, type PresetLayer } from './presets';
import { PerimeterConfig, PerimeterConfigSchema } from './schema';

/** A config that cannot be used: the message names every bad field and what is allowed. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Json = unknown;

function isPlainObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep merge: objects merge key by key, anything else (arrays included) is replaced by the overlay, and
 * so is an object whose `kind` differs from the base's (a registry image over a directory image).
 */
export function mergeConfig(base: Json, overlay: Json): Json {
  if (overlay === undefined) return base;
  if (isPlainObject(base) && isPlainObject(overlay)) {
    if ('kind' in overlay && base.kind !== overlay.kind) return overlay;
    const out: Record<string, Json> = { ...base };
    for (const [k, v] of Object.entries(overlay)) out[k] = mergeConfig(base[k], v);
    return out;
  }
  return overlay;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (!isPlainObject(v) && !Array.isArray(v)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Formats zod issues as lines `<field>: <what is allowed>, got <value>`. */
export function formatIssues(error: z.ZodError, input: unknown, source: string): string {
  const lines = error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}: check the spelling against README's config reference`;
      return `  - ${field}: ${message}`;
    }
    return `  - ${field}: ${message}, got ${describe(valueAt(input, issue.path))}`;
  });
  return `invalid mcp-perimeter config (${source}):\n${lines.join('\n')}`;
}

/** Validates a merged config object. @throws ConfigError naming each bad field. */
export function parseConfig(input: unknown, source = 'config'): PerimeterConfig {
  const result = PerimeterConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(formatIssues(result.error, input, source));
  return result.data;
}

/** Where {@link loadConfig} takes the config from. */
export interface LoadConfigOptions {
  /** A JSON config file merged over the preset and the embedded default. @default - none */
  readonly file?: string;
  /**
   * A preset: its name (one of `presetNames()`), merged over the default and under the file. A config
   * layer object is also accepted (the form before named presets), under the same strictness rules.
   * @default - none
   */
  readonly preset?: string | PresetLayer;
  /** The name of a preset given as an object, for messages. @default - 'preset' */
  readonly presetName?: string;
}

/** What a stricter value is, for one field a preset sets. */
export type Strictness = 'smaller' | 'larger' | 'true' | 'subset' | 'superset' | 'role-subsets';

/** One strictness rule: a config file may move the field only toward `stricter`. */
export interface StrictnessRule {
  /** The field, dotted, like `rateLimits.perIpPerMinute`. */
  readonly path: string;
  /** Which direction is stricter. */
  readonly stricter: Strictness;
}

/** The strictness rules between a preset and the user's file (see the module's doc comment). */
export const STRICTNESS_RULES: readonly StrictnessRule[] = [
  ...['rateLimits.perIpPerMinute', 'rateLimits.unauthenticatedPerIpPerMinute', 'rateLimits.perCredentialPerMinute', 'rateLimits.writesPerCredentialPerMinute',
    'rateLimits.stageRatePerSecond', 'rateLimits.stageBurst', 'limits.maxBodyBytes', 'limits.maxCredentialBytes',
    'auth.tokenMaxLifetimeDays', 'auth.refreshSeconds', 'auth.maxStaleSeconds', 'auth.cacheTtlSeconds',
    'auth.jwt.maxLifetimeSeconds', 'auth.jwt.clockSkewSeconds', 'audit.authFailureThreshold',
  ].map((path) => ({ path, stricter: 'smaller' as const })),
  ...['auth.minTokenLength', 'audit.logRetentionDays', 'audit.accessLogBucketDays'].map((path) => ({ path, stricter: 'larger' as const })),
  { path: 'auth.readOnly', stricter: 'true' },
  { path: 'auth.credentialHeaders', stricter: 'subset' },
  { path: 'auth.jwt.algorithms', stricter: 'subset' },
  { path: 'rbac.writePermissions', stricter: 'superset' },
  { path: 'rbac.roles', stricter: 'role-subsets' },
];

const ALLOWED: Record<Strictness, (preset: string) => string> = {
  smaller: (p) => `${p} or less`,
  larger: (p) => `${p} or more`,
  true: () => 'true',
  subset: (p) => `some of ${p}`,
  superset: (p) => `all of ${p}, and more if you like`,
  'role-subsets': () => '',
};

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** Why `value` is looser than `floor` under `stricter`, or undefined when it is as strict or stricter. */
function loosening(stricter: Strictness, floor: unknown, value: unknown): string | undefined {
  switch (stricter) {
    case 'smaller':
      return typeof value === 'number' && typeof floor === 'number' && value > floor ? ALLOWED.smaller(String(floor)) : undefined;
    case 'larger':
      return typeof value === 'number' && typeof floor === 'number' && value < floor ? ALLOWED.larger(String(floor)) : undefined;
    case 'true':
      return floor === true && value !== true ? ALLOWED.true('') : undefined;
    case 'subset': {
      const allowed = list(floor);
      return list(value).some((v) => !allowed.includes(v)) ? ALLOWED.subset(allowed.join(', ')) : undefined;
    }
    case 'superset': {
      const given = list(value);
      return list(floor).some((v) => !given.includes(v)) ? ALLOWED.superset(list(floor).join(', ')) : undefined;
    }
    case 'role-subsets':
      return undefined;
  }
}

/**
 * The fields where `file` loosens what `preset` sets, as lines `<field>: …`. Empty when the file keeps
 * or tightens every value the preset sets.
 */
export function presetLoosenings(preset: Json, file: Json, presetName: string, fileName: string): string[] {
  const problems: string[] = [];
  const report = (path: string, floor: unknown, value: unknown, allowed: string) => problems.push(
    `  - ${path}: preset '${presetName}' sets ${describe(floor)} and a config file may only tighten it (${allowed}), got ${describe(value)} from ${fileName}`);
  for (const rule of STRICTNESS_RULES) {
    const keys = rule.path.split('.');
    const floor = valueAt(preset, keys);
    const value = valueAt(file, keys);
    if (floor === undefined || value === undefined) continue;
    if (rule.stricter === 'role-subsets') {
      if (!isPlainObject(floor) || !isPlainObject(value)) continue;
      for (const [role, permissions] of Object.entries(floor)) {
        const given = value[role];
        if (given === undefined) continue;
        const why = loosening('subset', permissions, given);
        if (why) report(`${rule.path}.${role}`, permissions, given, why);
      }
      continue;
    }
    const why = loosening(rule.stricter, floor, value);
    if (why) report(rule.path, floor, value, why);
  }
  return problems;
}

/**
 * The preset called `name`'s layer.
 * @throws ConfigError naming the allowed presets when there is none of that name.
 */
export function presetLayer(name: string): PresetLayer {
  const preset = findPreset(name);
  if (!preset) throw new ConfigError(`unknown preset '${name}': must be one of ${presetNames().join(', ')}`);
  return preset.layer;
}

/** Reads a JSON config file. @throws ConfigError when it is missing or not JSON. */
export function readConfigFile(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * The embedded default, then the preset, then the file: merged and validated once.
 * @throws ConfigError for an unknown preset, an unreadable file, a file that loosens what the preset
 * sets (see {@link STRICTNESS_RULES}), or an invalid result; the message names each bad field.
 */
export function loadConfig(options: LoadConfigOptions = {}): PerimeterConfig {
  let merged: Json = DEFAULT_CONFIG;
  const sources = ['embedded default'];
  let preset: { name: string; layer: Json } | undefined;
  if (options.preset !== undefined) {
    preset = typeof options.preset === 'string'
      ? { name: options.preset, layer: presetLayer(options.preset) }
      : { name: options.presetName ?? 'preset', layer: options.preset };
    merged = mergeConfig(merged, preset.layer);
    sources.push(`preset ${preset.name}`);
  }
  if (options.file) {
    const file = readConfigFile(options.file);
    if (preset) {
      const problems = presetLoosenings(preset.layer, file, preset.name, options.file);
      if (problems.length > 0) {
        throw new ConfigError(`invalid mcp-perimeter config (${[...sources, options.file].join(' + ')}):\n${problems.join('\n')}`);
      }
    }
    merged = mergeConfig(merged, file);
    sources.push(options.file);
  }
  return parseConfig(merged, sources.join(' + '));
}
