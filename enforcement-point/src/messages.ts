/**
 * JSON-RPC messages of the MCP Streamable HTTP transport, parsed with the MCP SDK's own zod schemas
 * (`@modelcontextprotocol/sdk/types.js`), and the error answers the enforcement point gives.
 *
 * Error codes (JSON-RPC 2.0 §5.1: -32000..-32099 are implementation-defined server errors; the MCP
 * SDK's `ErrorCode` takes -32000 ConnectionClosed, -32001 RequestTimeout and -32042; -32002 is the
 * spec's "resource not found"):
 * - `-32700` parse error: the body is not JSON;
 * - `-32600` invalid request: JSON, but not a JSON-RPC message (or an empty batch);
 * - `-32602` invalid params: a `tools/call` without a well-formed tool name;
 * - `-32003` FORBIDDEN: the policy refuses the request (message "Forbidden"; no detail reaches the caller);
 * - `-32029` WRITE_LIMITED: the agent's write tool calls are over the limit (with HTTP 429 and Retry-After).
 */
import {
  CallToolRequestSchema,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  ListToolsResultSchema,
} from '@modelcontextprotocol/sdk/types.js';

/** The enforcement point's JSON-RPC error codes. */
export const ERROR_CODES = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  INVALID_PARAMS: -32602,
  FORBIDDEN: -32003,
  WRITE_LIMITED: -32029,
} as const;

/** A JSON-RPC request id; `null` only in errors about a message whose id could not be read. */
export type RequestId = string | number | null;

/** A JSON-RPC error response. */
export interface ErrorResponse {
  readonly jsonrpc: '2.0';
  readonly id: RequestId;
  readonly error: { readonly code: number; readonly message: string };
}

/** One inbound message, classified. */
export type Inbound =
  | { readonly kind: 'tool_call'; readonly id: string | number; readonly tool: string; readonly argumentBytes: number }
  | { readonly kind: 'request'; readonly id: string | number; readonly method: string }
  | { readonly kind: 'notification'; readonly method: string }
  | { readonly kind: 'response' }
  | { readonly kind: 'invalid'; readonly error: ErrorResponse };

/** A POST body, parsed. */
export type ParsedBody =
  | { readonly ok: true; readonly batch: boolean; readonly messages: readonly Inbound[] }
  | { readonly ok: false; readonly error: ErrorResponse };

/** A JSON-RPC error response. */
export function errorResponse(id: RequestId, code: number, message: string): ErrorResponse {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

/** Parses a POST body: one JSON-RPC message or a batch (protocol 2025-03-26 and older), each checked on its own. */
export function parseBody(text: string): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: errorResponse(null, ERROR_CODES.PARSE_ERROR, 'Parse error') };
  }
  if (Array.isArray(json)) {
    if (json.length === 0) return { ok: false, error: errorResponse(null, ERROR_CODES.INVALID_REQUEST, 'Invalid Request') };
    return { ok: true, batch: true, messages: json.map(classify) };
  }
  return { ok: true, batch: false, messages: [classify(json)] };
}

/** Classifies one message; anything the SDK's JSONRPCMessageSchema refuses is `invalid`. */
export function classify(value: unknown): Inbound {
  const parsed = JSONRPCMessageSchema.safeParse(value);
  if (!parsed.success) return { kind: 'invalid', error: errorResponse(idOf(value), ERROR_CODES.INVALID_REQUEST, 'Invalid Request') };
  const message: JSONRPCMessage = parsed.data;
  if (!('method' in message)) return { kind: 'response' };
  // A request method sent as a notification (no id) would get no answer to refuse: only the MCP
  // notifications (`notifications/…`) travel without an id, so a `tools/call` can never slip through unanswered.
  if (!('id' in message)) {
    return message.method.startsWith('notifications/')
      ? { kind: 'notification', method: message.method }
      : { kind: 'invalid', error: errorResponse(null, ERROR_CODES.INVALID_REQUEST, 'Invalid Request') };
  }
  if (message.method !== 'tools/call') return { kind: 'request', id: message.id, method: message.method };
  const call = CallToolRequestSchema.safeParse(value);
  if (!call.success) return { kind: 'invalid', error: errorResponse(message.id, ERROR_CODES.INVALID_PARAMS, 'Invalid params') };
  const args = call.data.params.arguments;
  return { kind: 'tool_call', id: message.id, tool: call.data.params.name, argumentBytes: args === undefined ? 0 : Buffer.byteLength(JSON.stringify(args)) };
}

function idOf(value: unknown): RequestId {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/** A tool of a `tools/list` result as the filter reads it. */
export interface ListedTool {
  readonly name: string;
  readonly annotations?: { readonly readOnlyHint?: boolean };
}

/**
 * Filters a server-to-client JSON-RPC message: when it is a result carrying a `tools` array (a
 * `tools/list` result), `learn` sees the tools (only when the SDK's ListToolsResultSchema accepts the
 * result) and only the tools `keep` accepts stay. Fails closed: a `tools` entry without a string name
 * is dropped even when the result is otherwise malformed. Returns the same object when nothing changed.
 */
export function filterToolList(message: unknown, keep: (tool: string) => boolean, learn: (tool: ListedTool) => void): unknown {
  if (Array.isArray(message)) {
    let changed = false;
    const out = message.map((m) => {
      const f = filterToolList(m, keep, learn);
      if (f !== m) changed = true;
      return f;
    });
    return changed ? out : message;
  }
  if (typeof message !== 'object' || message === null) return message;
  const result = (message as { result?: unknown }).result;
  if (typeof result !== 'object' || result === null || !Array.isArray((result as { tools?: unknown }).tools)) return message;
  const tools = (result as { tools: unknown[] }).tools;
  const valid = ListToolsResultSchema.safeParse(result);
  if (valid.success) valid.data.tools.forEach((t) => learn({ name: t.name, annotations: t.annotations }));
  const kept = tools.filter((t) => typeof t === 'object' && t !== null && typeof (t as { name?: unknown }).name === 'string' && keep((t as { name: string }).name));
  return { ...message, result: { ...result, tools: kept } };
}
