import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { listenerPaths } from './listener-paths';
import { CpuArchitecture, DEFAULT_CPU_ARCHITECTURE, taskRuntimePlatform } from './cpu-architecture';
import { EnforcementPointContainer, type EnforcementPointContainerProps } from './enforcement-point-container';

/** One backend of the MCP server: a container port, its target group and the paths it serves. */
export interface McpBackend {
  /** The backend's name (target group and port mapping are named after it). */
  readonly name: string;
  /** The container port it listens on (unprivileged: the container runs as non-root). */
  readonly containerPort: number;
  /** Route paths it serves; each matches itself and every subpath. */
  readonly paths: readonly string[];
  /** The health check path of its target group. */
  readonly healthPath: string;
}

/** Properties of an {@link McpService}. */
export interface McpServiceProps {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** Where the tasks run: private subnets, no public IP (NET-1). */
  readonly subnets: ec2.SubnetSelection;
  /** The container image. */
  readonly image: ecs.ContainerImage;
  /** The backends; the first serves the public health path. */
  readonly backends: readonly McpBackend[];
  /** The load balancer's HTTPS listener the backends are routed from. */
  readonly listener: elbv2.IApplicationListener;
  /** The unauthenticated health path the gateway forwards (WORK-2). */
  readonly healthPath: string;
  /** The version the health check reports; passed as `SERVICE_VERSION`. */
  readonly version: string;
  /** The service's log group (AUDIT-3). */
  readonly logGroup: ILogGroup;
  /** Numeric non-root user, `uid` or `uid:gid` (WORK-1). */
  readonly user: string;
  /**
   * The tasks' CPU architecture; an image asset must be built for the same one (see cpu-architecture.ts).
   * @default 'x86_64'
   */
  readonly cpuArchitecture?: CpuArchitecture;
  /** Task CPU units. @default 256 */
  readonly cpu?: number;
  /** Task memory in MiB. @default 512 */
  readonly memoryLimitMiB?: number;
  /** Tasks normally running (and the autoscaling floor). @default 2 */
  readonly desiredCount?: number;
  /** The autoscaling ceiling. @default 6 */
  readonly maxCount?: number;
  /** Operator shell access with ECS Exec (WORK-3). @default false */
  readonly enableExec?: boolean;
  /**
   * The REST API stage name, which API Gateway may put in front of the path it sends over a private
   * integration: rules for `/<stage>/<path>` forward to the same backend with the prefix rewritten away.
   * @default - no stage-prefixed rules
   */
  readonly apiStageName?: string;
  /**
   * The longest streaming response, in seconds: passed as `STREAMING_TIMEOUT_SECONDS`; the server's
   * keep-alive outlasts the load balancer's idle timeout set from the same value. @default 300
   */
  readonly streamingTimeoutSeconds?: number;
  /** Browser origins the server echoes in `Access-Control-Allow-Origin` (`CORS_ALLOWED_ORIGINS`, comma-separated). @default - none */
  readonly corsAllowedOrigins?: readonly string[];
  /** Target CPU utilization of the autoscaling policy. @default 60 */
  readonly targetCpuPercent?: number;
  /** Target requests per task per minute of the autoscaling policy. @default 600 */
  readonly targetRequestsPerTask?: number;
  /** The MCP enforcement point in front of the first backend (RBAC-2). @default - none: the load balancer reaches the server directly */
  readonly enforcementPoint?: Omit<EnforcementPointContainerProps, 'taskDefinition' | 'upstreamPort' | 'user' | 'cpuArchitecture'>;
}

/** Listener rule priorities of the backends start here. */
const FIRST_RULE_PRIORITY = 10;
/** An ALB rule takes at most five condition values. */
const MAX_PATTERNS_PER_RULE = 5;
/** The container's name in the task definition. */
export const CONTAINER_NAME = 'mcp';
/**
 * The container's one writable path under its read-only root filesystem: an ephemeral Fargate bind mount.
 * Fargate creates it owned by root (0755) unless the image declares it as a `VOLUME` whose directory the
 * image's user owns; then the directory, with its owner and mode, is copied into the volume (Amazon ECS
 * Developer Guide, "Bind mounts"). The reference server's Dockerfile does so.
 */
export const WRITABLE_PATH = '/tmp';

