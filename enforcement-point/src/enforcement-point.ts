/**
 * The MCP policy enforcement point: an HTTP reverse proxy in front of one MCP server (Streamable HTTP
 * transport), in the same task, that checks every JSON-RPC request against the tool policy before the
 * server sees it, filters `tools/list` results to the tools the caller may call, counts write tool
 * calls per agent and writes one audit event per decision.
 *
 * - Paths under `mcpPaths` are MCP: a request without the gateway's identity gets 403; POST bodies are
 *   parsed (one message or a batch), GET streams (SSE) and POST answers to `tools/list` are rewritten;
 *   DELETE (session end) passes; any other method gets 405.
 * - Every other path (health check, non-MCP routes the authorizer already governs) passes unchanged.
 * - Refusals are JSON-RPC errors (see messages.ts): policy refusals with HTTP 200 (so MCP clients see a
 *   JSON-RPC error, not a transport failure), the write limit with 429 and `Retry-After`, malformed
 *   bodies with 400. Nothing of a refused POST reaches the server: a batch is forwarded whole or not at all.
 * - Answers stream: bodies the policy need not read are piped; SSE is rewritten event by event.
 */
import { randomUUID } from 'node:crypto';
import { Agent, createServer, type IncomingMessage, type OutgoingHttpHeaders, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type AuditEvent, type AuditSink, stdoutAudit } from './audit';
import { type Caller, callerFromHeaders } from './identity';
import { ERROR_CODES, type ErrorResponse, type Inbound, errorResponse, filterToolList, parseBody } from './messages';
import type { Decision, ToolPolicy } from './policy';
import { createSseRewriter } from './sse';
import { ToolLookup } from './tool-lookup';
import { WriteLimit } from './write-limit';

/** Options of {@link createEnforcementPoint}. */
export interface EnforcementPointOptions {
  /** The MCP server's base URL, e.g. `http://127.0.0.1:8080` (the server in the same task). */
  readonly upstream: URL;
  /** The tool policy. */
  readonly policy: ToolPolicy;
  /** Paths of the MCP endpoint; each matches itself and every subpath. @default ['/mcp'] */
  readonly mcpPaths?: readonly string[];
  /** The unauthenticated health path (the load balancer's check), forwarded unchecked even inside an MCP path. @default - none */
  readonly healthPath?: string;
  /** Write tool calls per agent per minute in this process. @default - no local limit */
  readonly writesPerMinute?: number;
  /** Largest POST body read, in bytes; larger gets 413. @default 1048576 (1 MiB; the edge's own limit is lower) */
  readonly maxBodyBytes?: number;
  /** Where audit events go. @default - JSON lines on stdout */
  readonly audit?: AuditSink;
  /** Where the detail of upstream failures goes. @default - stderr */
  readonly errorLog?: (message: string) => void;
  /**
   * Whether a `tools/call` of a tool the policy cannot classify makes the enforcement point ask the
   * server's `tools/list` first (tool-lookup.ts), and how often at most. @default 1000 (ms); 0 turns it off
   */
  readonly lookupIntervalMs?: number;
  /**
   * The longest streaming answer, in seconds (`service.streamingTimeoutSeconds`, the load balancer's idle
   * timeout): the server's keep-alive outlasts it by 5 s, so the load balancer never reuses a connection
   * the enforcement point has just closed (a 502). @default 300
   */
  readonly streamingTimeoutSeconds?: number;
  /** The clock, epoch milliseconds (the write limit's window). @default Date.now */
  readonly now?: () => number;
}

/**
 * The HTTP server's timeouts for a streaming limit, in milliseconds, as the reference server sets them:
 * keep-alive 5 s beyond the limit (longer than the load balancer's idle timeout), headers 1 s beyond
 * keep-alive, the whole request (receiving it, not the answer) 5 s beyond that (Node requires
 * headersTimeout <= requestTimeout). No socket inactivity timeout: a stream may be silent while a tool works.
 */
export function serverTimeouts(streamingTimeoutSeconds: number): { keepAliveTimeout: number; headersTimeout: number; requestTimeout: number } {
  const keepAliveTimeout = (streamingTimeoutSeconds + 5) * 1000;
  const headersTimeout = keepAliveTimeout + 1000;
  return { keepAliveTimeout, headersTimeout, requestTimeout: headersTimeout + 5000 };
}

