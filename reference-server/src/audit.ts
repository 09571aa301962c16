/**
 * The server's audit line: one JSON object per tool decision on stdout, which ECS ships to the audit
 * log group (AUDIT-1). It never holds a credential or tool arguments (AUDIT-2): the server never reads
 * the `Authorization` header, and arguments may carry user data.
 */
import type { ToolAccessDecision, ToolCategory } from './tool-access';

/** One tool authorization decision. */
export interface ToolAuditEvent {
  readonly timestamp: string;
  readonly event: 'mcp.tool';
  readonly decision: 'allow' | 'deny';
  readonly reason: ToolAccessDecision['reason'] | 'unknown_tool';
  readonly tool: string;
  readonly category: ToolCategory | null;
  readonly agentId: string;
  readonly agentType: string;
  readonly role: string;
  /** The perimeter's request id (`X-Request-Id`), to join with the gateway's audit event. */
  readonly requestId: string;
}

/** Where audit events go. */
export type AuditSink = (event: ToolAuditEvent) => void;

/** The default sink: one JSON line on stdout. */
export const stdoutAuditSink: AuditSink = (event) => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};
