import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { EndpointSecurityGroup } from './endpoint-security-group';
import { layoutProblem, StableSubnetLayout } from './subnet-layout';
import { VpcFlowLog } from './vpc-flow-log';

/** Outbound internet access of the workload subnets (NET-4). */
export type EgressMode = 'none' | 'nat';

/** The name of the subnet group the workloads (service, ALB, VPC link, authorizer) run in. */
export const WORKLOAD_SUBNET_GROUP = 'Workload';
/** The name of the public subnet group (egress `nat` only: it holds the NAT gateways). */
export const PUBLIC_SUBNET_GROUP = 'Public';

/**
 * The interface endpoints every perimeter gets, and why:
 * ECR api + dkr (Fargate pulls the image), CloudWatch Logs (awslogs driver, Lambda in the VPC),
 * SSM (the authorizer reads token records), KMS (SSM decrypts; jwt mode kms verifies), X-Ray (the
 * traces of the authorizer and the service). STS is left out: ECS task roles and Lambda get their
 * credentials without it. ECS endpoints are for the EC2 launch type, not Fargate.
 */
export const BASE_INTERFACE_ENDPOINTS: ReadonlyArray<readonly [string, ec2.InterfaceVpcEndpointAwsService]> = [
  ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
  ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
  ['CloudWatchLogs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
  ['Ssm', ec2.InterfaceVpcEndpointAwsService.SSM],
  ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS],
  ['XRay', ec2.InterfaceVpcEndpointAwsService.XRAY],
];

/** Properties of a {@link PerimeterNetwork}. */
export interface PerimeterNetworkProps {
  /** The VPC's IPv4 CIDR, /16 to /24 (/23 or larger with egress `nat`): see {@link layoutProblem}. Changing it replaces the VPC. */
  readonly cidr: string;
  /**
   * Availability zones: 2 or more (high availability).
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * Outbound internet: `none` (isolated subnets, no internet gateway, no NAT; AWS services through
   * VPC endpoints) or `nat` (public subnets with one NAT gateway per AZ, workloads in private subnets
   * routed through them). NET-4.
   * @default 'none'
   */
  readonly egress?: EgressMode;
  /** The log group that receives the VPC flow logs, all traffic (AUDIT-4). */
  readonly flowLogGroup: ILogGroup;
  /**
   * Adds the SSM Messages endpoint that ECS Exec needs (WORK-3: only when shell access is asked for).
   * @default false
   */
  readonly shellAccess?: boolean;
}

/**
 * The perimeter's VPC (NET-1, NET-4): workload subnets in every AZ, each at a CIDR fixed by its AZ index
 * (subnet-layout.ts, so that adding egress or AZs updates the network in place), private isolated by default
 * (no internet gateway, no NAT), interface endpoints with private DNS behind one security group that
 * admits HTTPS from the VPC only, an S3 gateway endpoint (ECR image layers), every endpoint limited
 * to principals of this account (plus, on S3, reads of ECR's own layer bucket), flow logs of all
 * traffic, and the default security group stripped of its rules.
 */
export class PerimeterNetwork extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The workload subnets: isolated with egress `none`, private with egress `nat`. */
  public readonly workloadSubnets: ec2.SubnetSelection;
  /** The security group of the interface endpoints. */
  public readonly endpointSecurityGroup: ec2.ISecurityGroup;
  /** The interface endpoints, by construct id. */
  public readonly interfaceEndpoints: Record<string, ec2.InterfaceVpcEndpoint> = {};
  /** The S3 gateway endpoint. */
  public readonly s3Endpoint: ec2.GatewayVpcEndpoint;
  /** The flow log of all the VPC's traffic. */
  public readonly flowLog: VpcFlowLog;

  constructor(scope: Construct, id: string, props: PerimeterNetworkProps) {
    super(scope, id);
    const maxAzs = props.maxAzs ?? 2;
    const egress = props.egress ?? 'none';
    if (!Token.isUnresolved(maxAzs) && (!Number.isInteger(maxAzs) || maxAzs < 2 || maxAzs > 6)) {
      throw new Error(`maxAzs must be a whole number from 2 to 6 (high availability), got ${maxAzs}`);
    }
    if (egress !== 'none' && egress !== 'nat') {
      throw new Error(`egress must be 'none' or 'nat', got '${egress}'`);
    }
    const problem = Token.isUnresolved(props.cidr) ? undefined : layoutProblem(props.cidr, egress);
    if (problem) throw new Error(`cidr: ${problem}`);
    const nat = egress === 'nat';
    const workloadType = nat ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED;

    const vpc = new ec2.Vpc(this, 'Resource', {
      // Every subnet's CIDR is fixed by (group, AZ index): adding egress or an AZ moves no subnet (subnet-layout.ts).
      ipAddresses: new StableSubnetLayout(props.cidr, { [WORKLOAD_SUBNET_GROUP]: 'workload', [PUBLIC_SUBNET_GROUP]: 'public' }),
      maxAzs,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      createInternetGateway: nat,
      natGateways: nat ? maxAzs : 0,
      subnetConfiguration: [
        ...(nat ? [{ name: PUBLIC_SUBNET_GROUP, subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false }] : []),
        { name: WORKLOAD_SUBNET_GROUP, subnetType: workloadType },
      ],
      restrictDefaultSecurityGroup: true,
    });
    this.vpc = vpc;
    this.workloadSubnets = { subnetType: workloadType };

    this.flowLog = new VpcFlowLog(this, 'FlowLog', { vpc, logGroup: props.flowLogGroup });

    this.endpointSecurityGroup = new EndpointSecurityGroup(this, 'EndpointSecurityGroup', { vpc, allowedCidr: props.cidr }).securityGroup;
    const endpoints = [...BASE_INTERFACE_ENDPOINTS];
    if (props.shellAccess) endpoints.push(['SsmMessages', ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES]);
    for (const [endpointId, service] of endpoints) {
      const endpoint = vpc.addInterfaceEndpoint(endpointId, {
        service,
        privateDnsEnabled: true,
        subnets: this.workloadSubnets,
        securityGroups: [this.endpointSecurityGroup],
        open: false,
      });
      endpoint.addToPolicy(this.thisAccountOnly());
      this.interfaceEndpoints[endpointId] = endpoint;
    }

    this.s3Endpoint = vpc.addGatewayEndpoint('S3', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [this.workloadSubnets],
    });
    this.s3Endpoint.addToPolicy(this.thisAccountOnly());
    // ECR hands out image layers as pre-signed URLs of an AWS-owned bucket: not a principal of this account.
    this.s3Endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'EcrImageLayers',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: [`arn:${Stack.of(this).partition}:s3:::prod-${Stack.of(this).region}-starport-layer-bucket/*`],
    }));
  }

  /** An endpoint policy that admits any action by principals of this account only (a data perimeter). */
  private thisAccountOnly(): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'PrincipalsOfThisAccountOnly',
      principals: [new iam.AnyPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:PrincipalAccount': Stack.of(this).account } },
    });
  }
}
