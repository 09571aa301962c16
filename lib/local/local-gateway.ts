/**
 * The local gateway: what API Gateway (REST API, Lambda REQUEST authorizer, HTTP proxy integration)
 * does in front of the MCP server, on loopback, for development and end-to-end tests. Per request it
 * builds the authorizer event, calls the authorizer, applies the returned policy with API Gateway's
 * cache, overwrites the identity headers from the authorizer context, adds the security headers and
 * proxies to the server, streaming (SSE included).
 *
 * It answers CORS as the edge does (preflight, the Origin check of the web ACL, CORS headers on every
 * response), holds streaming routes open for `streamingTimeoutSeconds` and other routes for the
 * integration timeout (29 s), and passes `Mcp-Session-Id` both ways.
 *
 * Of the WAF it emulates the credentials-in-query rule, with the definition the WAF and the authorizer
 * share (EDGE-3), and the Origin check; not rate limits, managed rules or body size. No TLS, stage
 * throttling or usage plans; see reference-server/README.md.
 *
 * It forwards only to its configured upstream: a request target must be origin-form (`/path?query`,
 * RFC 9112 section 3.2.1); an absolute-form target (`GET http://other-host/…`) is refused (400), so
 * it is never an open proxy. A path is never normalized: dot segments, empty segments, backslashes and
 * encoded dots, slashes, backslashes or percents are refused (400) before any route matching.
 */
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { QueryCredentialCheck } from '../../lambda/authorizer/query-credentials';
import { isCanonicalPath } from '../../lambda/authorizer/route-policy';
import { EXPOSED_RESPONSE_HEADERS, GATEWAY_SECURITY_HEADERS, LOAD_BALANCER_SECURITY_HEADERS } from '../constructs/edge/security-headers';
import { AuthorizerCache } from './authorizer-cache';
import { buildAuthorizerEvent, methodArn } from './authorizer-event';
import { AuthorizerConfigurationError, type AuthorizerResult, evaluatePolicy, parseAuthorizerResult } from './policy-evaluation';

/** The authorizer as API Gateway calls it: the event in, the answer (or a thrown `Unauthorized`) out. */
export type AuthorizeFunction = (event: APIGatewayRequestAuthorizerEvent) => Promise<unknown>;

/** The path of the OAuth protected-resource metadata (RFC 9728) the gateway serves without auth. */
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

/** Props of the local gateway. */
export interface LocalGatewayProps {
  /** The authorizer, called with the REQUEST event exactly as API Gateway calls the Lambda function. */
  readonly authorize: AuthorizeFunction;
  /** The MCP server's base URL, e.g. `http://127.0.0.1:8080`. */
  readonly upstream: URL;
  /**
   * The authorizer's identity sources (header names). Every one must be present and non-empty or the
   * gateway answers 401 without calling the authorizer; their values are the cache key. May be empty
   * only when the cache is off.
   */
  readonly identitySources: readonly string[];
  /**
   * Route paths of the API (`rbac.routes` paths): each P has `ANY P` and `ANY P/{proxy+}` behind the
   * authorizer. Any other path gets 403 without calling the authorizer, as API Gateway answers a
   * path it has no resource for. @default - every path goes to the authorizer
   */
  readonly routePaths?: readonly string[];
  /** Authorizer result cache TTL in seconds; 0 turns the cache off. */
  readonly cacheTtlSeconds: number;
  /** Credential headers removed before the request reaches the server (it never needs them). */
  readonly credentialHeaders: readonly string[];
  /** The unauthenticated health path, proxied as is (WORK-2). @default '/health' */
  readonly healthPath?: string;
  /**
   * Identity headers the server receives: header name -> authorizer context key (AUTH-7). Every
   * `X-Mcp-*` header the client sent is dropped first.
   */
  readonly identityHeaders: Readonly<Record<string, string>>;
  /**
   * The protected-resource metadata (RFC 9728) served at PROTECTED_RESOURCE_PATH, given the gateway's base URL.
   * @default - `{ resource: <base>/mcp, bearer_methods_supported: ['header'] }`
   */
  readonly protectedResourceMetadata?: (baseUrl: string) => Readonly<Record<string, unknown>>;
  /** Receives one access-log object per request; never holds a credential. @default - no access log */
  readonly accessLog?: (entry: AccessLogEntry) => void;
  /** Receives the detail of 5xx answers (the client only sees a generic message). @default - stderr */
  readonly errorLog?: (message: string) => void;
  /** The clock in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** The issued token prefix, for the query-string credential check (EDGE-3). @default 'mcp_' */
  readonly tokenPrefix?: string;
  /**
   * Browser origins allowed by CORS (`cors.allowedOrigins`). A request whose `Origin` is another origin gets
   * 403 without CORS headers (the web ACL's `BlockDisallowedOrigin`); an allowed one gets the preflight
   * answer and `Access-Control-Allow-Origin` on every response. @default - no CORS
   */
  readonly corsAllowedOrigins?: readonly string[];
  /** Request headers a preflight allows. @default - the MCP headers and the credential headers */
  readonly corsAllowedHeaders?: readonly string[];
  /** How long a browser caches a preflight answer, in seconds. @default 600 */
  readonly corsMaxAgeSeconds?: number;
  /** Route paths whose responses stream (the MCP routes); each matches itself and its subpaths. @default - none */
  readonly streamingPaths?: readonly string[];
  /** How long a streaming route's response may last, in seconds (`service.streamingTimeoutSeconds`). @default 300 */
  readonly streamingTimeoutSeconds?: number;
  /** How long any other route's response may take, in seconds (API Gateway's integration timeout). @default 29 */
  readonly integrationTimeoutSeconds?: number;
}

