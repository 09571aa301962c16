import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { VpcFlowLog } from '../../../lib/constructs/network/vpc-flow-log';
import { testStack } from '../../fixtures/test-app';

const FLOW_LOG_ARN = 'arn:aws:logs:eu-west-1:111111111111:log-group:flow-logs:*';

function flowLog(): Template {
  const stack = testStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  new VpcFlowLog(stack, 'FlowLog', { vpc, logGroup: logs.LogGroup.fromLogGroupArn(stack, 'FlowLogs', FLOW_LOG_ARN) });
  return Template.fromStack(stack);
}

test('AUDIT-4: the flow log delivery role can be assumed only by VPC Flow Logs for this account', () => {
  // GIVEN / WHEN
  const template = flowLog();
  // THEN
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [{
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111111111111' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:ec2:eu-west-1:111111111111:vpc-flow-log/*' },
        },
      }],
    },
  });
});

test('SEC-4: the delivery role may only write to the flow log group, through one managed policy and no inline policy', () => {
  // GIVEN / WHEN
  const template = flowLog();
  // THEN
  template.resourceCountIs('AWS::IAM::Policy', 0);
  template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
  template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    PolicyDocument: {
      Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], Resource: FLOW_LOG_ARN }],
    },
    Roles: [{ Ref: Match.stringLikeRegexp('FlowLogDeliveryRole') }],
  });
});

test('AUDIT-4: the flow log records ALL traffic with the delivery role', () => {
  // GIVEN / WHEN
  const template = flowLog();
  // THEN
  template.hasResourceProperties('AWS::EC2::FlowLog', {
    TrafficType: 'ALL',
    DeliverLogsPermissionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('FlowLogDeliveryRole'), 'Arn'] },
  });
});
