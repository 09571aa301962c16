/**
 * The enforcement point's audit events (AUDIT-1, AUTH-7, RBAC-2): one JSON line per decision on stdout,
 * which the container's log driver sends to its KMS-encrypted log group. Never an argument value: only
 * the arguments' size in bytes.
 */

/** `tool.call`: a `tools/call` decision; `mcp.request`: a decision on another gated request; `mcp.malformed`: a refused body. */
export type AuditEventName = 'tool.call' | 'mcp.request' | 'mcp.malformed';

/** One audit event. */
export interface AuditEvent {
  readonly event: AuditEventName;
  /** ISO 8601 time of the decision. */
  readonly time: string;
  readonly agentId: string;
  readonly agentType: string;
  readonly role: string;
  /** The tool (`tool.call`) or the method (`mcp.request`). */
  readonly tool?: string;
  readonly method?: string;
  readonly decision: 'allow' | 'deny';
  /** `granted`, or why not (see DenyReason in policy.ts, plus `parse_error`, `invalid_request`, `invalid_params`, `body_too_large`). */
  readonly reason: string;
  /** Where the tool's permission came from: `config` or `annotations`; absent when unclassified. */
  readonly classifiedBy?: string;
  /** The permission the tool needs. */
  readonly permission?: string;
  /** The gateway's request id (`X-Request-Id`, API Gateway's `$context.requestId`, as in the authorizer's events), else the load balancer's `X-Amzn-Trace-Id`, else a fresh one. */
  readonly requestId: string;
  /** The JSON-RPC id of the request. */
  readonly rpcId?: string | number | null;
  /** Size of the `arguments` object in bytes (JSON); the values are never logged. */
  readonly argumentBytes?: number;
  /** Milliseconds from the request's arrival to the end of the server's answer (allowed) or to the refusal. */
  readonly durationMs: number;
  /** The HTTP status the caller got, once known. */
  readonly status?: number;
}

/** Receives audit events. */
export type AuditSink = (event: AuditEvent) => void;

/** The default sink: one JSON line per event on stdout. */
export const stdoutAudit: AuditSink = (event) => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};