/** One access-log line of the local gateway. */
export interface AccessLogEntry {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** `public`, `cache` (the cached answer was reused), `authorizer` or `missing_identity`. */
  readonly authorization: 'public' | 'cache' | 'authorizer' | 'missing_identity';
  readonly principalId?: string;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

/** Headers on every proxied response: the load balancer's four, plus the two API Gateway's own responses add (EDGE-4). */
const PROXIED_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Strict-Transport-Security': LOAD_BALANCER_SECURITY_HEADERS.strict_transport_security,
  'Content-Security-Policy': LOAD_BALANCER_SECURITY_HEADERS.content_security_policy,
  'X-Content-Type-Options': LOAD_BALANCER_SECURITY_HEADERS.x_content_type_options,
  'X-Frame-Options': LOAD_BALANCER_SECURITY_HEADERS.x_frame_options,
  'Referrer-Policy': GATEWAY_SECURITY_HEADERS['Referrer-Policy'],
  'Permissions-Policy': GATEWAY_SECURITY_HEADERS['Permissions-Policy'],
};

/** Creates (does not start) the local gateway; `listen(port, '127.0.0.1')` on the result. */
export function createLocalGateway(props: LocalGatewayProps): Server {
  const now = props.now ?? Date.now;
  const cache = new AuthorizerCache(props.cacheTtlSeconds, now);
  const healthPath = props.healthPath ?? '/health';
  const identityHeaders = props.identityHeaders;
  const metadata = props.protectedResourceMetadata ?? ((base: string) => ({ resource: `${base}/mcp`, bearer_methods_supported: ['header'] }));
  const dropped = new Set([...props.credentialHeaders.map((h) => h.toLowerCase()), ...Object.keys(identityHeaders).map((h) => h.toLowerCase())]);
  const errorLog = props.errorLog ?? ((m: string) => process.stderr.write(`local gateway: ${m}\n`));
  const queryCredentials = new QueryCredentialCheck(props.tokenPrefix ?? 'mcp_');

  if (cache.enabled && props.identitySources.length === 0) {
    throw new Error(`identitySources must name at least one header when cacheTtlSeconds is above 0 (API Gateway keys its cache on them), got ${props.cacheTtlSeconds} seconds and none`);
  }
  const routed = (path: string) => props.routePaths === undefined || props.routePaths.some((p) => path === p || path.startsWith(`${p}/`));
  const origins = new Set(props.corsAllowedOrigins ?? []);
  const streamingPaths = props.streamingPaths ?? [];
  const streams = (path: string) => streamingPaths.some((p) => path === p || path.startsWith(`${p}/`));
  const streamingMs = (props.streamingTimeoutSeconds ?? 300) * 1000;
  const integrationMs = (props.integrationTimeoutSeconds ?? 29) * 1000;
  const allowedHeaders = props.corsAllowedHeaders ?? ['content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id', ...props.credentialHeaders];

  const server = createServer((req, res) => {
    const requestId = randomUUID();
    // The raw request target, never resolved against a base URL (that would normalize `/a/../b`).
    const target = req.url ?? '';
    const queryAt = target.indexOf('?');
    const path = queryAt === -1 ? target : target.slice(0, queryAt);
    const rawQuery = queryAt === -1 ? '' : target.slice(queryAt + 1);
    const method = req.method ?? 'GET';
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const log = (status: number, authorization: AccessLogEntry['authorization'], principalId?: string) =>
      props.accessLog?.({ requestId, method, path, status, authorization, ...(principalId ? { principalId } : {}) });
    const origin = lastHeaderValue(req.headers.origin);
    // CORS headers for an allowed origin, on every response (the gateway's own, proxied, preflight).
    const cors: OutgoingHttpHeaders = origins.size === 0 ? {} : {
      'Vary': 'Origin',
      ...(origins.has(origin) ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_RESPONSE_HEADERS.join(', ') } : {}),
    };

    // The gateway's own answers, as the edge's gateway responses write them (EDGE-4, EDGE-7).
    const respond = (status: number, message: string, extra: OutgoingHttpHeaders = {}) => {
      res.writeHead(status, { ...GATEWAY_SECURITY_HEADERS, ...cors, 'Content-Type': 'application/json', 'X-Amzn-RequestId': requestId, ...extra }).end(JSON.stringify({ message, requestId }));
    };

    if (origins.size > 0 && origin !== '' && !origins.has(origin)) {
      // The web ACL's BlockDisallowedOrigin: a 403 no browser page may read.
      res.writeHead(403, { ...GATEWAY_SECURITY_HEADERS, 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'Forbidden' }));
      log(403, 'public');
      return;
    }
    if (method === 'OPTIONS' && origins.size > 0 && req.headers['access-control-request-method'] !== undefined) {
      // The CORS preflight API Gateway answers itself (a MOCK on every resource), never authorized.
      res.writeHead(204, {
        ...cors,
        'Access-Control-Allow-Methods': 'GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS',
        'Access-Control-Allow-Headers': allowedHeaders.join(','),
        'Access-Control-Max-Age': String(props.corsMaxAgeSeconds ?? 600),
      }).end();
      log(204, 'public');
      return;
    }
    const unauthorized = (authorization: AccessLogEntry['authorization']) => {
      respond(401, 'Unauthorized', { 'WWW-Authenticate': `Bearer resource_metadata="${baseUrl}${PROTECTED_RESOURCE_PATH}"` });
      log(401, authorization);
    };

    if (!target.startsWith('/') || !isCanonicalPath(path) || /[*?#]/.test(path)) {
      // Absolute-form or authority-form targets (an open proxy) and paths a router could resolve to another route.
      respond(400, 'Bad Request');
      log(400, 'public');
      return;
    }
    if (queryCredentials.carriedBy(rawQuery)) {
      // The WAF's BlockCredentialsInQuery rule answers 400 before API Gateway sees the request.
      respond(400, 'Bad Request', {});
      log(400, 'public');
      return;
    }

    const publicPath = path === PROTECTED_RESOURCE_PATH || path === healthPath;
    if ((publicPath && method !== 'GET') || (!publicPath && !routed(path))) {
      // No such resource or method: API Gateway's MISSING_AUTHENTICATION_TOKEN (the edge answers 404), before any authorizer.
      respond(404, 'Not Found');
      log(404, 'public');
      return;
    }
    if (path === PROTECTED_RESOURCE_PATH) {
      res.writeHead(200, { ...GATEWAY_SECURITY_HEADERS, ...cors, 'Cache-Control': 'max-age=300', 'Content-Type': 'application/json', 'X-Amzn-RequestId': requestId }).end(JSON.stringify(metadata(baseUrl)));
      log(200, 'public');
      return;
    }
    if (path === healthPath) {
      proxy(req, res, forwardedHeaders(req.headers, dropped, requestId), props.upstream, { cors, timeoutMs: integrationMs }, (status) => log(status, 'public'), errorLog, respond);
      return;
    }

    // API Gateway checks that every identity source is present and non-empty before it calls the authorizer.
    const identity = props.identitySources.map((name) => lastHeaderValue(req.headers[name.toLowerCase()]));
    if (identity.some((v) => v === '')) return unauthorized('missing_identity');

    const authorize = async (): Promise<{ result: AuthorizerResult; from: 'cache' | 'authorizer' } | 'unauthorized'> => {
      const cached = cache.get(identity);
      if (cached) return { result: cached, from: 'cache' };
      const event = buildAuthorizerEvent({ method, url: req.url ?? '/', rawHeaders: req.rawHeaders, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', requestId, receivedAt: now() });
      let answer: unknown;
      try {
        answer = await props.authorize(event);
      } catch (error) {
        if (error instanceof Error && error.message === 'Unauthorized') return 'unauthorized';
        throw error;
      }
      const result = parseAuthorizerResult(answer);
      cache.put(identity, result);
      return { result, from: 'authorizer' };
    };

    authorize().then(
      (outcome) => {
        if (outcome === 'unauthorized') return unauthorized('authorizer');
        const { result, from } = outcome;
        if (evaluatePolicy(result.statements, methodArn(method, path)) !== 'allow') {
          // The ACCESS_DENIED response maps the authorizer's challenge (RFC 6750 insufficient_scope).
          const challenge = result.context.wwwAuthenticate;
          respond(403, 'Forbidden', { 'WWW-Authenticate': typeof challenge === 'string' && challenge !== '' ? challenge : `Bearer error="insufficient_scope", resource_metadata="${baseUrl}${PROTECTED_RESOURCE_PATH}"` });
          log(403, from, result.principalId);
          return;
        }
        const headers = forwardedHeaders(req.headers, dropped, requestId);
        for (const [header, key] of Object.entries(identityHeaders)) {
          const value = result.context[key];
          if (value !== undefined) headers[header] = String(value);
        }
        proxy(req, res, headers, props.upstream, { cors, timeoutMs: streams(path) ? streamingMs : integrationMs }, (status) => log(status, from, result.principalId), errorLog, respond);
      },
      (error: unknown) => {
        const kind = error instanceof AuthorizerConfigurationError ? 'authorizer answer refused' : 'authorizer failed';
        errorLog(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
        respond(500, 'Internal error');
        log(500, 'authorizer');
      },
    );
  });
  // No socket inactivity timeout: a streaming tool call may be silent; the per-request timeouts above apply.
  server.timeout = 0;
  return server;
}

function lastHeaderValue(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return (v ?? '').trim();
}

/** The client's headers minus hop-by-hop, credential, `X-Mcp-*` and request-id headers, plus the gateway's request id. */
function forwardedHeaders(incoming: IncomingHttpHeaders, dropped: ReadonlySet<string>, requestId: string): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || dropped.has(name) || name.startsWith('x-mcp-') || name === 'x-request-id') continue;
    headers[name] = value;
  }
  headers['X-Request-Id'] = requestId;
  return headers;
}

