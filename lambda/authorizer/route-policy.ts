/**
 * Routes to permissions, and the IAM policy an authorizer answer carries (RBAC-2, RBAC-4).
 *
 * API Gateway caches an authorizer's answer per credential and reuses it for EVERY route, so the policy
 * must list exactly what the principal may call: an Allow for each method on each route region it is
 * permitted (`…/GET/api` and `…/GET/api/*`), an explicit Deny for nested regions it is not permitted
 * inside an allowed one, and an explicit Deny for the method ARN at hand when that is not permitted.
 * Methods are enumerated, never `*`: in an IAM resource `*` spans `/`, so `…/prod/*\/mcp` would also match
 * `…/prod/GET/x/mcp`.
 *
 * Paths that a backend router could resolve to ANOTHER route are never allowed, neither for the
 * request at hand nor by a cached policy: dot segments (`/mcp/../admin`), empty segments (`//`),
 * backslashes and the encodings `%2e` (dot), `%2f` (slash), `%5c` (backslash) and `%25` (percent: a
 * double encoding). Every policy that allows anything also denies them explicitly ({@link NON_CANONICAL_RESOURCES}).
 *
 * Read-only mode (RBAC-3): POST, PUT, PATCH and DELETE are allowed nowhere except on the exact MCP
 * endpoint paths (`mcpPaths`), where reads travel as POSTs too and the MCP server's tool policy keeps
 * non-read tools off.
 */
import { HTTP_METHODS, regionPermission, STATE_CHANGING_METHODS, type HttpMethod, type RouteSettings } from './settings';

/** A parsed execute-api method ARN. */
export interface MethodArn {
  /** The whole ARN as received. */
  readonly arn: string;
  /** `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/` */
  readonly prefix: string;
  readonly method: string;
  /** The request path, starting with `/`. */
  readonly path: string;
}

/** An IAM policy statement as an authorizer returns it. */
export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: 'execute-api:Invoke';
  readonly Resource: string[];
}

/** An IAM policy document as an authorizer returns it. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

/**
 * IAM resource patterns (after the method ARN prefix) of the paths no policy may allow: dot segments,
 * empty segments, backslashes and encoded dot, slash, backslash or percent, in either case.
 */
export const NON_CANONICAL_RESOURCES: readonly string[] = [
  '*/..', '*/../*', '*/.', '*/./*', '*//*', '*\\*',
  '*%2e*', '*%2E*', '*%2f*', '*%2F*', '*%5c*', '*%5C*', '*%25*',
];

const NON_CANONICAL = /\/\.\.?(\/|$)|\/\/|\\|%2e|%2f|%5c|%25/i;

/**
 * Whether a request path is canonical: starts with `/`, no empty segment (a single trailing `/` is
 * allowed), no `.` or `..` segment, no backslash, no `%2e`, `%2f`, `%5c` or `%25` in any case. A path
 * that is not is refused (403), never normalized into another route.
 */
export function isCanonicalPath(path: string): boolean {
  return path.startsWith('/') && !NON_CANONICAL.test(path);
}

/** Options of a {@link RoutePolicy}. */
export interface RoutePolicyOptions {
  /** Read-only mode: state-changing methods only on `mcpPaths`. @default false */
  readonly readOnly?: boolean;
  /** The MCP endpoint paths (exact). @default [] */
  readonly mcpPaths?: readonly string[];
}

const ARN = /^(arn:aws[a-z-]*:execute-api:[a-z0-9-]+:\d{12}:[A-Za-z0-9]+\/[A-Za-z0-9_-]+\/)([A-Z]+)(\/[^\s]*)?$/;
const WILDCARD = /[*?]/;
const MEMO_LIMIT = 256;

/** Parses `arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/POST/mcp/x`; undefined when it is not one. */
export function parseMethodArn(arn: string): MethodArn | undefined {
  const match = ARN.exec(arn);
  if (!match) return undefined;
  const rest = match[3] ?? '/';
  return { arn, prefix: match[1], method: match[2], path: rest === '' ? '/' : rest };
}

/** The resources (without the ARN prefix) a grant allows, and the nested ones it must deny. */
interface Grants {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
}

/** The compiled route table of one perimeter. */
export class RoutePolicy {
  /** Distinct route paths, deepest first (the region of a path is its deepest matching route path). */
  private readonly regions: readonly string[];
  /** region -> method -> permission (undefined: no route applies). */
  private readonly table = new Map<string, ReadonlyMap<string, string | undefined>>();
  private readonly memo = new Map<string, Grants>();
  private readonly readOnly: boolean;
  private readonly mcpPaths: ReadonlySet<string>;