/** How long an idle connection to the server stays pooled, ms: under Node's default server keep-alive (5 s). */
const FREE_SOCKET_MS = 4_000;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);
const JSON_TYPE = { 'content-type': 'application/json' };

/** One gated message of a POST and the policy's answer. */
interface Gate {
  readonly message: Inbound;
  decision: Decision;
  /** The error this message gets when the POST is refused. */
  error?: ErrorResponse;
}

/** Creates the enforcement point's HTTP server (not yet listening). */
export function createEnforcementPoint(options: EnforcementPointOptions): Server {
  const { policy, upstream } = options;
  const mcpPaths = options.mcpPaths ?? ['/mcp'];
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const audit = options.audit ?? stdoutAudit;
  const errorLog = options.errorLog ?? ((m: string) => process.stderr.write(`enforcement point: ${m}\n`));
  const limit = options.writesPerMinute !== undefined ? new WriteLimit(options.writesPerMinute, options.now) : undefined;
  const agent = new Agent({ keepAlive: true });
  // An idle pooled connection is closed after FREE_SOCKET_MS, before a server with Node's default
  // keep-alive (5 s) closes it: a request never races the server's close of the connection it reuses.
  // One 'timeout' listener per connection (setTimeout's callback form would add one per reuse).
  const idle = new WeakSet<Socket>();
  const watched = new WeakSet<Socket>();
  agent.on('free', (socket: Socket) => {
    if (!watched.has(socket)) {
      watched.add(socket);
      socket.on('timeout', () => {
        if (idle.has(socket)) socket.destroy();
      });
    }
    idle.add(socket);
    socket.setTimeout(FREE_SOCKET_MS);
  });
  const lookupInterval = options.lookupIntervalMs ?? 1_000;
  const lookup = lookupInterval > 0
    ? new ToolLookup(upstream, agent, (tool) => policy.learn(tool.name, tool.annotations), errorLog, lookupInterval, options.now)
    : undefined;
  const isMcp = (path: string) => path !== options.healthPath && mcpPaths.some((p) => path === p || path.startsWith(`${p}/`));

  const server = createServer((req, res) => {
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0];
    if (!isMcp(path)) {
      forward(req, res, undefined, undefined);
      return;
    }
    const caller = callerFromHeaders(req.headersDistinct);
    const requestId = firstHeader(req, 'x-request-id') ?? firstHeader(req, 'x-amzn-trace-id') ?? randomUUID();
    const event = (fields: Omit<AuditEvent, 'time' | 'agentId' | 'agentType' | 'role' | 'requestId' | 'durationMs'>): void =>
      audit({ time: new Date().toISOString(), agentId: caller.agentId, agentType: caller.agentType, role: caller.role, requestId, durationMs: round(performance.now() - started), ...fields });

    if (caller.agentId === '') {
      event({ event: 'mcp.request', method: `HTTP ${req.method}`, decision: 'deny', reason: 'no_identity', status: 403 });
      send(res, 403, errorResponse(null, ERROR_CODES.FORBIDDEN, 'Forbidden'));
      return;
    }
    if (req.method === 'GET') {
      forward(req, res, undefined, toolListRewriter(caller));
      return;
    }
    if (req.method === 'DELETE') {
      forward(req, res, undefined, undefined);
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST, DELETE', ...JSON_TYPE }).end(JSON.stringify(errorResponse(null, ERROR_CODES.INVALID_REQUEST, 'Method not allowed')));
      return;
    }

    readBody(req, maxBodyBytes, async (body) => {
      if (body === undefined) {
        event({ event: 'mcp.malformed', decision: 'deny', reason: 'body_too_large', status: 413 });
        send(res, 413, errorResponse(null, ERROR_CODES.INVALID_REQUEST, 'Request body too large'));
        return;
      }
      const parsed = parseBody(body.toString('utf8'));
      if (!parsed.ok) {
        event({ event: 'mcp.malformed', decision: 'deny', reason: parsed.error.error.code === ERROR_CODES.PARSE_ERROR ? 'parse_error' : 'invalid_request', status: 400 });
        send(res, 400, parsed.error);
        return;
      }
      if (lookup && parsed.messages.some((m) => m.kind === 'tool_call' && !policy.classify(m.tool))) {
        await lookup.refresh(req.url ?? path, req.headers);
        if (res.destroyed) return;
      }
      const gates = parsed.messages.map((message) => gate(caller, message));
      // A batch has no top-level `/method` for the WAF's write count to see: write tool calls travel alone.
      if (parsed.batch) {
        for (const g of gates) if (g.decision.allowed && g.decision.toolClass?.write) g.decision = { allowed: false, reason: 'write_in_batch', toolClass: g.decision.toolClass };
      }
      let status = 200;
      let retryAfter: number | undefined;
      let refused = gates.some((g) => !g.decision.allowed);
      if (!refused && limit) {
        const writes = gates.filter((g) => g.decision.toolClass?.write).length;
        const answer = writes > 0 ? limit.take(caller.agentId, writes) : { ok: true as const };
        if (!answer.ok) {
          refused = true;
          status = 429;
          retryAfter = answer.retryAfterSeconds;
          for (const g of gates) {
            if (g.decision.toolClass?.write) {
              g.decision = { allowed: false, reason: 'write_limit', toolClass: g.decision.toolClass };
              g.error = errorResponse(idOfInbound(g.message) ?? null, ERROR_CODES.WRITE_LIMITED, 'Too many write tool calls; retry later');
            }
          }
        }
      }
      if (gates.some((g) => g.message.kind === 'invalid')) status = 400;
      if (refused) {
        for (const g of gates) {
          if (g.decision.allowed) g.decision = { allowed: false, reason: 'batch_refused', toolClass: g.decision.toolClass };
          const id = idOfInbound(g.message);
          if (!g.error && id !== undefined) g.error = errorResponse(id, ERROR_CODES.FORBIDDEN, REFUSAL_MESSAGES[g.decision.reason] ?? 'Forbidden');
          auditGate(event, g, status);
        }
        const errors = gates.flatMap((g) => (g.error ? [g.error] : []));
        send(res, status, parsed.batch ? errors : errors[0] ?? errorResponse(null, ERROR_CODES.FORBIDDEN, 'Forbidden'), retryAfter);
        return;
      }
      const listsTools = gates.some((g) => g.message.kind === 'request' && g.message.method === 'tools/list');
      forward(req, res, body, listsTools ? toolListRewriter(caller) : undefined, (upstreamStatus) => {
        for (const g of gates) auditGate(event, g, upstreamStatus);
      });
    }, () => res.destroy());
  });
  Object.assign(server, serverTimeouts(options.streamingTimeoutSeconds ?? 300));
  return server;

  /** The policy's answer for one message; invalid messages carry their own error. */
  function gate(caller: Caller, message: Inbound): Gate {
    switch (message.kind) {
      case 'invalid':
        return { message, decision: { allowed: false, reason: 'missing_permission' }, error: message.error };
      case 'tool_call':
        return { message, decision: policy.decideToolCall(caller, message.tool) };
      case 'request':
        return { message, decision: policy.decideRequest(caller, message.method) };
      default:
        return { message, decision: { allowed: true, reason: 'granted' } };
    }
  }

  function auditGate(event: (fields: Omit<AuditEvent, 'time' | 'agentId' | 'agentType' | 'role' | 'requestId' | 'durationMs'>) => void, g: Gate, status: number): void {
    const m = g.message;
    const decision = g.decision.allowed ? 'allow' : 'deny';
    const toolClass = g.decision.toolClass;
    if (m.kind === 'tool_call') {
      event({ event: 'tool.call', tool: m.tool, decision, reason: g.decision.reason, rpcId: m.id, argumentBytes: m.argumentBytes, status,
        ...(toolClass ? { classifiedBy: toolClass.source, permission: toolClass.permission } : {}) });
    } else if (m.kind === 'request' && (!g.decision.allowed || AUDITED_METHODS.has(m.method))) {
      event({ event: 'mcp.request', method: m.method, decision, reason: g.decision.reason, rpcId: m.id, status, permission: policy.permissionForMethod(m.method) });
    } else if (m.kind === 'invalid') {
      event({ event: 'mcp.malformed', decision: 'deny', reason: m.error.error.code === ERROR_CODES.INVALID_PARAMS ? 'invalid_params' : 'invalid_request', rpcId: m.error.id, status });
    }
  }

  /** The SSE/JSON rewriter that keeps only the tools `caller` may call in `tools/list` results and learns their annotations. */
  function toolListRewriter(caller: Caller): (message: unknown) => unknown {
    return (message) => filterToolList(message, (tool) => policy.decideToolCall(caller, tool).allowed, (tool) => policy.learn(tool.name, tool.annotations));
  }

  /**
   * Sends the request to the server: `body` when the POST was read, else the request streamed. With
   * `rewrite`, JSON answers are read whole and rewritten, SSE answers event by event; otherwise piped.
   */
  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer | undefined, rewrite: ((message: unknown) => unknown) | undefined, done?: (status: number) => void): void {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      // accept-encoding is dropped so that the answers the policy reads are never compressed.
      if (!HOP_BY_HOP.has(name) && name !== 'accept-encoding' && value !== undefined) headers[name] = value;
    }
    headers.host = upstream.host;
    if (body !== undefined) headers['content-length'] = String(body.length);
    else if (req.headers['content-length'] !== undefined) headers['content-length'] = req.headers['content-length'];
    else if (req.headers['transfer-encoding'] !== undefined) headers['transfer-encoding'] = 'chunked';
    const up = httpRequest({ protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent });
    // In use, a connection has no inactivity timeout: a stream may be silent while a tool works.
    up.on('socket', (socket) => {
      idle.delete(socket);
      socket.setTimeout(0);
    });
    let finished = false;
    let answered = 0;
    const finish = (status: number) => {
      if (finished) return;
      finished = true;
      done?.(status);
    };
    // The caller went away (an SSE stream closed, or before the server answered): stop the server's
    // side too. The decision is audited either way; 499 when the server had not answered.
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
      finish(answered || 499);
    });
    up.on('response', (answer) => {
      const status = answer.statusCode ?? 502;
      answered = status;
      const out: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
      const type = String(answer.headers['content-type'] ?? '').toLowerCase();
      if (rewrite && type.startsWith('text/event-stream')) {
        res.writeHead(status, out);
        res.flushHeaders();
        answer.setEncoding('utf8');
        const rewriter = createSseRewriter(rewrite, (text) => res.write(text), errorLog);
        answer.on('data', (chunk: string) => rewriter.feed(chunk));
        answer.on('end', () => res.end());
      } else if (rewrite && type.startsWith('application/json')) {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          let text = Buffer.concat(chunks).toString('utf8');
          try {
            const json: unknown = JSON.parse(text);
            const next = rewrite(json);
            if (next !== json) text = JSON.stringify(next);
          } catch {
            // Not JSON: nothing the policy can read, and no tools/list result; passed as is.
          }
          out['content-length'] = String(Buffer.byteLength(text));
          res.writeHead(status, out).end(text);
        });
      } else {
        if (answer.headers['content-length'] !== undefined) out['content-length'] = answer.headers['content-length'];
        res.writeHead(status, out);
        if (type.startsWith('text/event-stream')) res.flushHeaders();
        answer.pipe(res);
      }
      answer.on('error', () => res.destroy());
    });
    up.on('error', (error) => {
      errorLog(`upstream ${req.method} ${req.url}: ${error.message}`);
      finish(502);
      if (!res.headersSent) send(res, 502, errorResponse(null, ERROR_CODES.INVALID_REQUEST, 'Bad gateway'));
      else res.destroy();
    });
    if (body !== undefined) up.end(body);
    else req.pipe(up);
  }
}

