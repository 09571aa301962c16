/**
 * The container's entry point. Environment (the task definition sets all of them, see
 * lib/constructs/service/mcp-service.ts `listenEnvironment`):
 * - `LISTEN_PORTS`: comma-separated ports to listen on, every backend's port of the config; each serves
 *   the same server. @default `PORT`
 * - `PORT`: the port to listen on when `LISTEN_PORTS` is not set. @default 8080
 * - `HEALTH_PATHS`: comma-separated paths that answer the health check. @default /health
 * - `SERVICE_VERSION`: the version the health check reports. @default 0.0.0
 * - `STREAMING_TIMEOUT_SECONDS`: the perimeter's longest streaming response (keep-alive outlasts it). @default 300
 * - `CORS_ALLOWED_ORIGINS`: comma-separated browser origins to echo. @default none
 */
import { createReferenceServer } from './http-server';

/** The ports of `LISTEN_PORTS` (or `PORT`); throws naming the variable on a bad value. */
export function listenPorts(env: NodeJS.ProcessEnv): number[] {
  const name = env.LISTEN_PORTS ? 'LISTEN_PORTS' : 'PORT';
  const raw = env.LISTEN_PORTS ?? env.PORT ?? '8080';
  const ports = raw.split(',').map((v) => Number(v.trim()));
  if (ports.length === 0 || ports.some((n) => !Number.isInteger(n) || n < 1 || n > 65535)) {
    throw new Error(`${name} must be integers from 1 to 65535, comma-separated, got '${raw}'`);
  }
  return [...new Set(ports)];
}

/** The paths of `HEALTH_PATHS`; throws on a path that does not start with `/`. */
export function healthPaths(env: NodeJS.ProcessEnv): string[] {
  const raw = env.HEALTH_PATHS ?? '/health';
  const paths = raw.split(',').map((p) => p.trim());
  if (paths.some((p) => !p.startsWith('/'))) throw new Error(`HEALTH_PATHS must be absolute paths, comma-separated, got '${raw}'`);
  return paths;
}

/** `STREAMING_TIMEOUT_SECONDS`; throws naming the variable on a bad value. */
export function streamingTimeoutSeconds(env: NodeJS.ProcessEnv): number {
  const value = env.STREAMING_TIMEOUT_SECONDS;
  const n = Number(value ?? '300');
  if (!Number.isInteger(n) || n < 1 || n > 3600) throw new Error(`STREAMING_TIMEOUT_SECONDS must be an integer from 1 to 3600, got '${value}'`);
  return n;
}

function main(): void {
  const options = {
    version: process.env.SERVICE_VERSION ?? '0.0.0',
    healthPaths: healthPaths(process.env),
    streamingTimeoutSeconds: streamingTimeoutSeconds(process.env),
    corsAllowedOrigins: (process.env.CORS_ALLOWED_ORIGINS ?? '').split(',').filter((o) => o !== ''),
  };
  const servers = listenPorts(process.env).map((port) => {
    const server = createReferenceServer(options);
    server.listen(port, () => {
      process.stdout.write(`${JSON.stringify({ level: 'info', message: 'listening', port })}\n`);
    });
    return server;
  });
  // ECS sends SIGTERM on scale-in and deploys: finish open requests, then exit.
  process.on('SIGTERM', () => {
    let open = servers.length;
    for (const server of servers) server.close(() => { if (--open === 0) process.exit(0); });
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}

if (require.main === module) main();