  constructor(routes: readonly RouteSettings[], options: RoutePolicyOptions = {}) {
    this.readOnly = options.readOnly ?? false;
    this.mcpPaths = new Set(options.mcpPaths ?? []);
    this.regions = [...new Set(routes.map((r) => r.path))].sort((a, b) => b.length - a.length);
    for (const region of this.regions) {
      this.table.set(region, new Map(HTTP_METHODS.map((m) => [m, regionPermission(routes, region, m)])));
    }
  }

  /** The deepest route path matching `path` (itself or a subpath), if any. */
  regionOf(path: string): string | undefined {
    for (const region of this.regions) {
      if (path === region || (path.startsWith(region) && path.charCodeAt(region.length) === 47 /* / */)) return region;
    }
    return undefined;
  }

  /**
   * The permission `method` on `path` needs; undefined when nothing may call it (deny by default): no
   * route applies, the path is not canonical, or read-only mode refuses the method there.
   */
  permissionFor(method: string, path: string): string | undefined {
    return this.check(method, path).permission;
  }

  /** Why `method` on `path` is closed to everyone, or the permission it needs. */
  check(method: string, path: string): { readonly permission?: string; readonly refusal?: 'path_not_canonical' | 'route_unknown' | 'read_only' } {
    if (!isCanonicalPath(path) || WILDCARD.test(path)) return { refusal: 'path_not_canonical' };
    const region = this.regionOf(path);
    const permission = region === undefined ? undefined : this.table.get(region)?.get(method);
    if (permission === undefined) return { refusal: 'route_unknown' };
    if (this.readOnly && STATE_CHANGING_METHODS.has(method) && !this.mcpPaths.has(path)) return { refusal: 'read_only' };
    return { permission };
  }

  /**
   * The policy for a principal with `permissions` answering the request `arn`: Allow every permitted
   * method and region of the API stage, Deny the nested regions it may not call, and Deny `arn` itself
   * when it is not permitted. A principal permitted nothing gets a Deny for `arn` only.
   */
  policyFor(arn: MethodArn, permissions: ReadonlySet<string>, permissionsKey: string): PolicyDocument {
    const grants = this.grantsFor(permissions, permissionsKey);
    const statements: PolicyStatement[] = [];
    if (grants.allow.length > 0) statements.push({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: grants.allow.map((r) => arn.prefix + r) });
    const deny = grants.deny.map((r) => arn.prefix + r);
    if (grants.allow.length > 0) deny.push(...NON_CANONICAL_RESOURCES.map((r) => arn.prefix + r));
    if (!this.permits(permissions, arn.method, arn.path) && !WILDCARD.test(arn.arn.slice(arn.prefix.length))) deny.push(arn.arn);
    if (deny.length > 0) statements.push({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: deny });
    // Permitted nothing: a Deny for this ARN, even one holding wildcards, cannot take anything away.
    if (statements.length === 0) statements.push({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: [arn.arn] });
    return { Version: '2012-10-17', Statement: statements };
  }

  private grantsFor(permissions: ReadonlySet<string>, key: string): Grants {
    const known = this.memo.get(key);
    if (known) return known;
    const allow: string[] = [];
    const deny: string[] = [];
    const permitted = (region: string, m: HttpMethod) => {
      const needed = this.table.get(region)?.get(m);
      return needed !== undefined && permissions.has(needed);
    };
    for (const m of HTTP_METHODS) {
      if (this.readOnly && STATE_CHANGING_METHODS.has(m)) {
        // Only the exact MCP endpoint paths keep state-changing methods: no subtree, so nothing to carve out.
        for (const region of this.regions) if (this.mcpPaths.has(region) && permitted(region, m)) allow.push(`${m}${region}`);
        continue;
      }
      for (const region of [...this.regions].reverse()) {
        const resource = `${m}${region}`;
        if (permitted(region, m)) {
          allow.push(resource, `${resource}/*`);
        } else if (this.regions.some((outer) => region.startsWith(`${outer}/`) && permitted(outer, m))) {
          deny.push(resource, `${resource}/*`);
        }
      }
    }
    const grants = { allow, deny };
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(key, grants);
    return grants;
  }

  /** Whether a principal with `permissions` may call `method` on `path` (what the policy allows). */
  permits(permissions: ReadonlySet<string>, method: string, path: string): boolean {
    const needed = this.permissionFor(method, path);
    return needed !== undefined && permissions.has(needed);
  }
}
