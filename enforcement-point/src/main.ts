/**
 * The container's entry point. Environment:
 * - `PORT`: the port the enforcement point listens on (the load balancer's target). @default 18080
 * - `UPSTREAM_PORT`: the MCP server's port on 127.0.0.1 in the same task. @default 8080
 * - `PEP_POLICY`: the policy as JSON (settings.ts). Required.
 */
import { createEnforcementPoint } from './enforcement-point';
import { ToolPolicy } from './policy';
import { ENFORCEMENT_POINT_PORT, parseSettings } from './settings';

function port(name: string, value: string | undefined, fallback: number): number {
  const n = Number(value ?? String(fallback));
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be an integer from 1 to 65535, got '${value}'`);
  return n;
}

const settings = parseSettings(process.env.PEP_POLICY);
const listenPort = port('PORT', process.env.PORT, ENFORCEMENT_POINT_PORT);
const upstreamPort = port('UPSTREAM_PORT', process.env.UPSTREAM_PORT, 8080);
if (listenPort === upstreamPort) throw new Error(`PORT and UPSTREAM_PORT must differ, both are ${listenPort}`);
const server = createEnforcementPoint({
  upstream: new URL(`http://127.0.0.1:${upstreamPort}`),
  policy: new ToolPolicy(settings),
  mcpPaths: settings.mcpPaths,
  ...(settings.healthPath !== undefined ? { healthPath: settings.healthPath } : {}),
  ...(settings.streamingTimeoutSeconds !== undefined ? { streamingTimeoutSeconds: settings.streamingTimeoutSeconds } : {}),
  ...(settings.writesPerMinute !== undefined ? { writesPerMinute: settings.writesPerMinute } : {}),
});
server.listen(listenPort, () => {
  process.stdout.write(`${JSON.stringify({ level: 'info', message: 'listening', port: listenPort, upstreamPort })}\n`);
});

// ECS sends SIGTERM on scale-in and deploys: finish open requests, then exit.
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 10_000).unref();
});
