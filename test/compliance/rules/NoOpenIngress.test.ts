import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { checkPerimeter, nagStack } from './nag-harness';
import { isolatedVpc } from './perimeter-fixtures';

describe('NoOpenIngress: no security group admits 0.0.0.0/0 or ::/0 (NET-2)', () => {
  test('Noncompliance 1: an inline IPv4 rule open to the internet', () => {
    // GIVEN
    const stack = nagStack();
    new ec2.SecurityGroup(stack, 'Open', { vpc: isolatedVpc(stack) }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-NET2')).toEqual(['Test/Open/Resource[Ingress::0.0.0.0/0:tcp:443]']);
  });

  test('Noncompliance 2: a separate IPv6 ingress resource open to the internet', () => {
    // GIVEN
    const stack = nagStack();
    const group = new ec2.SecurityGroup(stack, 'Group', { vpc: isolatedVpc(stack) });
    new ec2.CfnSecurityGroupIngress(stack, 'Ipv6', { groupId: group.securityGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv6: '::/0' });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-NET2')).toEqual(['Test/Ipv6[Ingress::::/0:tcp:443]']);
  });

  test('Compliance: ingress from the VPC and from another security group', () => {
    // GIVEN
    const stack = nagStack();
    const vpc = isolatedVpc(stack);
    const group = new ec2.SecurityGroup(stack, 'Group', { vpc });
    group.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443));
    group.connections.allowFrom(new ec2.SecurityGroup(stack, 'Other', { vpc }), ec2.Port.tcp(8443));
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-NET2')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-NET2')).toEqual(['Test/Group/Resource', 'Test/Group/from TestOtherD3309BBD:8443', 'Test/Other/Resource']);
  });
});
