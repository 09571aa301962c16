import { Duration } from 'aws-cdk-lib';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EXPOSED_RESPONSE_HEADERS, LOAD_BALANCER_SECURITY_HEADERS } from '../edge/security-headers';
import { FirewallTarget, WebFirewall } from '../edge/web-firewall';

/** CORS answered by the load balancer for one origin (the ALB takes a single origin value). */
export interface LoadBalancerCors {
  /** The one allowed origin, like `https://app.example.com` (never `*`, EDGE-5). */
  readonly allowedOrigin: string;
  /** Request headers the browser may send. */
  readonly allowedHeaders: readonly string[];
  /** How long a browser may cache a preflight answer. */
  readonly maxAge: Duration;
}

/** Properties of an {@link InternalLoadBalancer}. */
export interface InternalLoadBalancerProps {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /** The subnets of the load balancer and the VPC link (private, never public: NET-1). */
  readonly subnets: ec2.SubnetSelection;
  /**
   * The VPC link's subnets, when they must not follow `subnets` (a VPC link's subnets cannot change in place).
   * @default - `subnets`
   */
  readonly vpcLinkSubnets?: ec2.SubnetSelection;
  /** A publicly trusted ACM certificate ARN for the internal name API Gateway calls (TLS-3, TLS-4). */
  readonly certificateArn: string;
  /** The bucket for access logs (AUDIT-4); SSE-S3, as ALB access logs require. */
  readonly accessLogBucket: IBucket;
  /** The WAF log group (`aws-waf-logs-…`). */
  readonly wafLogGroup: ILogGroup;
  /** The accepted credential headers, lowercase. */
  readonly credentialHeaders: readonly string[];
  /** The largest credential header accepted, in bytes. */
  readonly maxCredentialBytes: number;
  /**
   * CORS headers on every response, for one origin. With several origins, the gateway answers the
   * preflight and the backend echoes the origin.
   * @default - no CORS headers
   */
  readonly cors?: LoadBalancerCors;
  /**
   * How long a connection may stay idle, 1 to 4000 seconds (ELB quotas, "idle_timeout.timeout_seconds"):
   * at least the longest streaming MCP response, so a tool call that is slow to answer is not cut here.
   * @default Duration.seconds(300)
   */
  readonly idleTimeout?: Duration;
  /** Path prefixes of the MCP routes as the load balancer sees them; its WAF's body rules count there. @default - none */
  readonly mcpPaths?: readonly string[];
  /**
   * The TLS policy of the HTTPS listener (TLS-2).
   * @default elbv2.SslPolicy.TLS13_12_RES_PQ
   */
  readonly sslPolicy?: elbv2.SslPolicy;
}

/** The access log prefix in the audit bucket. */
export const ACCESS_LOG_PREFIX = 'alb';

/**
 * The internal Application Load Balancer in front of the MCP service: private subnets only, one HTTPS
 * listener with a TLS 1.3 policy (TLS-1, TLS-2), invalid header fields dropped, strictest desync
 * mitigation, deletion protection, access logs, its own WAF web ACL and the security response headers
 * on every response (EDGE-4). API Gateway reaches it over HTTPS through a VPC link V2 whose security
 * group is the only one allowed in (NET-2); both live here so that no later stack edits this stack's
 * security groups.
 */
export class InternalLoadBalancer extends Construct {
  /** The load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The HTTPS listener; its default action answers 404 until backend rules match. */
  public readonly listener: elbv2.ApplicationListener;
  /** The VPC link V2 API Gateway uses for its private integration. */
  public readonly vpcLink: apigatewayv2.VpcLink;
  /** The VPC link's security group. */
  public readonly vpcLinkSecurityGroup: ec2.SecurityGroup;
  /** The load balancer's security group: HTTPS in from the VPC link only. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The load balancer's web ACL. */
  public readonly firewall: WebFirewall;

  constructor(scope: Construct, id: string, props: InternalLoadBalancerProps) {
    super(scope, id);
    const idle = props.idleTimeout?.toSeconds();
    if (idle !== undefined && (idle < 1 || idle > 4000)) throw new Error(`idleTimeout must be 1 to 4000 seconds (the load balancer's range), got ${idle}`);

    const securityGroup = this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'mcp-perimeter internal ALB: HTTPS from the API Gateway VPC link only',
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Resource', {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      internetFacing: false,
      securityGroup,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
      deletionProtection: true,
      http2Enabled: true,
      idleTimeout: props.idleTimeout ?? Duration.seconds(300),
    });
    this.loadBalancer.logAccessLogs(props.accessLogBucket, ACCESS_LOG_PREFIX);

    this.listener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      sslPolicy: props.sslPolicy ?? elbv2.SslPolicy.TLS13_12_RES_PQ,
      certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'application/json', messageBody: '{"message":"Not Found"}' }),
    });
    for (const [name, value] of Object.entries(LOAD_BALANCER_SECURITY_HEADERS)) {
      this.listener.setAttribute(`routing.http.response.${name}.header_value`, value);
    }
    // No `Server: awselb/2.0` on responses (EDGE-7: no internal names).
    this.listener.setAttribute('routing.http.response.server.enabled', 'false');
    if (props.cors) this.addCors(props.cors);

    this.vpcLinkSecurityGroup = new ec2.SecurityGroup(this, 'VpcLinkSecurityGroup', {
      vpc: props.vpc,
      description: 'mcp-perimeter API Gateway VPC link: HTTPS to the internal ALB only',
      allowAllOutbound: false,
    });
    this.loadBalancer.connections.allowFrom(this.vpcLinkSecurityGroup, ec2.Port.tcp(443), 'HTTPS from the API Gateway VPC link');
    // Security-group-to-security-group rules render as separate resources, which leave a group with no
    // inline egress, and CloudFormation then adds its default allow-all rule (NET-4). An inline rule
    // bounded to the VPC keeps the default rule off; the separate rule stays the tight one.
    this.vpcLinkSecurityGroup.addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS to the internal ALB, inside the VPC');
    this.vpcLink = new apigatewayv2.VpcLink(this, 'VpcLink', {
      vpc: props.vpc,
      subnets: props.vpcLinkSubnets ?? props.subnets,
      securityGroups: [this.vpcLinkSecurityGroup],
    });

    this.firewall = new WebFirewall(this, 'Firewall', {
      target: FirewallTarget.APPLICATION_LOAD_BALANCER,
      resourceArn: this.loadBalancer.loadBalancerArn,
      logGroup: props.wafLogGroup,
      credentialHeaders: props.credentialHeaders,
      maxCredentialBytes: props.maxCredentialBytes,
      mcpPaths: props.mcpPaths,
    });
  }

  private addCors(cors: LoadBalancerCors): void {
    if (cors.allowedOrigin === '*' || !/^https?:\/\/[^/]+$/.test(cors.allowedOrigin)) {
      throw new Error(`cors.allowedOrigin must be one origin like https://app.example.com (never '*', EDGE-5), got ${cors.allowedOrigin}`);
    }
    const attributes: Record<string, string> = {
      access_control_allow_origin: cors.allowedOrigin,
      access_control_allow_methods: 'GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS',
      access_control_allow_headers: cors.allowedHeaders.join(','),
      access_control_expose_headers: EXPOSED_RESPONSE_HEADERS.join(','),
      access_control_max_age: String(cors.maxAge.toSeconds()),
    };
    for (const [name, value] of Object.entries(attributes)) {
      this.listener.setAttribute(`routing.http.response.${name}.header_value`, value);
    }
  }
}
