import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Properties of a {@link VpcFlowLog}. */
export interface VpcFlowLogProps {
  /** The VPC whose traffic is logged. */
  readonly vpc: ec2.IVpc;
  /** The log group that receives the records (AUDIT-4). */
  readonly logGroup: ILogGroup;
}

/**
 * Flow logs of all traffic of a VPC into a CloudWatch log group (AUDIT-4), one-minute aggregation.
 * The delivery role can be assumed only by VPC Flow Logs on behalf of this account's flow logs
 * (confused-deputy conditions) and holds one customer-managed policy: write to that one log group.
 */
export class VpcFlowLog extends Construct {
  /** The flow log. */
  public readonly flowLog: ec2.FlowLog;
  /** The role VPC Flow Logs assumes to deliver. */
  public readonly deliveryRole: iam.IRole;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'DeliveryRole', {
      description: 'VPC Flow Logs delivers the VPC flow logs to the audit log group',
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }) },
        },
      }),
    });
    new iam.ManagedPolicy(this, 'DeliveryPolicy', {
      description: 'Write VPC flow log records to the audit log group',
      roles: [role],
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [props.logGroup.logGroupArn],
      })],
    });
    this.deliveryRole = role;

    this.flowLog = new ec2.FlowLog(this, 'Resource', {
      resourceType: ec2.FlowLogResourceType.fromVpc(props.vpc),
      // The role's one policy is the managed policy above: the flow log adds no inline grants.
      destination: ec2.FlowLogDestination.toCloudWatchLogs(props.logGroup, role.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    });
  }
}
