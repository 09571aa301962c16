import { join } from 'node:path';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENFORCEMENT_POINT_PORT, type EnforcementPointSettings } from '../../../enforcement-point/src/settings';
import type { PerimeterConfig } from '../../config';
import { protectedResourceMetadata } from '../edge/protected-resource-metadata';
import { CpuArchitecture, imageAssetPlatform } from './cpu-architecture';

/** The enforcement point's container name in the task definition. */
export const ENFORCEMENT_POINT_CONTAINER_NAME = 'enforcement-point';
export { ENFORCEMENT_POINT_PORT };
/** The enforcement point's source folder (its Dockerfile), at the project root. */
export const ENFORCEMENT_POINT_DIRECTORY = join(__dirname, '..', '..', '..', 'enforcement-point');
/**
 * The largest `PEP_POLICY` value accepted, in bytes. A task definition is at most 64 KiB in all
 * (Amazon ECS service quotas, "Task definition size"); the policy keeps well under it.
 */
export const MAX_POLICY_BYTES = 16_384;

/**
 * The enforcement point's settings of a config: the tool policy (`rbac.tools`), read-only mode, the
 * per-agent write limit (`rateLimits.writesPerCredentialPerMinute`, per task) and the MCP endpoint's
 * path (the protected resource's path: `/mcp`, or the first route path) with the health path exempt.
 */
export function enforcementPointSettingsFromConfig(config: PerimeterConfig): EnforcementPointSettings {
  const t = config.rbac.tools;
  return {
    readPermission: t.readPermission,
    writePermission: t.writePermission,
    tools: t.permissions,
    methods: Object.fromEntries(Object.entries(t.methods).filter((e): e is [string, string] => e[1] !== undefined)),
    readOnly: config.auth.readOnly,
    writesPerMinute: config.rateLimits.writesPerCredentialPerMinute,
    mcpPaths: [new URL(protectedResourceMetadata(config).resource).pathname],
    healthPath: config.service.healthPath,
    streamingTimeoutSeconds: config.service.streamingTimeoutSeconds,
  };
}

/** Properties of an {@link EnforcementPointContainer}. */
export interface EnforcementPointContainerProps {
  /** The task definition the MCP server runs in. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The policy, as `enforcementPointSettingsFromConfig` gives it. */
  readonly settings: EnforcementPointSettings;
  /** The MCP server's port on 127.0.0.1 in the task. */
  readonly upstreamPort: number;
  /** Numeric non-root user, `uid` or `uid:gid` (WORK-1). */
  readonly user: string;
  /** The enforcement point's own audit log group (AUDIT-1, AUDIT-3). */
  readonly logGroup: ILogGroup;
  /** The task's CPU architecture: the image is built for it, like the server's (cpu-architecture.ts). */
  readonly cpuArchitecture: CpuArchitecture;
  /** The port it listens on. @default ENFORCEMENT_POINT_PORT (18080) */
  readonly port?: number;
  /** The image. @default - built from enforcement-point/ by `cdk deploy` */
  readonly image?: ecs.ContainerImage;
}

/**
 * The MCP policy enforcement point as a sidecar container of the MCP server's task (RBAC-2, AUTH-7,
 * AUDIT-1): it listens on the load balancer's target port and forwards to the server on 127.0.0.1 (in
 * `awsvpc` mode the containers of a task share one network namespace). The load balancer's target
 * group points at this container's port, so the security group admits the load balancer to it only:
 * nothing reaches the server except through it. Hardened like the server's container: numeric
 * non-root user, read-only root filesystem, not privileged, every Linux capability dropped, an init
 * process; its JSON audit lines go to its own log group. Essential: the task stops if it stops.
 */
export class EnforcementPointContainer extends Construct {
  /** The container definition. */
  public readonly container: ecs.ContainerDefinition;
  /** The load balancer target: this container on its port. */
  public readonly target: ecs.LoadBalancerTargetOptions;

  constructor(scope: Construct, id: string, props: EnforcementPointContainerProps) {
    super(scope, id);
    const port = props.port ?? ENFORCEMENT_POINT_PORT;
    if (port === props.upstreamPort) throw new Error(`port must differ from the server's port ${props.upstreamPort}, got ${port}`);
    if (port < 1024 || port > 65535) throw new Error(`port must be an unprivileged port (1024-65535), got ${port}`);
    const policy = JSON.stringify(props.settings);
    if (Buffer.byteLength(policy) > MAX_POLICY_BYTES) {
      throw new Error(`the enforcement point's policy must be at most ${MAX_POLICY_BYTES} bytes of JSON (the task definition is at most 64 KiB), got ${Buffer.byteLength(policy)}: group tools with globs`);
    }
    const linuxParameters = new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true });
    linuxParameters.dropCapabilities(ecs.Capability.ALL);
    this.container = props.taskDefinition.addContainer(ENFORCEMENT_POINT_CONTAINER_NAME, {
      image: props.image ?? ecs.ContainerImage.fromAsset(ENFORCEMENT_POINT_DIRECTORY, { platform: imageAssetPlatform(props.cpuArchitecture) }),
      user: props.user,
      readonlyRootFilesystem: true,
      privileged: false,
      linuxParameters,
      essential: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: 'enforcement-point' }),
      environment: {
        PORT: String(port),
        UPSTREAM_PORT: String(props.upstreamPort),
        PEP_POLICY: policy,
        NODE_ENV: 'production',
      },
      portMappings: [{ name: ENFORCEMENT_POINT_CONTAINER_NAME, containerPort: port, protocol: ecs.Protocol.TCP }],
    });
    this.target = { containerName: ENFORCEMENT_POINT_CONTAINER_NAME, containerPort: port };
  }
}
