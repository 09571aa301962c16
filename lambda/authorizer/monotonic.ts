/**
 * The clock that ages caches and snapshots (issue 15, point 7): milliseconds on a monotonic clock
 * (`performance.now()`, from process start), which NTP corrections and manual wall-clock steps do not
 * move. Wall-clock time (`Date.now()`) is used only where a wall-clock instant is meant: a token's
 * `expiresAt`, a JWT's `exp`/`iat`, an audit line's timestamp.
 */
import { performance } from 'node:perf_hooks';

/** Milliseconds on a monotonic clock; only differences are meaningful. */
export type MonotonicClock = () => number;

/** The process's monotonic clock. */
export const monotonicNow: MonotonicClock = () => performance.now();

/**
 * The age of something stamped at `stampedAt` on the same clock, or Infinity when the clock reads
 * earlier than the stamp (an injected clock that stepped back): a step backwards makes a cached value
 * older than any bound, never younger, so it cannot extend a revoked token's life.
 */
export function ageOf(now: number, stampedAt: number): number {
  const age = now - stampedAt;
  return age >= 0 ? age : Infinity;
}
