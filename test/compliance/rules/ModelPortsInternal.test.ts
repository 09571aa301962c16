import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { checkPerimeter, nagStack } from './nag-harness';
import { isolatedVpc } from './perimeter-fixtures';

describe('ModelPortsInternal: model ports are open only to security groups or the VPC CIDR (NET-3)', () => {
  test('Noncompliance 1: Ollama open to a corporate range outside the VPC', () => {
    // GIVEN
    const stack = nagStack();
    new ec2.SecurityGroup(stack, 'Model', { vpc: isolatedVpc(stack) }).addIngressRule(ec2.Peer.ipv4('192.168.0.0/16'), ec2.Port.tcp(11434));
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-NET3')).toEqual(['Test/Model/Resource[Port::11434:192.168.0.0/16]']);
  });

  test('Noncompliance 2: a port range covering 8000 and 8080 from the internet', () => {
    // GIVEN
    const stack = nagStack();
    new ec2.SecurityGroup(stack, 'Model', { vpc: isolatedVpc(stack) }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(7999, 8100));
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-NET3')).toEqual(['Test/Model/Resource[Port::8080:0.0.0.0/0]', 'Test/Model/Resource[Port::8000:0.0.0.0/0]']);
  });

  test('Compliance: 8080 from the VPC CIDR (reference and literal inside it) and from a security group', () => {
    // GIVEN
    const stack = nagStack();
    const vpc = isolatedVpc(stack);
    const model = new ec2.SecurityGroup(stack, 'Model', { vpc });
    model.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(8080));
    model.addIngressRule(ec2.Peer.ipv4('10.0.4.0/24'), ec2.Port.tcp(8080));
    model.addIngressRule(ec2.Peer.securityGroupId('sg-0123456789abcdef0'), ec2.Port.tcp(11434));
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-NET3')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-NET3')).toContain('Test/Model/Resource');
  });
});
