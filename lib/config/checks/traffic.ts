/**
 * Config checks for real MCP traffic (issue 13): browser origins and session state. Called once from the
 * schema's superRefine; each problem is one issue naming the field, the value and what is allowed.
 */
import type { z } from 'zod';

/** The parts of the parsed config these checks read. */
export interface TrafficConfig {
  readonly service: { readonly desiredCount: number; readonly maxCount: number; readonly sessions: 'stateless' | 'stateful'; readonly sessionSharingReason?: string };
  readonly cors: { readonly allowedOrigins: readonly string[] };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether `origin` may be a CORS origin: `https://`, or `http://` on a loopback host (local development only). */
export function corsOriginAllowed(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

/** Adds an issue to `ctx` for each traffic rule `config` breaks. */
export function checkTraffic(config: TrafficConfig, ctx: z.RefinementCtx): void {
  config.cors.allowedOrigins.forEach((origin, i) => {
    if (!corsOriginAllowed(origin)) {
      ctx.addIssue({ code: 'custom', path: ['cors', 'allowedOrigins', i], message: `must be an https:// origin (http:// only for localhost, 127.0.0.1 or [::1]), got ${origin}` });
    }
  });
  const { service } = config;
  if (service.sessions === 'stateful' && service.sessionSharingReason === undefined) {
    for (const field of ['desiredCount', 'maxCount'] as const) {
      if (service[field] > 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['service', field],
          message: `must be 1 when service.sessions is 'stateful' (a session lives on the task that issued it; the load balancer spreads requests), got ${service[field]}; or set service.sessionSharingReason to say how the tasks share sessions`,
        });
      }
    }
  }
}
