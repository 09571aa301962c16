/**
 * Tool-level policy (RBAC-2): which permission an MCP request needs, and whether a caller has it. Pure:
 * no I/O, no clock. The enforcement point asks it for every `tools/call`, `prompts/get`,
 * `resources/read`, `resources/subscribe` (and any other request method) and for every `tools/list`
 * result, so that a caller sees exactly the tools it may call.
 *
 * A tool's permission comes from, in order:
 * 1. `tools`: the config's map of tool name or glob (`*` matches any run of characters) -> permission.
 *    An exact name wins over every glob; among globs the first written wins;
 * 2. the server's own `tools/list` annotations, learnt as results pass through: `readOnlyHint: true`
 *    needs `readPermission`, anything else (no hint, `false`, no annotations) `writePermission`;
 * 3. otherwise the tool is unclassified and refused (deny by default), e.g. a tool the server added
 *    after the enforcement point last saw a `tools/list`.
 * Read-only mode refuses every tool that needs more than `readPermission` (RBAC-3). The caller's
 * permissions are the effective ones the authorizer computed (role, token scopes and read-only mode
 * applied, `x-mcp-permissions`), so token scopes narrow tools exactly as they narrow routes.
 */

/** The policy of one perimeter, from `rbac.tools` and `auth.readOnly`. */
export interface ToolPolicySettings {
  /** The permission of read tools (annotated `readOnlyHint: true`), and of prompts and resources. */
  readonly readPermission: string;
  /** The permission of every other annotated tool. */
  readonly writePermission: string;
  /** Tool name or glob (`*`) -> permission; exact names win, then the first matching glob as written. */
  readonly tools: Readonly<Record<string, string>>;
  /** MCP request method -> permission, for methods that need more than `readPermission` (`tools/call` excluded). */
  readonly methods: Readonly<Record<string, string>>;
  /** Read-only mode (`auth.readOnly`): every tool that needs more than `readPermission` is refused. */
  readonly readOnly: boolean;
}

/** The MCP tool annotations the policy reads (MCP spec, `ToolAnnotations`). */
export interface ToolAnnotations {
  readonly readOnlyHint?: boolean;
}

/** The caller as the gateway forwarded it. */
export interface PolicyCaller {
  /** The agent id; empty when the request carried no identity, which grants nothing. */
  readonly agentId: string;
  /** The effective permissions the authorizer computed. */
  readonly permissions: ReadonlySet<string>;
}

/** Why a request was refused; stable words for audit queries and the alarm. */
export type DenyReason = 'no_identity' | 'tool_unclassified' | 'read_only' | 'missing_permission' | 'write_limit' | 'write_in_batch' | 'batch_refused';

/** Where a tool's permission came from. */
export type ToolClassSource = 'config' | 'annotations';

/** The permission a tool needs, and where it came from. */
export interface ToolClass {
  readonly permission: string;
  readonly source: ToolClassSource;
  /** True when the permission is more than the read permission: the call counts against the write limit. */
  readonly write: boolean;
}

/** A policy decision. */
export type Decision =
  | { readonly allowed: true; readonly reason: 'granted'; readonly toolClass?: ToolClass }
  | { readonly allowed: false; readonly reason: DenyReason; readonly toolClass?: ToolClass };

/**
 * A tool name pattern of `rbac.tools`: an MCP tool name's characters and `*`. The MCP spec (2025-11-25,
 * "Tool names") says names SHOULD be 1-128 of A-Z a-z 0-9 _ - . ; SEP-986 also allowed `/`, accepted here.
 * Names the server lists are never refused for their spelling: the policy only compares them.
 */
export const TOOL_PATTERN = /^[A-Za-z0-9_.\/*-]{1,128}$/;
/** The request methods that name a tool. */
export const TOOL_CALL = 'tools/call';

/** True when `pattern` holds a `*` (a glob), false for an exact tool name. */
export function isGlob(pattern: string): boolean {
  return pattern.includes('*');
}

/** The literal parts of a glob between its `*`s (`'delete_*'` -> `['delete_', '']`). */
export function globParts(pattern: string): string[] {
  return pattern.split('*');
}

/** A glob as an anchored RegExp: `*` matches any run of characters, every other character itself. */
export function globRegExp(pattern: string): RegExp {
  return new RegExp(`^${globParts(pattern).map((p) => p.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`, 's');
}

/** The tool policy of one enforcement point, with the tool classes it has learnt from `tools/list` results. */
export class ToolPolicy {
  private readonly exact = new Map<string, string>();
  private readonly globs: ReadonlyArray<{ readonly pattern: RegExp; readonly permission: string }>;
  private readonly methods: ReadonlyMap<string, string>;
  private readonly annotated = new Map<string, boolean>();

  /** At most this many annotated tools are remembered (a server's whole catalogue; bounds memory against a runaway server). */
  static readonly MAX_LEARNT_TOOLS = 10_000;

  constructor(readonly settings: ToolPolicySettings) {
    const globs: Array<{ pattern: RegExp; permission: string }> = [];
    for (const [pattern, permission] of Object.entries(settings.tools)) {
      if (isGlob(pattern)) globs.push({ pattern: globRegExp(pattern), permission });
      else this.exact.set(pattern, permission);
    }
    this.globs = globs;
    this.methods = new Map(Object.entries(settings.methods));
  }

  /** Records the annotations of a tool from a `tools/list` result; the latest result wins. */
  learn(name: string, annotations: ToolAnnotations | undefined): void {
    if (!this.annotated.has(name) && this.annotated.size >= ToolPolicy.MAX_LEARNT_TOOLS) return;
    this.annotated.set(name, annotations?.readOnlyHint === true);
  }

  /** The permission `tool` needs, or undefined when neither the config nor the annotations classify it. */
  classify(tool: string): ToolClass | undefined {
    const configured = this.exact.get(tool) ?? this.globs.find((g) => g.pattern.test(tool))?.permission;
    if (configured !== undefined) return this.toolClass(configured, 'config');
    const readOnly = this.annotated.get(tool);
    if (readOnly === undefined) return undefined;
    return this.toolClass(readOnly ? this.settings.readPermission : this.settings.writePermission, 'annotations');
  }

  /** Whether `caller` may call `tool` (`tools/call`); the rate limit is the caller's to apply after. */
  decideToolCall(caller: PolicyCaller, tool: string): Decision {
    const toolClass = this.classify(tool);
    if (caller.agentId === '') return { allowed: false, reason: 'no_identity', toolClass };
    if (!toolClass) return { allowed: false, reason: 'tool_unclassified' };
    if (this.settings.readOnly && toolClass.write) return { allowed: false, reason: 'read_only', toolClass };
    if (!caller.permissions.has(toolClass.permission)) return { allowed: false, reason: 'missing_permission', toolClass };
    return { allowed: true, reason: 'granted', toolClass };
  }

  /** Whether `caller` may send a request of `method` other than `tools/call`: the configured permission, else the read permission. */
  decideRequest(caller: PolicyCaller, method: string): Decision {
    if (caller.agentId === '') return { allowed: false, reason: 'no_identity' };
    const permission = this.methods.get(method) ?? this.settings.readPermission;
    if (!caller.permissions.has(permission)) return { allowed: false, reason: 'missing_permission' };
    return { allowed: true, reason: 'granted' };
  }

  /** The permission a request method other than `tools/call` needs. */
  permissionForMethod(method: string): string {
    return this.methods.get(method) ?? this.settings.readPermission;
  }

  private toolClass(permission: string, source: ToolClassSource): ToolClass {
    return { permission, source, write: permission !== this.settings.readPermission };
  }
}
