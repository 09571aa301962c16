/**
 * The local perimeter: the reference MCP server and the local gateway on loopback, with the real
 * authorizer between them, configured from the same `PerimeterConfig` as the deployed stacks (the
 * authorizer settings and the identity sources come from the functions the stacks use). `npm run local`
 * and the end-to-end tests both start it through `startLocalPerimeter`.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Duration } from 'aws-cdk-lib';
import type { AuditLog } from '../../lambda/authorizer/audit';
import { createAuthorizer } from '../../lambda/authorizer/authorizer';
import { validateAuthorizerSettings } from '../../lambda/authorizer/settings';
import type { AuditSink } from '../../reference-server/src/audit';
import { createReferenceServer } from '../../reference-server/src/http-server';
import type { PerimeterConfig } from '../config';
import { authorizerSettingsFromConfig } from '../constructs/authorizer/authorizer-settings';
import { authorizerIdentity } from '../constructs/authorizer/perimeter-authorizer';
import { IDENTITY_HEADERS } from '../constructs/edge/perimeter-api';
import { mcpRoutePaths } from '../constructs/edge/mcp-routes';
import { protectedResourceMetadata } from '../constructs/edge/protected-resource-metadata';
import { type AccessLogEntry, createLocalGateway } from './local-gateway';
import { LocalTokenStore } from './local-token-store';
import { type LocalEnforcementPoint, startLocalEnforcementPoint } from './local-enforcement-point';
import type { AuditSink as EnforcementPointAuditSink } from '../../enforcement-point/src/audit';

/** Options of the local perimeter. */
export interface LocalPerimeterOptions {
  /** The validated config; `auth.jwt` is ignored (opaque tokens only). */
  readonly config: PerimeterConfig;
  /** The folder of token records (`<tokenId>.json`). */
  readonly tokenDirectory: string;
  /** The gateway's port on 127.0.0.1. @default 0 (any free port) */
  readonly port?: number;
  /** The MCP server's port on 127.0.0.1. @default 0 (any free port) */
  readonly serverPort?: number;
  /** How often the authorizer reloads token records. @default config.auth.refreshSeconds */
  readonly refreshSeconds?: number;
  /** The authorizer's audit log. @default - JSON lines on stdout, as in Lambda */
  readonly authorizerAudit?: AuditLog;
  /** The MCP server's tool audit. @default - JSON lines on stdout */
  readonly serverAudit?: AuditSink;
  /** The gateway's access log. @default - none */
  readonly accessLog?: (entry: AccessLogEntry) => void;
  /** Where the detail of 5xx answers and skipped token records goes. @default - stderr */
  readonly errorLog?: (message: string) => void;
  /** The clock, epoch milliseconds, shared by the authorizer and the gateway's cache. @default Date.now */
  readonly now?: () => number;
  /** An MCP server to front instead of the reference server (`npm run local -- --upstream <url>`). @default - the reference server */
  readonly upstream?: URL;
  /** The MCP enforcement point's audit (when `rbac.tools.enforce`). @default - JSON lines on stdout */
  readonly enforcementPointAudit?: EnforcementPointAuditSink;
}

/** A running local perimeter. */
export interface LocalPerimeter {
  /** The gateway's base URL, `http://127.0.0.1:<port>`; MCP clients use `<url>/mcp`. */
  readonly url: string;
  /** The MCP server's own base URL (behind the gateway; do not call it directly except to compare). */
  readonly serverUrl: string;
  /** Issues and revokes tokens in the token folder. */
  readonly tokens: LocalTokenStore;
  /** The identity sources the gateway requires (empty when the authorizer cache is off). */
  readonly identitySources: readonly string[];
  /** The authorizer cache TTL in effect, in seconds. */
  readonly cacheTtlSeconds: number;
  /** The MCP enforcement point between the gateway and the server, when `rbac.tools.enforce`. */
  readonly enforcementPoint?: LocalEnforcementPoint;
  /** Stops the gateway and the server. */
  close(): Promise<void>;
}

const HEADER_SOURCE = 'method.request.header.';
const LOCAL_TOKEN_PATH = (stage: string) => `/mcp-perimeter/${stage}/tokens`;

