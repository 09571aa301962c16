import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { checkPerimeter, nagStack } from './nag-harness';
import { isolatedVpc } from './perimeter-fixtures';

function service(stack: Stack, vpc: ec2.IVpc, props: Partial<ecs.FargateServiceProps> = {}): ecs.FargateService {
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('mcp', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp:1'), portMappings: [{ containerPort: 8080 }] });
  return new ecs.FargateService(stack, 'Service', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc }), taskDefinition: task, ...props });
}

describe('ServicePrivate: the service has no public IP, private subnets, ingress from security groups only; load balancers are internal (NET-1)', () => {
  test('Noncompliance 1: a service with a public IP in a public subnet behind an internet-facing load balancer', () => {
    // GIVEN
    const stack = nagStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    service(stack, vpc, { assignPublicIp: true, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
    new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-NET1')).toEqual([
      'Test/Service/Service[AssignPublicIp::ENABLED]',
      'Test/Service/Service[PublicSubnet::VpcpublicSubnet1Subnet2BB74ED7]',
      'Test/Service/Service[PublicSubnet::VpcpublicSubnet2SubnetE34B022A]',
      'Test/Alb/Resource[Scheme::internet-facing]',
    ]);
  });

  test('Noncompliance 2: a private service that admits a CIDR range', () => {
    // GIVEN
    const stack = nagStack();
    const vpc = isolatedVpc(stack);
    service(stack, vpc).connections.allowFrom(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(8080));
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-NET1')).toEqual(['Test/Service/Service[IngressFromCidr::10.0.0.0/16]']);
  });

  test('Compliance: a service in isolated subnets reachable from its internal load balancer only', () => {
    // GIVEN
    const stack = nagStack();
    const vpc = isolatedVpc(stack);
    const svc = service(stack, vpc);
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: false });
    svc.connections.allowFrom(alb, ec2.Port.tcp(8080));
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-NET1')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-NET1')).toEqual(['Test/Service/Service', 'Test/Alb/Resource']);
  });
});
