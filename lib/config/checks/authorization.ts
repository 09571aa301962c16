/**
 * The config's authorization checks (RBAC-2, RBAC-4, WORK-2), called with one line from the schema's
 * superRefine: a route table whose meaning would depend on its order, permissions the vocabulary does
 * not know, and a health path that is not a path of its own each fail synth with one line naming the
 * field and what is allowed.
 */
import type { z } from 'zod';
import { findRouteConflicts } from '../../../lambda/authorizer/settings';
import type { PerimeterConfig } from '../schema';

/** The prefix of the public well-known documents (RFC 9728). */
const WELL_KNOWN_PREFIX = '/.well-known';
/** A health path segment: letters, digits, `.`, `_`, `-`; not `.` or `..`. */
const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Why `healthPath` is not a path of its own, or undefined. It must be canonical (`/a/b`: no empty
 * segment, no trailing `/`, no `.` or `..` segment), must not be a route path nor an ancestor of one
 * (that would make a protected route, or its parent, public), and must not lie under `/.well-known`.
 * It MAY lie inside a route (`/mcp/health` under `/mcp`): API Gateway serves that exact resource
 * without the authorizer, GET only, and every other path under the route still goes through it.
 */
export function healthPathProblem(healthPath: string, routePaths: readonly string[]): string | undefined {
  const segments = healthPath.split('/').slice(1);
  if (!healthPath.startsWith('/') || segments.some((s) => !SEGMENT.test(s) || s === '.' || s === '..')) {
    return `must be a canonical absolute path like /health or /mcp/health (no empty segment, trailing '/', '.' or '..'), got '${healthPath}'`;
  }
  const route = routePaths.find((r) => r === healthPath || r.startsWith(`${healthPath}/`));
  if (route) return `'${healthPath}' is, or is an ancestor of, the authorized route '${route}': the health path must be a path of its own`;
  if (healthPath === WELL_KNOWN_PREFIX || healthPath.startsWith(`${WELL_KNOWN_PREFIX}/`)) return `'${healthPath}' lies under ${WELL_KNOWN_PREFIX}, which the gateway serves itself`;
  return undefined;
}

/** Adds one zod issue per authorization problem of `c` (the schema's superRefine calls it). */
export function checkAuthorization(c: PerimeterConfig, ctx: z.RefinementCtx): void {
  const perms = new Set(c.rbac.permissions);
  c.rbac.unscopedPermissions.forEach((p, i) => {
    if (!perms.has(p)) ctx.addIssue({ code: 'custom', path: ['rbac', 'unscopedPermissions', i], message: `unknown permission '${p}': must be one of ${[...perms].join(', ')}` });
  });
  for (const conflict of findRouteConflicts(c.rbac.routes)) ctx.addIssue({ code: 'custom', path: ['rbac', 'routes'], message: conflict });
  const operator = c.auth.operatorRoleArn;
  const operatorAccount = operator?.split(':')[4];
  if (operator && c.env.account && operatorAccount !== c.env.account) {
    ctx.addIssue({ code: 'custom', path: ['auth', 'operatorRoleArn'], message: `must be a role of the stage's account ${c.env.account} (the key policies require kms:CallerAccount), got account ${operatorAccount}` });
  }
  const health = healthPathProblem(c.service.healthPath, c.rbac.routes.map((r) => r.path));
  if (health) ctx.addIssue({ code: 'custom', path: ['service', 'healthPath'], message: health });
}
