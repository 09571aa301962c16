/**
 * The HTTP side: `GET /health` (or the configured health paths; status and version only, WORK-2) and `POST /mcp` (Streamable HTTP,
 * stateless). Plain `node:http`, no framework.
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { type AuditSink, stdoutAuditSink } from './audit';
import { callerFromHeaders } from './identity';
import { createMcpServer } from './mcp-server';
import { NoteStore } from './notes';
import { type ReferenceTool, TOOLS } from './tools';

/** Options of the reference server. */
export interface ReferenceServerOptions {
  /** The version the health paths report. */
  readonly version: string;
  /**
   * The paths that answer the health check (`GET`/`HEAD`, status and version only, WORK-2): the perimeter's
   * public health path and each backend's target-group health path.
   * @default ['/health']
   */
  readonly healthPaths?: readonly string[];
  /** Largest accepted request body in bytes. @default 262144 (256 KiB) */
  readonly maxBodyBytes?: number;
  /** The tools offered. @default TOOLS */
  readonly tools?: readonly ReferenceTool[];
  /** Note storage. @default - a new in-memory NoteStore */
  readonly notes?: NoteStore;
  /** Where tool audit events go. @default - one JSON line per event on stdout */
  readonly audit?: AuditSink;
  /** The clock. @default - the system clock */
  readonly now?: () => Date;
  /**
   * The longest streaming response the perimeter allows, in seconds (`service.streamingTimeoutSeconds`).
   * Keep-alive outlasts it, so the load balancer (idle timeout = this value) always closes an idle
   * connection first and never sends a request on a connection the server is closing (a 502).
   * @default 300
   */
  readonly streamingTimeoutSeconds?: number;
  /** Browser origins whose `Origin` is echoed in `Access-Control-Allow-Origin` (several origins: the load balancer can send one only). @default - none */
  readonly corsAllowedOrigins?: readonly string[];
}

/** The response headers a browser MCP client reads. */
const EXPOSED_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, Retry-After';

/**
 * The server's timeouts for a streaming limit of `streamingTimeoutSeconds`, in milliseconds: keep-alive 5 s
 * beyond it (longer than the load balancer's idle timeout), headers 1 s beyond keep-alive, and the whole
 * request (not the response: Node's `requestTimeout` covers receiving it) 5 s beyond that; Node requires
 * headersTimeout <= requestTimeout. No socket inactivity timeout: a stream may be silent while a tool works.
 */
export function serverTimeouts(streamingTimeoutSeconds: number): { keepAliveTimeout: number; headersTimeout: number; requestTimeout: number } {
  const keepAliveTimeout = (streamingTimeoutSeconds + 5) * 1000;
  const headersTimeout = keepAliveTimeout + 1000;
  return { keepAliveTimeout, headersTimeout, requestTimeout: headersTimeout + 5000 };
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Creates (does not start) the reference MCP server. Call `listen(port)` on the result. */
export function createReferenceServer(options: ReferenceServerOptions): HttpServer {
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const notes = options.notes ?? new NoteStore();
  const tools = options.tools ?? TOOLS;
  const audit = options.audit ?? stdoutAuditSink;
  const now = options.now ?? (() => new Date());
  const health = JSON.stringify({ status: 'ok', version: options.version });
  const healthPaths = new Set(options.healthPaths ?? ['/health']);

  async function handleMcp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too_large') return rpcError(res, 413, -32600, `request body exceeds ${maxBodyBytes} bytes`);
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      return rpcError(res, 400, -32700, 'parse error: the body is not JSON');
    }
    const requestId = req.headersDistinct['x-request-id']?.[0]?.slice(0, 128) ?? '';
    const server = createMcpServer({ caller: callerFromHeaders(req.headersDistinct), requestId, version: options.version, tools, notes, audit, now });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, message);
  }

  const allowedOrigins = new Set(options.corsAllowedOrigins ?? []);
  const server = createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin !== undefined && allowedOrigins.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    }
    if (allowedOrigins.size > 0) res.setHeader('vary', 'Origin');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = (): Promise<void> | void => {
      if (healthPaths.has(path)) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
        res.writeHead(200, { ...JSON_TYPE, 'cache-control': 'no-store' }).end(req.method === 'GET' ? health : undefined);
        return;
      }
      if (path === '/mcp') {
        // Stateless: no session to resume (GET) or end (DELETE).
        if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
        return handleMcp(req, res);
      }
      res.writeHead(404, JSON_TYPE).end(JSON.stringify({ message: 'Not Found' }));
    };
    Promise.resolve()
      .then(route)
      .catch((error: unknown) => {
        // Details go to stderr (the service log), never to the client (EDGE-7).
        process.stderr.write(`${JSON.stringify({ level: 'error', message: 'request failed', error: String(error) })}\n`);
        if (!res.headersSent) rpcError(res, 500, -32603, 'internal error');
        else res.destroy();
      });
  });
  Object.assign(server, serverTimeouts(options.streamingTimeoutSeconds ?? 300));
  server.timeout = 0;
  return server;
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.writeHead(405, { ...JSON_TYPE, allow }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'method not allowed' }, id: null }));
}

function rpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, JSON_TYPE).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/** Reads the body as UTF-8, or 'too_large' as soon as it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
