import { Fn, Stack, StackProps } from 'aws-cdk-lib';
import { IVpc } from 'aws-cdk-lib/aws-ec2';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PerimeterConfig } from '../config';
import { PerimeterNetwork } from '../constructs/network/perimeter-network';

/** Properties of the {@link NetworkStack}. */
export interface NetworkStackProps extends StackProps {
  /** The validated config of the stage. */
  readonly config: PerimeterConfig;
  /** The log group of the VPC flow logs (from the audit stack). */
  readonly flowLogGroup: ILogGroup;
}

/**
 * Network: the VPC, its workload subnets, VPC endpoints and flow logs (NET-1, NET-2, NET-4, AUDIT-4).
 * Depends only on the audit stack (for the flow log group).
 */
export class NetworkStack extends Stack {
  /** The VPC the service, the ALB and the VPC link run in. */
  public readonly vpc: IVpc;
  /** The network construct: endpoints, endpoint security group, workload subnets. */
  public readonly network: PerimeterNetwork;

  private readonly azCount: number;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.azCount = config.network.maxAzs;
    this.network = new PerimeterNetwork(this, 'Network', {
      cidr: config.network.cidr,
      maxAzs: config.network.maxAzs,
      egress: config.network.egress,
      flowLogGroup: props.flowLogGroup,
      shellAccess: config.service.enableExec,
    });
    this.vpc = this.network.vpc;
  }

  /**
   * The first `maxAzs` zones of the region, resolved by CloudFormation (`Fn::GetAZs`). A stack with a
   * concrete account would otherwise look the zones up at synth, which needs AWS credentials; synth
   * here never does.
   */
  public override get availabilityZones(): string[] {
    return Array.from({ length: this.azCount ?? 2 }, (_, i) => Fn.select(i, Fn.getAzs()));
  }
}
