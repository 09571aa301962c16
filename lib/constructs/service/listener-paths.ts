/**
 * The ALB listener rules of the backends, kept under the ALB's quota (100 rules per load balancer,
 * 5 condition values per rule: lib/limits/aws-limits.ts). API Gateway forwards whole top-level prefixes
 * (one `{proxy+}` resource each, lib/constructs/edge/perimeter-api.ts) and the authorizer admits exactly
 * the route table inside them, so when one backend serves every route path under a prefix, the ALB routes
 * the prefix as a whole: the rule count then grows with prefixes, not routes.
 */

/** What the rule plan needs of a backend. */
export interface ListenerBackend {
  /** The backend's name. */
  readonly name: string;
  /** The route paths it serves (each matches itself and every subpath). */
  readonly paths: readonly string[];
}

/** An ALB rule takes at most five condition values (ELB quotas: "Condition values per rule"). */
export const MAX_PATTERNS_PER_RULE = 5;

const topLevel = (path: string) => `/${path.split('/')[1]}`;
const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * The paths each backend's rules match, by backend name: a top-level prefix when the backend serves every
 * route path under it (and the public health path, which goes to the first backend, is not under it or
 * is the same backend's), else the backend's own paths.
 */
export function listenerPaths(backends: readonly ListenerBackend[], healthPath: string): Record<string, string[]> {
  const servers = new Map<string, Set<string>>();
  for (const b of backends) for (const p of b.paths) servers.set(topLevel(p), (servers.get(topLevel(p)) ?? new Set()).add(b.name));
  const plan: Record<string, string[]> = {};
  for (const b of backends) {
    const paths = new Set<string>();
    for (const p of b.paths) {
      const prefix = topLevel(p);
      const only = servers.get(prefix)!.size === 1;
      const healthOk = !under(healthPath, prefix) || b.name === backends[0].name;
      paths.add(only && healthOk ? prefix : p);
    }
    plan[b.name] = [...paths];
  }
  return plan;
}

/**
 * The number of listener rules the service creates: per backend, its path patterns (`p` and `p/*`) in
 * rules of five, the same again for the API stage-prefixed paths when `stagePrefixed`, plus the health
 * path's rule (and its stage-prefixed twin).
 */
export function listenerRuleCount(backends: readonly ListenerBackend[], healthPath: string, stagePrefixed: boolean): number {
  const plan = listenerPaths(backends, healthPath);
  const rulesFor = (patterns: number) => Math.ceil(patterns / MAX_PATTERNS_PER_RULE) * (stagePrefixed ? 2 : 1);
  return backends.reduce((n, b) => n + rulesFor(plan[b.name].length * 2), 0) + rulesFor(1);
}
