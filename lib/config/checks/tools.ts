/**
 * `rbac.tools`: the tool-level policy the MCP enforcement point applies (enforcement-point/, RBAC-2),
 * its schema and its checks against the rest of the config (called from the schema's superRefine).
 */
import { z } from 'zod';
import { globParts, isGlob, TOOL_PATTERN } from '../../../enforcement-point/src/policy';
import { ENFORCEMENT_POINT_PORT } from '../../../enforcement-point/src/settings';

const NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const name = z.string().regex(NAME, 'must be a lowercase name: a letter, then letters, digits, _ or - (at most 64)');

/** MCP request methods `rbac.tools.methods` may raise above the read permission (MCP spec 2025-11-25). */
export const GATED_METHODS = ['prompts/get', 'prompts/list', 'resources/read', 'resources/subscribe', 'resources/unsubscribe', 'resources/list', 'resources/templates/list', 'completion/complete', 'logging/setLevel', 'tools/list'] as const;

/**
 * The most write-tool patterns the fleet-wide WAF rule names: each costs a JSON-body byte match (a few
 * WCUs; AWS WAF Developer Guide, "Web ACL capacity units"), and the web ACL's whole budget is 5,000 WCUs
 * (AWS WAF quotas, "Maximum web ACL capacity units").
 */
export const MAX_WAF_WRITE_TOOL_PATTERNS = 50;

/** The schema of `rbac.tools`. */
export const ToolPolicySchema = z.object({
  /** Put the MCP enforcement point in front of the server (a sidecar in the task; also in `npm run local`). @default true */
  enforce: z.boolean().default(true),
  /** The permission of read tools (annotated `readOnlyHint: true`) and of prompts and resources. @default 'read' */
  readPermission: name.default('read'),
  /** The permission of every other annotated tool. @default 'write' */
  writePermission: name.default('write'),
  /**
   * Tool name or glob (`*` matches any run of characters) -> permission. An exact name wins, then the
   * first matching glob as written. Tools not named here are classified by the server's annotations.
   * @default {} (annotations only)
   */
  permissions: z.record(z.string(), name).default({}),
  /** MCP request method -> permission, for methods that need more than `readPermission`. @default {} */
  methods: z.partialRecord(z.enum(GATED_METHODS), name).default({}),
}).strict();

/** The parsed `rbac.tools`. */
export type ToolPolicyConfig = z.output<typeof ToolPolicySchema>;

/** The part of the config the checks read. */
interface ToolPolicyContext {
  readonly service: { readonly backends?: ReadonlyArray<{ readonly containerPort: number }> };
  readonly rbac: { readonly permissions: readonly string[]; readonly writePermissions: readonly string[]; readonly tools: ToolPolicyConfig };
}

/** The configured tools (names and globs) whose permission is more than the read permission: the WAF rule counts their calls. */
export function writeToolPatterns(tools: ToolPolicyConfig): string[] {
  return Object.entries(tools.permissions).filter(([, p]) => p !== tools.readPermission).map(([t]) => t);
}

/** Adds one issue per problem of `rbac.tools`, each naming the field and what is allowed. */
export function checkToolPolicy(c: ToolPolicyContext, ctx: z.RefinementCtx): void {
  const t = c.rbac.tools;
  const perms = new Set(c.rbac.permissions);
  const unknown = (p: string) => `unknown permission '${p}': must be one of ${[...perms].join(', ')}`;
  for (const field of ['readPermission', 'writePermission'] as const) {
    if (!perms.has(t[field])) ctx.addIssue({ code: 'custom', path: ['rbac', 'tools', field], message: unknown(t[field]) });
  }
  if (c.rbac.writePermissions.includes(t.readPermission)) {
    ctx.addIssue({ code: 'custom', path: ['rbac', 'tools', 'readPermission'], message: `'${t.readPermission}' is in rbac.writePermissions: read-only mode would turn every read tool off; name a permission read-only mode keeps` });
  }
  if (t.writePermission === t.readPermission) {
    ctx.addIssue({ code: 'custom', path: ['rbac', 'tools', 'writePermission'], message: `must differ from readPermission ('${t.readPermission}'): annotated write tools would need only the read permission` });
  }
  for (const [tool, p] of Object.entries(t.permissions)) {
    if (!TOOL_PATTERN.test(tool)) ctx.addIssue({ code: 'custom', path: ['rbac', 'tools', 'permissions', tool], message: 'must be an MCP tool name or a glob of one: 1-128 of A-Z a-z 0-9 _ - . / and * (MCP spec 2025-11-25, tool names)' });
    if (!perms.has(p)) ctx.addIssue({ code: 'custom', path: ['rbac', 'tools', 'permissions', tool], message: unknown(p) });
    if (isGlob(tool) && globParts(tool).every((part) => part === '') && p === t.readPermission) {
      ctx.addIssue({ code: 'custom', path: ['rbac', 'tools', 'permissions', tool], message: `'${tool}' makes every tool a read tool: classify tools by name, or leave them to the server's annotations` });
    }
  }
  for (const [method, p] of Object.entries(t.methods)) {
    if (p !== undefined && !perms.has(p)) ctx.addIssue({ code: 'custom', path: ['rbac', 'tools', 'methods', method], message: unknown(p) });
  }
  (c.service.backends ?? []).forEach((b, i) => {
    if (t.enforce && b.containerPort === ENFORCEMENT_POINT_PORT) {
      ctx.addIssue({ code: 'custom', path: ['service', 'backends', i, 'containerPort'], message: `${ENFORCEMENT_POINT_PORT} is the MCP enforcement point's port in the task (rbac.tools.enforce): pick another port` });
    }
  });
  const writes = writeToolPatterns(t).length;
  if (writes > MAX_WAF_WRITE_TOOL_PATTERNS) {
    ctx.addIssue({ code: 'custom', path: ['rbac', 'tools', 'permissions'], message: `names ${writes} write tools or globs; the WAF write-limit rule takes at most ${MAX_WAF_WRITE_TOOL_PATTERNS} (web ACL capacity): group them with globs like 'delete_*'` });
  }
}
