/**
 * Durations on the command line: `90d`, `24h`, `30m`, `45s`, or a sum like `1d12h`. Parsed to whole
 * seconds and checked against a range, with errors that name the flag, the value and what is allowed.
 */
import { CliError, ExitCode } from './errors';

const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
const DURATION = /^(?:\d+[dhms])+$/;
const PART = /(\d+)([dhms])/g;

/** The range a duration flag accepts, in seconds. */
export interface DurationBounds {
  /** Shortest accepted value. @default 1 */
  readonly minSeconds?: number;
  /** Longest accepted value. */
  readonly maxSeconds: number;
}

/** `86400` → `1d`, `5400` → `1h30m`: the shortest spelling of a whole number of seconds. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  let rest = seconds;
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/**
 * Parses `text` (the value of `flag`) to seconds within `bounds`.
 * @throws CliError with exit code BAD_DURATION naming the flag, the value and the allowed range.
 */
export function parseDuration(flag: string, text: string, bounds: DurationBounds): number {
  const minSeconds = bounds.minSeconds ?? 1;
  const value = text.trim().toLowerCase();
  if (!DURATION.test(value)) {
    throw new CliError(ExitCode.BAD_DURATION,
      `${flag} must be a duration like 90d, 24h, 30m, 45s or 1d12h, got '${text}'`);
  }
  let seconds = 0;
  for (const [, n, unit] of value.matchAll(PART)) {
    seconds += Number(n) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS];
  }
  if (!Number.isSafeInteger(seconds) || seconds < minSeconds || seconds > bounds.maxSeconds) {
    throw new CliError(ExitCode.BAD_DURATION,
      `${flag} must be from ${formatDuration(minSeconds)} to ${formatDuration(bounds.maxSeconds)}, got '${text}'`);
  }
  return seconds;
}
