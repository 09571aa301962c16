/**
 * The local perimeter's MCP enforcement point: the same code as the deployed sidecar
 * (enforcement-point/), configured from the same config, between the local gateway and the MCP server.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuditSink } from '../../enforcement-point/src/audit';
import { createEnforcementPoint } from '../../enforcement-point/src/enforcement-point';
import { ToolPolicy } from '../../enforcement-point/src/policy';
import type { PerimeterConfig } from '../config';
import { enforcementPointSettingsFromConfig } from '../constructs/service/enforcement-point-container';

/** A running local enforcement point. */
export interface LocalEnforcementPoint {
  /** Its base URL on 127.0.0.1. */
  readonly url: string;
  /** The policy, with what it has learnt of the server's tools. */
  readonly policy: ToolPolicy;
  /** Stops it. */
  close(): Promise<void>;
}

/** Starts the enforcement point on 127.0.0.1 (any free port) in front of `upstream`. */
export async function startLocalEnforcementPoint(options: {
  readonly config: PerimeterConfig;
  readonly upstream: URL;
  readonly audit?: AuditSink;
  readonly errorLog?: (message: string) => void;
  readonly now?: () => number;
}): Promise<LocalEnforcementPoint> {
  const settings = enforcementPointSettingsFromConfig(options.config);
  const policy = new ToolPolicy(settings);
  const server: Server = createEnforcementPoint({
    upstream: options.upstream,
    policy,
    mcpPaths: settings.mcpPaths,
    ...(settings.healthPath !== undefined ? { healthPath: settings.healthPath } : {}),
    ...(settings.streamingTimeoutSeconds !== undefined ? { streamingTimeoutSeconds: settings.streamingTimeoutSeconds } : {}),
    ...(settings.writesPerMinute !== undefined ? { writesPerMinute: settings.writesPerMinute } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.errorLog ? { errorLog: options.errorLog } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  server.listen(0, '127.0.0.1');
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    policy,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
