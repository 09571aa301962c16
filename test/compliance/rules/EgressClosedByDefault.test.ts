import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { checkPerimeter, nagStack } from './nag-harness';
import { isolatedVpc } from './perimeter-fixtures';

describe('EgressClosedByDefault: no internet gateways and no allow-all egress unless egress is chosen (NET-4)', () => {
  test('Noncompliance 1: a VPC with NAT without the egress choice', () => {
    // GIVEN
    const stack = nagStack();
    new ec2.Vpc(stack, 'Vpc', { natGateways: 1, maxAzs: 1 });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-NET4')).toEqual(['Test/Vpc/PublicSubnet1/NATGateway[Gateway::NatGateway]', 'Test/Vpc/IGW[Gateway::InternetGateway]']);
  });

  test('Noncompliance 2: security groups that allow all outbound traffic', () => {
    // GIVEN
    const stack = nagStack();
    new ec2.SecurityGroup(stack, 'AllOut', { vpc: isolatedVpc(stack), allowAllOutbound: true });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-NET4')).toEqual(['Test/AllOut/Resource[Egress::0.0.0.0/0:all]']);
  });

  test('Compliance: closed security groups, and a NAT VPC in a stack tagged mcp-perimeter:egress=nat', () => {
    // GIVEN
    const closed = nagStack();
    new ec2.SecurityGroup(closed, 'Closed', { vpc: isolatedVpc(closed), allowAllOutbound: false });
    const opened = nagStack('Opened');
    Tags.of(opened).add('mcp-perimeter:egress', 'nat');
    new ec2.Vpc(opened, 'Vpc', { natGateways: 1, maxAzs: 1 });
    // WHEN
    const closedRun = checkPerimeter(closed);
    const openedRun = checkPerimeter(opened);
    // THEN
    expect(closedRun.violationsOf('McpPerimeter-NET4')).toEqual([]);
    expect(closedRun.compliantOf('McpPerimeter-NET4')).toEqual(['Test/Closed/Resource']);
    expect(openedRun.violationsOf('McpPerimeter-NET4')).toEqual([]);
    expect(openedRun.compliantOf('McpPerimeter-NET4')).toEqual(['Opened/Vpc/PublicSubnet1/NATGateway', 'Opened/Vpc/IGW']);
  });
});