/** Starts the reference server and the local gateway on 127.0.0.1. */
export async function startLocalPerimeter(options: LocalPerimeterOptions): Promise<LocalPerimeter> {
  // JWT verification needs AWS (KMS, SSM) or an IdP: the local perimeter takes opaque tokens only.
  const config: PerimeterConfig = { ...options.config, auth: { ...options.config.auth, jwt: undefined } };
  const errorLog = options.errorLog ?? ((m: string) => process.stderr.write(`local perimeter: ${m}\n`));
  const tokens = new LocalTokenStore(options.tokenDirectory, (location, problem) => errorLog(`token record skipped: ${location}: ${problem}`), () => new Date((options.now ?? Date.now)()));

  const settings = validateAuthorizerSettings({
    ...authorizerSettingsFromConfig(config, { tokenPath: LOCAL_TOKEN_PATH(config.stage) }),
    ...(options.refreshSeconds !== undefined ? { refreshSeconds: options.refreshSeconds, maxStaleSeconds: Math.max(options.refreshSeconds, config.auth.maxStaleSeconds) } : {}),
  });
  // An injected clock (tests' virtual time) is also the one that ages the authorizer's caches.
  const authorizer = createAuthorizer({ settings, tokenSource: tokens.source, now: options.now, ...(options.now ? { monotonicNow: options.now } : {}), ...(options.authorizerAudit ? { auditLog: options.authorizerAudit } : {}) });
  const identity = authorizerIdentity(config.auth.credentialHeaders, Duration.seconds(config.auth.cacheTtlSeconds));
  const identitySources = identity.identitySources.map((source) => {
    if (!source.startsWith(HEADER_SOURCE)) throw new Error(`identity source ${source} is not a header: the local gateway emulates header identity sources only`);
    return source.slice(HEADER_SOURCE.length);
  });
  const cacheTtlSeconds = identity.resultsCacheTtl.toSeconds();

  const server = options.upstream ? undefined : createReferenceServer({
    version: config.service.version,
    healthPaths: [config.service.healthPath],
    streamingTimeoutSeconds: config.service.streamingTimeoutSeconds,
    ...(options.serverAudit ? { audit: options.serverAudit } : {}),
  });
  const serverUrl = server ? await listen(server, options.serverPort ?? 0) : options.upstream!.origin;
  const pep = config.rbac.tools.enforce
    ? await startLocalEnforcementPoint({ config, upstream: new URL(serverUrl), errorLog, ...(options.enforcementPointAudit ? { audit: options.enforcementPointAudit } : {}), ...(options.now ? { now: options.now } : {}) })
    : undefined;
  const gateway = createLocalGateway({
    authorize: (event) => authorizer.handle(event),
    upstream: new URL(pep?.url ?? serverUrl),
    identitySources,
    cacheTtlSeconds,
    credentialHeaders: config.auth.credentialHeaders,
    routePaths: [...new Set(config.rbac.routes.map((r) => r.path))],
    streamingPaths: mcpRoutePaths(config.rbac.routes.map((r) => r.path)),
    streamingTimeoutSeconds: config.service.streamingTimeoutSeconds,
    corsAllowedOrigins: config.cors.allowedOrigins,
    corsMaxAgeSeconds: config.cors.maxAgeSeconds,
    healthPath: config.service.healthPath,
    tokenPrefix: config.auth.tokenPrefix,
    identityHeaders: IDENTITY_HEADERS,
    protectedResourceMetadata: (base) => {
      const deployed = protectedResourceMetadata(config);
      return { ...deployed, resource: `${base}${new URL(deployed.resource).pathname}` };
    },
    errorLog,
    ...(options.accessLog ? { accessLog: options.accessLog } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  let url: string;
  try {
    url = await listen(gateway, options.port ?? 0);
  } catch (error) {
    await Promise.all([server && close(server), pep?.close()]);
    throw error;
  }

  return {
    url,
    serverUrl,
    tokens,
    identitySources,
    cacheTtlSeconds,
    ...(pep ? { enforcementPoint: pep } : {}),
    close: async () => {
      await Promise.all([close(gateway), server && close(server), pep?.close()]);
    },
  };
}

async function listen(server: Server, port: number): Promise<string> {
  server.listen(port, '127.0.0.1');
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
