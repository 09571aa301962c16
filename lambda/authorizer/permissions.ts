/**
 * Role-based access (RBAC-1, RBAC-3, RBAC-4): roles map to permissions, a read-only switch removes every
 * write permission (and the route policy refuses state-changing methods), and per-token scopes narrow
 * a role when a scope vocabulary is configured. Deny by default: unknown roles and unknown scopes are
 * refused, and with a scope vocabulary a token WITHOUT scopes gets only `unscopedPermissions` (none
 * unless the config lists some), never its whole role. Lookups use Maps, never plain objects, so a role named like an
 * Object.prototype member (`constructor`) is just an unknown role.
 */
import type { ParsedAuthorizerSettings } from './settings';

/** Why a verified principal gets no permissions (403). */
export type PermissionRefusal = 'role_unknown' | 'scope_unknown';

/** A principal's effective permissions. */
export interface Grant {
  /** The permissions, in the vocabulary's order. */
  readonly permissions: readonly string[];
  /** The same permissions as a set. */
  readonly set: ReadonlySet<string>;
  /** A stable key for the set (space-separated). */
  readonly key: string;
}

/** The outcome of resolving a role and scopes. */
export type GrantResolution = { readonly ok: true; readonly grant: Grant } | { readonly ok: false; readonly reason: PermissionRefusal };

const MEMO_LIMIT = 1024;

/** The role and scope vocabulary of one perimeter. */
export class PermissionModel {
  private readonly vocabulary: readonly string[];
  private readonly roles = new Map<string, ReadonlySet<string>>();
  private readonly scopes: Map<string, ReadonlySet<string>> | undefined;
  private readonly unscoped: ReadonlySet<string>;
  private readonly memo = new Map<string, GrantResolution>();

  constructor(settings: Pick<ParsedAuthorizerSettings, 'permissions' | 'writePermissions' | 'readOnly' | 'roles' | 'scopes'> & { readonly unscopedPermissions?: readonly string[] }) {
    this.vocabulary = settings.permissions;
    const removed = new Set(settings.readOnly ? settings.writePermissions : []);
    for (const [role, ps] of Object.entries(settings.roles)) {
      this.roles.set(role, new Set(ps.filter((p) => !removed.has(p))));
    }
    this.scopes = settings.scopes ? new Map(Object.entries(settings.scopes).map(([s, ps]) => [s, new Set(ps)])) : undefined;
    this.unscoped = new Set(settings.unscopedPermissions ?? []);
  }

  /**
   * The effective permissions of `role` with `scopes`: the role's (without write permissions in
   * read-only mode), intersected, when a scope vocabulary is configured, with the union of the scopes'
   * permissions, or with `unscopedPermissions` when the token has no scope. Without a vocabulary,
   * scopes are carried to the backend but do not narrow.
   */
  resolve(role: string, scopes: readonly string[]): GrantResolution {
    const memoKey = scopes.length === 0 ? role : `${role}|${scopes.join(' ')}`;
    const known = this.memo.get(memoKey);
    if (known) return known;
    const resolution = this.compute(role, scopes);
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(memoKey, resolution);
    return resolution;
  }

  private compute(role: string, scopes: readonly string[]): GrantResolution {
    const rolePermissions = this.roles.get(role);
    if (!rolePermissions) return { ok: false, reason: 'role_unknown' };
    let allowed: ReadonlySet<string> = rolePermissions;
    if (this.scopes) {
      const union = new Set<string>(scopes.length === 0 ? this.unscoped : []);
      for (const scope of scopes) {
        const ps = this.scopes.get(scope);
        if (!ps) return { ok: false, reason: 'scope_unknown' };
        ps.forEach((p) => union.add(p));
      }
      allowed = new Set([...rolePermissions].filter((p) => union.has(p)));
    }
    const permissions = this.vocabulary.filter((p) => allowed.has(p));
    return { ok: true, grant: { permissions, set: new Set(permissions), key: permissions.join(' ') } };
  }
}