/** Streams the request to the server and its answer back, without buffering (SSE flows as it comes). */
function proxy(
  req: IncomingMessage,
  res: ServerResponse,
  headers: OutgoingHttpHeaders,
  upstream: URL,
  options: { readonly cors: OutgoingHttpHeaders; readonly timeoutMs: number },
  done: (status: number) => void,
  errorLog: (message: string) => void,
  respond: (status: number, message: string) => void,
): void {
  // Origin-form only (checked by the caller): the target is the configured upstream's host and port
  // with the request's own path and query, never a host taken from the request.
  const corsNames = new Set(Object.keys(options.cors).map((h) => h.toLowerCase()));
  // API Gateway's integration timeout: before the headers a 504, after them the stream is cut.
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    errorLog(`upstream ${upstream.origin} exceeded the integration timeout (${options.timeoutMs} ms)`);
    outgoing.destroy();
    if (!res.headersSent) {
      respond(504, 'Endpoint request timed out');
      done(504);
    } else {
      res.destroy();
    }
  }, options.timeoutMs);
  timer.unref();
  const outgoing = httpRequest({ protocol: upstream.protocol, hostname: upstream.hostname, port: upstream.port, path: req.url ?? '/', method: req.method, headers }, (answer) => {
    const responseHeaders: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name) && !corsNames.has(name)) responseHeaders[name] = value;
    }
    res.writeHead(answer.statusCode ?? 502, { ...responseHeaders, ...PROXIED_SECURITY_HEADERS, ...options.cors });
    res.flushHeaders();
    answer.pipe(res);
    answer.on('end', () => {
      clearTimeout(timer);
      done(answer.statusCode ?? 502);
    });
  });
  outgoing.on('error', (error) => {
    clearTimeout(timer);
    if (timedOut) return;
    errorLog(`upstream ${upstream.origin} failed: ${error.message}`);
    if (!res.headersSent) {
      respond(502, 'Internal error');
      done(502);
    } else {
      res.destroy();
    }
  });
  res.on('close', () => {
    clearTimeout(timer);
    if (!outgoing.writableEnded || !res.writableFinished) outgoing.destroy();
  });
  req.pipe(outgoing);
}
