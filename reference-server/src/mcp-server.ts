/**
 * One MCP server per request (stateless Streamable HTTP, as the SDK recommends behind a load
 * balancer: any task can answer any request). It is built for one caller, so every handler knows
 * who is asking.
 *
 * It uses the SDK's low-level `Server` rather than `McpServer` on purpose: `McpServer` turns every
 * error thrown in a tool into a successful result with `isError: true`, while a refused tool must be
 * a JSON-RPC error that no client can mistake for an answer.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AuditSink } from './audit';
import type { Caller } from './identity';
import type { NoteStore } from './notes';
import { decideToolAccess, type ToolDenyReason } from './tool-access';
import type { ReferenceTool } from './tools';

/** JSON-RPC error code of a refused tool call (implementation-defined server error range). */
export const TOOL_FORBIDDEN = -32003;

/** What one request's MCP server needs. */
export interface McpServerContext {
  readonly caller: Caller;
  /** The perimeter's request id, for the audit line. */
  readonly requestId: string;
  readonly version: string;
  readonly tools: readonly ReferenceTool[];
  readonly notes: NoteStore;
  readonly audit: AuditSink;
  readonly now: () => Date;
}

/** Builds the MCP server for one request: `tools/list` shows the caller's usable tools; `tools/call` is gated and audited. */
export function createMcpServer(context: McpServerContext): Server {
  const { caller, tools } = context;
  const server = new Server({ name: 'mcp-perimeter-reference', version: context.version }, { capabilities: { tools: {} } });

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools
      .filter((t) => decideToolAccess(caller, t).allowed)
      .map((t) => ({
        name: t.name,
        description: t.description,
        inputSchema: z.toJSONSchema(t.input, { io: 'input' }) as { type: 'object' },
        annotations: { readOnlyHint: t.category === 'read' },
      })),
  }));

  server.setRequestHandler(CallToolRequestSchema, (request) => {
    const name = request.params.name;
    const audit = (decision: 'allow' | 'deny', reason: Parameters<AuditSink>[0]['reason'], category: ReferenceTool['category'] | null) =>
      context.audit({
        timestamp: context.now().toISOString(),
        event: 'mcp.tool',
        decision,
        reason,
        tool: name.slice(0, 128),
        category,
        agentId: caller.agentId,
        agentType: caller.agentType,
        role: caller.role,
        requestId: context.requestId,
      });

    const tool = tools.find((t) => t.name === name);
    if (!tool) {
      audit('deny', 'unknown_tool', null);
      throw new McpError(ErrorCode.InvalidParams, `unknown tool '${name.slice(0, 128)}'`);
    }
    const decision = decideToolAccess(caller, tool);
    audit(decision.allowed ? 'allow' : 'deny', decision.reason, tool.category);
    if (!decision.allowed) {
      throw new McpError(TOOL_FORBIDDEN, refusal(tool, decision.reason, caller));
    }

    const args = tool.input.safeParse(request.params.arguments ?? {});
    if (!args.success) {
      const issue = args.error.issues[0];
      throw new McpError(ErrorCode.InvalidParams, `invalid arguments for tool '${tool.name}': ${issue.path.join('.') || '(root)'} ${issue.message}`);
    }
    try {
      return { content: [{ type: 'text' as const, text: tool.run(args.data, context) }] };
    } catch (error) {
      return { content: [{ type: 'text' as const, text: (error as Error).message }], isError: true };
    }
  });

  return server;
}

function refusal(tool: ReferenceTool, reason: ToolDenyReason, caller: Caller): string {
  switch (reason) {
    case 'no_identity':
      return `tool '${tool.name}' refused: the request carries no caller identity`;
    case 'missing_permission':
      return `tool '${tool.name}' needs the '${tool.category}' permission; this token grants: ${[...caller.permissions].join(' ') || 'none'}`;
    case 'scope_not_granted':
      return `tool '${tool.name}' is outside this token's tool scopes (needs tools:${tool.category}, tools:${tool.name} or tools:*)`;
  }
}