/** Refusal messages that say more than "Forbidden" (never which permission is missing). */
const REFUSAL_MESSAGES: Readonly<Record<string, string>> = {
  batch_refused: 'Not executed: another message of the batch was refused',
  write_in_batch: 'Write tool calls cannot be batched: send each on its own',
};

/** Methods whose allowed requests are audited too (reads of prompts and resources, RBAC-2). */
const AUDITED_METHODS = new Set(['prompts/get', 'resources/read', 'resources/subscribe', 'resources/unsubscribe']);

function idOfInbound(m: Inbound): string | number | null | undefined {
  if (m.kind === 'tool_call' || m.kind === 'request') return m.id;
  if (m.kind === 'invalid') return m.error.id;
  return undefined;
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.length <= 256 ? s : undefined;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function send(res: ServerResponse, status: number, body: unknown, retryAfter?: number): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...JSON_TYPE, 'content-length': String(Buffer.byteLength(text)), ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}) }).end(text);
}

/** Reads a body up to `max` bytes; `undefined` when larger (the rest is drained). */
function readBody(req: IncomingMessage, max: number, done: (body: Buffer | undefined) => Promise<void>, failed: () => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > max) tooLarge = true;
    else chunks.push(chunk);
  });
  req.on('end', () => {
    done(tooLarge ? undefined : Buffer.concat(chunks)).catch(failed);
  });
  req.on('error', failed);
}
