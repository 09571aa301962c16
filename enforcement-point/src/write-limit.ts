/**
 * The per-agent write limit of one enforcement point: at most `perMinute` write tool calls in any 60 s
 * window per agent id (a sliding log of call times). This is a defence per task: with N tasks an agent
 * may reach N x the limit. The fleet-wide bound is the WAF rate rule on the API stage
 * (lib/constructs/edge/tool-call-rate-rule.ts), which counts calls of the tools the config names.
 */

const WINDOW_MS = 60_000;

/** The answer of {@link WriteLimit.take}. */
export type WriteLimitAnswer = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/** A sliding-window counter of write tool calls per agent. */
export class WriteLimit {
  private readonly calls = new Map<string, number[]>();
  private lastSweep = 0;

  /**
   * @param perMinute write tool calls allowed per agent in any 60 s (`rateLimits.writesPerCredentialPerMinute`).
   * @param now the clock, epoch milliseconds.
   * @param maxAgents agents tracked at once; beyond it the oldest windows are swept, and if none has
   *   expired the call is refused (fail closed, bounded memory). @default 100000
   */
  constructor(private readonly perMinute: number, private readonly now: () => number = Date.now, private readonly maxAgents = 100_000) {
    if (!Number.isInteger(perMinute) || perMinute < 1) throw new Error(`perMinute must be a positive integer, got ${perMinute}`);
  }

  /** Counts `count` write calls of `agentId` if they all fit in the window; otherwise counts none. */
  take(agentId: string, count = 1): WriteLimitAnswer {
    const now = this.now();
    if (now - this.lastSweep > WINDOW_MS) this.sweep(now);
    let log = this.calls.get(agentId);
    if (!log) {
      if (this.calls.size >= this.maxAgents) this.sweep(now);
      if (this.calls.size >= this.maxAgents) return { ok: false, retryAfterSeconds: 60 };
      log = [];
      this.calls.set(agentId, log);
    }
    while (log.length > 0 && log[0] <= now - WINDOW_MS) log.shift();
    if (log.length + count > this.perMinute) {
      const oldest = log[Math.max(0, log.length + count - this.perMinute - 1)] ?? now;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) };
    }
    for (let i = 0; i < count; i++) log.push(now);
    return { ok: true };
  }

  /** Forgets agents whose every counted call has left the window. */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [agent, log] of this.calls) {
      if (log.length === 0 || log[log.length - 1] <= now - WINDOW_MS) this.calls.delete(agent);
    }
  }
}
