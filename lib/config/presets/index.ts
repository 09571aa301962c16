/**
 * The presets: one per seed system of `docs/seeds/`, chosen with `-c preset=<name>` (cdk) or
 * `--preset <name>` (CLI) and merged by `loadConfig({ preset })` under the user's config file.
 */
import { DEVELOPER_MESH } from './developer-mesh';
import { DOCKER_MCP } from './docker-mcp';
import { DOCRUNCH } from './docrunch';
import { MCP_TYPESCRIPT } from './mcp-typescript';
import type { Preset } from './preset';
import { SHARED_CONTEXT } from './shared-context';

export type { Preset, PresetLayer, SeedClaim } from './preset';
export { DEVELOPER_MESH, DOCKER_MCP, DOCRUNCH, MCP_TYPESCRIPT, SHARED_CONTEXT };

/** Every preset by name, in seed order. */
export const PRESETS: Readonly<Record<string, Preset>> = Object.freeze(
  Object.fromEntries([DOCRUNCH, SHARED_CONTEXT, MCP_TYPESCRIPT, DEVELOPER_MESH, DOCKER_MCP].map((p) => [p.name, p])),
);

/** The preset names, in seed order. */
export function presetNames(): string[] {
  return Object.keys(PRESETS);
}

/** The preset called `name`, or undefined (never an `Object.prototype` member). */
export function findPreset(name: string): Preset | undefined {
  return Object.prototype.hasOwnProperty.call(PRESETS, name) ? PRESETS[name] : undefined;
}
