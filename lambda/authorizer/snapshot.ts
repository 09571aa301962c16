/**
 * A value loaded from AWS and refreshed on a period, with bounded staleness (issue 3, point 5; SEC-3).
 *
 * - No value yet: the first `get()` waits for a load.
 * - Older than `refreshMs`: `get()` waits for a refresh, so a revocation never outlives the period by
 *   more than one load; from `refreshAheadMs` on, a refresh starts in the background so steady traffic
 *   never waits.
 * - A load fails or times out: the last good value serves while it is at most `maxStaleMs` old, and
 *   loads are retried at most every `retryMs`; after that, or with no value at all, `get()` answers
 *   `undefined` and the caller refuses every request. An error never escapes `get()`.
 */

import { ageOf, monotonicNow } from './monotonic';

/** How a snapshot loads and ages. */
export interface SnapshotOptions<T> {
  /** Loads a fresh value; may reject. */
  readonly load: () => Promise<T>;
  /** Period after which `get()` waits for a fresh value. */
  readonly refreshMs: number;
  /** Age from which a background refresh starts. @default 75% of refreshMs */
  readonly refreshAheadMs?: number;
  /** Longest time the last good value serves while loads fail. */
  readonly maxStaleMs: number;
  /** Shortest time between two attempts after a failure. @default min(5000, refreshMs) */
  readonly retryMs?: number;
  /** How long a request waits for a load before it is served the last good value (or refused). @default 3000 */
  readonly timeoutMs?: number;
  /** The clock that ages the value: monotonic milliseconds (issue 15, point 7). @default performance.now */
  readonly now?: () => number;
  /** Told about every failed load (never with secret material: SDK errors carry none). */
  readonly onError?: (error: unknown) => void;
}

/** A periodically refreshed value with bounded staleness. */
export class Snapshot<T> {
  private good: { readonly value: T; readonly loadedAt: number } | undefined;
  private inflight: Promise<void> | undefined;
  private nextAttemptAt = 0;
  private readonly now: () => number;
  private readonly refreshAheadMs: number;
  private readonly retryMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: SnapshotOptions<T>) {
    this.now = options.now ?? monotonicNow;
    this.refreshAheadMs = options.refreshAheadMs ?? Math.floor(options.refreshMs * 0.75);
    this.retryMs = options.retryMs ?? Math.min(5000, options.refreshMs);
    this.timeoutMs = options.timeoutMs ?? 3000;
  }

  /** The current value, refreshed as the rules above say; `undefined` when none may serve. */
  async get(): Promise<T | undefined> {
    const t = this.now();
    const age = this.good ? ageOf(t, this.good.loadedAt) : Infinity;
    if (age >= this.options.refreshMs) {
      if (this.inflight || t >= this.nextAttemptAt) await this.waitForRefresh();
    } else if (age >= this.refreshAheadMs && !this.inflight && t >= this.nextAttemptAt) {
      void this.refresh();
    }
    return this.servable();
  }

  /** When the last good load started, on the snapshot's clock, if any. */
  get loadedAt(): number | undefined {
    return this.good?.loadedAt;
  }

  /** Starts (or joins) a load; resolves when it settles. Never rejects. */
  refresh(): Promise<void> {
    if (!this.inflight) {
      const startedAt = this.now();
      this.inflight = this.options
        .load()
        .then(
          (value) => {
            this.good = { value, loadedAt: startedAt };
            this.nextAttemptAt = 0;
          },
          (error: unknown) => {
            this.nextAttemptAt = this.now() + this.retryMs;
            this.report(error);
          },
        )
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  private async waitForRefresh(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.report(new Error(`load did not finish within ${this.timeoutMs} ms`));
        resolve();
      }, this.timeoutMs);
      timer.unref?.();
    });
    try {
      await Promise.race([this.refresh(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private servable(): T | undefined {
    if (!this.good) return undefined;
    return ageOf(this.now(), this.good.loadedAt) <= this.options.maxStaleMs ? this.good.value : undefined;
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A failing reporter must not turn a served request into an error.
    }
  }
}
