/**
 * The container's entry point. Environment:
 * - `PORT`: the port to listen on. @default 8080
 * - `SERVICE_VERSION`: the version `/health` reports. @default 0.0.0
 * - `STREAMING_TIMEOUT_SECONDS`: the perimeter's longest streaming response (keep-alive outlasts it). @default 300
 * - `CORS_ALLOWED_ORIGINS`: comma-separated browser origins to echo. @default none
 */
import { createReferenceServer } from './http-server';

function port(value: string | undefined): number {
  const n = Number(value ?? '8080');
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`PORT must be an integer from 1 to 65535, got '${value}'`);
  }
  return n;
}

function seconds(value: string | undefined): number {
  const n = Number(value ?? '300');
  if (!Number.isInteger(n) || n < 1 || n > 3600) throw new Error(`STREAMING_TIMEOUT_SECONDS must be an integer from 1 to 3600, got '${value}'`);
  return n;
}

const server = createReferenceServer({
  version: process.env.SERVICE_VERSION ?? '0.0.0',
  streamingTimeoutSeconds: seconds(process.env.STREAMING_TIMEOUT_SECONDS),
  corsAllowedOrigins: (process.env.CORS_ALLOWED_ORIGINS ?? '').split(',').filter((o) => o !== ''),
});
const listenPort = port(process.env.PORT);
server.listen(listenPort, () => {
  process.stdout.write(`${JSON.stringify({ level: 'info', message: 'listening', port: listenPort })}\n`);
});

// ECS sends SIGTERM on scale-in and deploys: finish open requests, then exit.
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 10_000).unref();
});
