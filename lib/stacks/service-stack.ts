import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { PerimeterConfig } from '../config';
import { AuditLog } from '../constructs/audit/audit-log';
import { API_STAGE_NAME } from '../constructs/edge/api-stage';
import { containerImage } from '../constructs/service/container-image';
import { mcpPathsBehindStage } from '../constructs/edge/mcp-routes';
import { InternalLoadBalancer } from '../constructs/service/internal-load-balancer';
import { McpBackend, McpService } from '../constructs/service/mcp-service';
import { vpcLinkSubnets, workloadSubnets } from '../constructs/service/workload-subnets';
import { ENFORCEMENT_POINT_PORT, enforcementPointSettingsFromConfig } from '../constructs/service/enforcement-point-container';

/** Properties of the {@link ServiceStack}. */
export interface ServiceStackProps extends StackProps {
  /** The validated config. */
  readonly config: PerimeterConfig;
  /** The network stack's VPC. */
  readonly vpc: ec2.IVpc;
  /** The audit stack's log destinations. */
  readonly auditLog: AuditLog;
}

/** Request headers a browser may send when CORS is on: MCP Streamable HTTP's and the credential headers. */
const MCP_REQUEST_HEADERS = ['content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id'];

/** The backends of a config: the configured ones, or one `mcp` backend on 8080 serving every route path. */
export function backendsFromConfig(config: PerimeterConfig): McpBackend[] {
  if (config.service.backends) return config.service.backends;
  const paths = [...new Set(config.rbac.routes.map((r) => r.path))];
  return [{ name: 'mcp', containerPort: 8080, paths, healthPath: config.service.healthPath }];
}

/**
 * The container image of a config: a local folder built by `cdk deploy` for the config's CPU architecture,
 * or a registry image with exactly the pull permissions it needs (see {@link containerImage}).
 */
export function imageFromConfig(scope: Construct, config: PerimeterConfig): ecs.ContainerImage {
  return containerImage(scope, {
    image: config.service.image,
    cpuArchitecture: config.service.cpuArchitecture,
    registryCredentialsSecretArn: config.service.registryCredentialsSecretArn,
  });
}

/**
 * The workload: the internal load balancer (with its WAF and the VPC link API Gateway uses) and the MCP
 * server on ECS Fargate behind it.
 */
export class ServiceStack extends Stack {
  /** The internal load balancer. */
  public readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** Its HTTPS listener. */
  public readonly listener: elbv2.IApplicationListener;
  /** The VPC link V2 of the gateway's private integration. */
  public readonly vpcLink: apigatewayv2.IVpcLink;
  /** The MCP service. */
  public readonly mcpService: McpService;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, vpc, auditLog } = props;
    const subnets = workloadSubnets(config.network.egress);
    const origins = config.cors.allowedOrigins;

    const balancer = new InternalLoadBalancer(this, 'LoadBalancer', {
      vpc,
      subnets,
      vpcLinkSubnets: vpcLinkSubnets(config.network.egress, config.network.cidr),
      certificateArn: config.domain.internalCertificateArn,
      accessLogBucket: auditLog.accessLogBucket,
      wafLogGroup: auditLog.wafLogGroup,
      credentialHeaders: config.auth.credentialHeaders,
      maxCredentialBytes: config.limits.maxCredentialBytes,
      // A streaming tool call may be silent until it answers: the balancer waits as long as the gateway does.
      idleTimeout: Duration.seconds(config.service.streamingTimeoutSeconds),
      mcpPaths: mcpPathsBehindStage(config.rbac.routes.map((r) => r.path), API_STAGE_NAME),
      cors: origins.length === 1
        ? { allowedOrigin: origins[0], allowedHeaders: [...MCP_REQUEST_HEADERS, ...config.auth.credentialHeaders], maxAge: Duration.seconds(config.cors.maxAgeSeconds) }
        : undefined,
    });

    this.mcpService = new McpService(this, 'McpService', {
      vpc,
      subnets,
      image: imageFromConfig(this, config),
      cpuArchitecture: config.service.cpuArchitecture,
      backends: backendsFromConfig(config),
      listener: balancer.listener,
      healthPath: config.service.healthPath,
      version: config.service.version,
      logGroup: auditLog.serviceLogGroup,
      user: config.service.user,
      cpu: config.service.cpu,
      memoryLimitMiB: config.service.memoryMiB,
      desiredCount: config.service.desiredCount,
      maxCount: config.service.maxCount,
      enableExec: config.service.enableExec,
      apiStageName: API_STAGE_NAME,
      streamingTimeoutSeconds: config.service.streamingTimeoutSeconds,
      corsAllowedOrigins: config.cors.allowedOrigins,
      enforcementPoint: config.rbac.tools.enforce ? { settings: enforcementPointSettingsFromConfig(config), logGroup: auditLog.toolCallAudit.logGroup } : undefined,
    });

    // The ALB reaches the tasks through separate security-group rules; this inline rule, bounded to the
    // VPC and the container ports, keeps CloudFormation's default allow-all egress off the group (NET-4).
    for (const port of new Set([...backendsFromConfig(config).map((b) => b.containerPort), ...(config.rbac.tools.enforce ? [ENFORCEMENT_POINT_PORT] : [])])) {
      balancer.securityGroup.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(port), `to the MCP service tasks on ${port}, inside the VPC`);
    }

    this.loadBalancer = balancer.loadBalancer;
    this.listener = balancer.listener;
    this.vpcLink = balancer.vpcLink;
  }
}
