import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_CONFIG } from './defaults';
import { PerimeterConfig, PerimeterConfigInput, PerimeterConfigSchema } from './schema';

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

/** Deep merge: objects merge key by key, anything else (arrays included) is replaced by the overlay. */
export function mergeConfig(base: Json, overlay: Json): Json {
  if (overlay === undefined) return base;
  if (isPlainObject(base) && isPlainObject(overlay)) {
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

export interface LoadConfigOptions {
  /** A JSON config file merged over the preset and the embedded default. @default - none */
  readonly file?: string;
  /** A preset's config layer, merged over the default and under the file. @default - none */
  readonly preset?: PerimeterConfigInput;
  /** The preset's name, for error messages. @default - none */
  readonly presetName?: string;
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

/** The embedded default, then the preset, then the file: merged and validated once. */
export function loadConfig(options: LoadConfigOptions = {}): PerimeterConfig {
  let merged: Json = DEFAULT_CONFIG;
  const sources = ['embedded default'];
  if (options.preset) {
    merged = mergeConfig(merged, options.preset);
    sources.push(`preset ${options.presetName ?? ''}`.trim());
  }
  if (options.file) {
    merged = mergeConfig(merged, readConfigFile(options.file));
    sources.push(options.file);
  }
  return parseConfig(merged, sources.join(' + '));
}
