/**
 * Tool gating: the part of authorization the perimeter cannot do. API Gateway authorizes by route
 * (`POST /mcp`), but MCP names the tool inside the JSON-RPC body, so the backend finishes the job with
 * the identity the perimeter forwards (RBAC-2, RBAC-4). Pure: no I/O, no clock.
 */
import type { Caller } from './identity';

/** Tool categories; each needs the permission of the same name. */
export type ToolCategory = 'read' | 'write';

/** What the gate needs to know about a tool. */
export interface GatedTool {
  readonly name: string;
  readonly category: ToolCategory;
}

/** Why a tool call was refused; stable words for audit queries. */
export type ToolDenyReason = 'no_identity' | 'missing_permission' | 'scope_not_granted';

/** The gate's answer. */
export type ToolAccessDecision =
  | { readonly allowed: true; readonly reason: 'granted' }
  | { readonly allowed: false; readonly reason: ToolDenyReason };

/** The scope prefix that narrows a token to some tools: `tools:read`, `tools:write`, `tools:<tool name>`, `tools:*`. */
export const TOOL_SCOPE_PREFIX = 'tools:';

/**
 * Decides whether `caller` may use `tool`. Deny by default:
 * 1. a caller without an agent id gets nothing (the request did not come through the perimeter);
 * 2. the caller's permissions must include the tool's category (`read` for read tools, `write` for write tools);
 * 3. a token that carries tool scopes (`tools:…`) is narrowed to them: one must name the category,
 *    the tool, or be `tools:*`. Tokens without tool scopes are governed by their permissions alone.
 */
export function decideToolAccess(caller: Caller, tool: GatedTool): ToolAccessDecision {
  if (caller.agentId === '') return { allowed: false, reason: 'no_identity' };
  if (!caller.permissions.has(tool.category)) return { allowed: false, reason: 'missing_permission' };
  const toolScopes = [...caller.scopes].filter((s) => s.startsWith(TOOL_SCOPE_PREFIX));
  if (toolScopes.length > 0) {
    const granting = new Set([`${TOOL_SCOPE_PREFIX}*`, `${TOOL_SCOPE_PREFIX}${tool.category}`, `${TOOL_SCOPE_PREFIX}${tool.name}`]);
    if (!toolScopes.some((s) => granting.has(s))) return { allowed: false, reason: 'scope_not_granted' };
  }
  return { allowed: true, reason: 'granted' };
}
