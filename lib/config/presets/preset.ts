/**
 * The shape of a preset: the security model of one seed system (`docs/seeds/`) as a config layer,
 * with the table of the seed document's own claims that the perimeter enforces, each mapped to the
 * checklist items it concerns and to the test that checks it.
 */
import type { PerimeterConfigInput } from '../schema';

/**
 * A preset's config layer: any part of the config but the deployment's own names (stage, account and
 * region, domain and certificates), which only the user's file gives.
 */
export type PresetLayer = Omit<Partial<PerimeterConfigInput>, 'stage' | 'env' | 'domain'>;

/** One claim of a seed document that the perimeter enforces. */
export interface SeedClaim {
  /** `<preset>-<n>`, like `docrunch-1`. */
  readonly id: string;
  /** An exact, short quote from the seed document (a test checks it is verbatim). */
  readonly quote: string;
  /** The checklist items (see `docs/checklist.md`) the claim concerns, like `EDGE-2`. */
  readonly checklist: readonly string[];
  /** The exact name of the test in `test/presets/<preset>.test.ts` that checks the claim. */
  readonly test: string;
}

/** A seed system's security model as a config layer. */
export interface Preset {
  /** The name given to `-c preset=<name>` and `--preset <name>`. */
  readonly name: string;
  /** The seed document's file name in `docs/seeds/`. */
  readonly seed: string;
  /** The seed system's name. */
  readonly system: string;
  /** One sentence: what the preset enforces. */
  readonly summary: string;
  /**
   * The config layer, merged over the embedded default and under the user's file. The values it sets
   * are floors of strictness: a config file can tighten them, never loosen them (see `loadConfig`).
   */
  readonly layer: PresetLayer;
  /** The seed document's claims the perimeter enforces. */
  readonly claims: readonly SeedClaim[];
}