/**
 * The environment that tells the container where to listen and what to answer health checks on, read by
 * the reference server (reference-server/src/main.ts) and available to any image: `PORT` (the first
 * backend's port), `LISTEN_PORTS` (every backend's port, comma-separated), `HEALTH_PATHS` (the public
 * health path and every backend's health path, comma-separated), `TMPDIR` (the writable path).
 */
export function listenEnvironment(backends: readonly McpBackend[], healthPath: string): Record<string, string> {
  return {
    PORT: String(backends[0].containerPort),
    LISTEN_PORTS: [...new Set(backends.map((b) => b.containerPort))].join(','),
    HEALTH_PATHS: [...new Set([healthPath, ...backends.map((b) => b.healthPath)])].join(','),
    TMPDIR: WRITABLE_PATH,
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The ALB path patterns of route paths: each path and every subpath. */
export function pathPatterns(paths: readonly string[], prefix = ''): string[] {
  return paths.flatMap((p) => [`${prefix}${p}`, `${prefix}${p}/*`]);
}

/**
 * The MCP server on ECS Fargate behind the internal load balancer: a cluster with enhanced Container
 * Insights; tasks in private subnets with no public IP, running as a numeric non-root user with a
 * read-only root filesystem (a writable `/tmp` volume), not privileged, every Linux capability dropped
 * (WORK-1); ECS Exec off unless asked for (WORK-3); a circuit breaker that rolls a failed deployment
 * back; target tracking on CPU and on requests per task; one target group per backend, routed by path.
 * The container environment holds no secret (SEC-1): the service never sees a credential, only the
 * identity headers the gateway sets (AUTH-7).
 */
export class McpService extends Construct {
  /** The ECS cluster. */
  public readonly cluster: ecs.Cluster;
  /** The Fargate service. */
  public readonly service: ecs.FargateService;
  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The target group of each backend, by backend name. */
  public readonly targetGroups: Readonly<Record<string, elbv2.ApplicationTargetGroup>>;

  private nextPriority = FIRST_RULE_PRIORITY;

  constructor(scope: Construct, id: string, props: McpServiceProps) {
    super(scope, id);
    this.validate(props);

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: props.cpu ?? 256,
      memoryLimitMiB: props.memoryLimitMiB ?? 512,
      runtimePlatform: taskRuntimePlatform(props.cpuArchitecture ?? DEFAULT_CPU_ARCHITECTURE),
      volumes: [{ name: 'tmp' }],
    });
    const linuxParameters = new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true });
    linuxParameters.dropCapabilities(ecs.Capability.ALL);
    const container = this.taskDefinition.addContainer(CONTAINER_NAME, {
      image: props.image,
      user: props.user,
      readonlyRootFilesystem: true,
      privileged: false,
      linuxParameters,
      essential: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: 'mcp' }),
      environment: {
        ...listenEnvironment(props.backends, props.healthPath),
        SERVICE_VERSION: props.version,
        NODE_ENV: 'production',
        STREAMING_TIMEOUT_SECONDS: String(props.streamingTimeoutSeconds ?? 300),
        ...(props.corsAllowedOrigins && props.corsAllowedOrigins.length > 0 ? { CORS_ALLOWED_ORIGINS: props.corsAllowedOrigins.join(',') } : {}),
      },
      portMappings: props.backends.map((b) => ({ name: b.name, containerPort: b.containerPort, protocol: ecs.Protocol.TCP })),
    });
    container.addMountPoints({ containerPath: WRITABLE_PATH, sourceVolume: 'tmp', readOnly: false });
    const pep = props.enforcementPoint && new EnforcementPointContainer(this, 'EnforcementPoint', { ...props.enforcementPoint, taskDefinition: this.taskDefinition, upstreamPort: props.backends[0].containerPort, user: props.user, cpuArchitecture: props.cpuArchitecture ?? DEFAULT_CPU_ARCHITECTURE });

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'mcp-perimeter MCP service: from the internal ALB only',
      // HTTPS out only (NET-4): to the interface endpoints, and to the S3 gateway endpoint for ECR's image
      // layers, whose prefix list has no id without a lookup. With egress `none` the route tables have no
      // NAT or internet gateway, so 443 reaches only the VPC endpoints.
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints (and the internet only when egress is nat)');
    this.service = new ecs.FargateService(this, 'Resource', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      vpcSubnets: props.subnets,
      securityGroups: [securityGroup],
      assignPublicIp: false,
      desiredCount: props.desiredCount ?? 2,
      enableExecuteCommand: props.enableExec ?? false,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      healthCheckGracePeriod: Duration.seconds(60),
    });

    const targetGroups: Record<string, elbv2.ApplicationTargetGroup> = {};
    const rulePaths = listenerPaths(props.backends, props.healthPath);
    for (const backend of props.backends) {
      const targetGroup = new elbv2.ApplicationTargetGroup(this, `Backend-${backend.name}`, {
        vpc: props.vpc,
        port: backend.containerPort,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targetType: elbv2.TargetType.IP,
        targets: [this.service.loadBalancerTarget(pep && backend === props.backends[0] ? pep.target : { containerName: CONTAINER_NAME, containerPort: backend.containerPort })],
        healthCheck: { path: backend.healthPath, healthyHttpCodes: '200', interval: Duration.seconds(15), timeout: Duration.seconds(5) },
        deregistrationDelay: Duration.seconds(30),
      });
      targetGroups[backend.name] = targetGroup;
      this.route(props.listener, targetGroup, pathPatterns(rulePaths[backend.name]), props.apiStageName);
    }
    this.route(props.listener, targetGroups[props.backends[0].name], [props.healthPath], props.apiStageName);
    this.targetGroups = targetGroups;

    const scaling = this.service.autoScaleTaskCount({ minCapacity: props.desiredCount ?? 2, maxCapacity: props.maxCount ?? 6 });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: props.targetCpuPercent ?? 60 });
    for (const [name, targetGroup] of Object.entries(targetGroups)) {
      scaling.scaleOnRequestCount(`Requests-${name}`, { requestsPerTarget: props.targetRequestsPerTask ?? 600, targetGroup });
    }
  }

  /** Forwards `patterns` to the target group, and `/<stage><pattern>` with the stage rewritten away. */
  private route(listener: elbv2.IApplicationListener, targetGroup: elbv2.ApplicationTargetGroup, patterns: string[], stage?: string): void {
    for (const values of chunks(patterns, MAX_PATTERNS_PER_RULE)) {
      const priority = this.nextPriority++;
      new elbv2.ApplicationListenerRule(this, `Rule${priority}`, {
        listener,
        priority,
        conditions: [elbv2.ListenerCondition.pathPatterns(values)],
        targetGroups: [targetGroup],
      });
    }
    if (!stage) return;
    for (const values of chunks(patterns.map((p) => `/${stage}${p}`), MAX_PATTERNS_PER_RULE)) {
      const priority = this.nextPriority++;
      const rule = new elbv2.ApplicationListenerRule(this, `Rule${priority}`, {
        listener,
        priority,
        conditions: [elbv2.ListenerCondition.pathPatterns(values)],
        targetGroups: [targetGroup],
      });
      (rule.node.defaultChild as elbv2.CfnListenerRule).transforms = [{
        type: 'url-rewrite',
        urlRewriteConfig: { rewrites: [{ regex: `^/${stage}(/.*)$`, replace: '$1' }] },
      }];
    }
  }

  private validate(props: McpServiceProps): void {
    if (props.backends.length === 0) throw new Error('backends must name at least one backend, got none');
    if (!/^[1-9]\d{0,9}(:[1-9]\d{0,9})?$/.test(props.user)) {
      throw new Error(`user must be a numeric non-root uid or uid:gid like 1000:1000 (WORK-1), got ${props.user}`);
    }
    for (const b of props.backends) {
      if (b.containerPort < 1024 || b.containerPort > 65535) {
        throw new Error(`backends.${b.name}.containerPort must be an unprivileged port (1024-65535), got ${b.containerPort}`);
      }
    }
    const min = props.desiredCount ?? 2;
    const max = props.maxCount ?? 6;
    if (max < min) throw new Error(`maxCount must be at least desiredCount (${min}), got ${max}`);
    if (props.apiStageName) {
      const clash = props.backends.flatMap((b) => b.paths).find((p) => p.split('/')[1] === props.apiStageName);
      if (clash) throw new Error(`backend path ${clash} begins with the API stage name '${props.apiStageName}': the stage-prefix rewrite would be ambiguous`);
    }
  }
}
