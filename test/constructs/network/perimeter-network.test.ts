import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PerimeterNetwork, PerimeterNetworkProps } from '../../../lib/constructs/network/perimeter-network';
import { testStack } from '../../fixtures/test-app';

const FLOW_LOG_ARN = 'arn:aws:logs:eu-west-1:111111111111:log-group:flow-logs:*';

function network(overrides: Partial<PerimeterNetworkProps> = {}): { stack: Stack; network: PerimeterNetwork; template: Template } {
  const stack = testStack();
  const flowLogGroup = logs.LogGroup.fromLogGroupArn(stack, 'FlowLogs', FLOW_LOG_ARN);
  const built = new PerimeterNetwork(stack, 'Network', { cidr: '10.40.0.0/16', flowLogGroup, ...overrides });
  return { stack, network: built, template: Template.fromStack(stack) };
}

function endpointServices(template: Template): string[] {
  return Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e: any) => {
    const name = e.Properties.ServiceName;
    return typeof name === 'string' ? name : JSON.stringify(name);
  });
}

test('NET-1: the VPC spans 2 AZs by default with the configured CIDR and DNS on (private DNS endpoints need it)', () => {
  // GIVEN / WHEN
  const { template } = network();
  // THEN
  template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.40.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
  template.resourceCountIs('AWS::EC2::Subnet', 2);
});

test('NET-1: the VPC spans config.network.maxAzs AZs', () => {
  // GIVEN / WHEN
  const { template } = network({ maxAzs: 3 });
  // THEN
  template.resourceCountIs('AWS::EC2::Subnet', 3);
});

test('NET-4: egress none (the default) has isolated subnets only: no internet gateway, no NAT, no public IP, no default route', () => {
  // GIVEN / WHEN
  const { template } = network();
  // THEN
  template.resourceCountIs('AWS::EC2::InternetGateway', 0);
  template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 0);
  template.resourceCountIs('AWS::EC2::NatGateway', 0);
  template.resourceCountIs('AWS::EC2::EIP', 0);
  template.resourceCountIs('AWS::EC2::Route', 0);
  for (const subnet of Object.values(template.findResources('AWS::EC2::Subnet')) as any[]) {
    expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    expect(subnet.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'aws-cdk:subnet-type', Value: 'Isolated' }]));
  }
});

test('NET-4: egress nat is an explicit choice: public subnets with a NAT gateway per AZ, workloads in private subnets, no auto-assigned public IP', () => {
  // GIVEN / WHEN
  const { network: built, template } = network({ egress: 'nat', maxAzs: 2 });
  // THEN
  template.resourceCountIs('AWS::EC2::InternetGateway', 1);
  template.resourceCountIs('AWS::EC2::NatGateway', 2);
  template.resourceCountIs('AWS::EC2::Subnet', 4);
  const types = Object.values(template.findResources('AWS::EC2::Subnet')).map((s: any) => s.Properties.Tags.find((t: any) => t.Key === 'aws-cdk:subnet-type').Value);
  expect(types.sort()).toEqual(['Private', 'Private', 'Public', 'Public']);
  for (const subnet of Object.values(template.findResources('AWS::EC2::Subnet')) as any[]) {
    expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
  }
  expect(built.vpc.selectSubnets(built.workloadSubnets).subnets).toHaveLength(2);
  expect(built.vpc.selectSubnets(built.workloadSubnets).subnets).toEqual(built.vpc.privateSubnets);
});

test('NET-1: the workload subnets are the isolated subnets when egress is none', () => {
  // GIVEN / WHEN
  const { network: built } = network();
  // THEN
  expect(built.vpc.selectSubnets(built.workloadSubnets).subnets).toEqual(built.vpc.isolatedSubnets);
  expect(built.vpc.publicSubnets).toHaveLength(0);
});

test('NET-4: interface endpoints for ECR api and dkr, CloudWatch Logs, SSM, KMS and X-Ray, with private DNS, in the workload subnets', () => {
  // GIVEN / WHEN
  const { stack, network: built, template } = network();
  // THEN
  const services = endpointServices(template);
  for (const service of ['ecr.api', 'ecr.dkr', 'logs', 'ssm', 'kms', 'xray']) {
    expect(services.some((s) => s.endsWith(`.${service}`) || s.includes(`.${service}"`))).toBe(true);
  }
  const isolated = built.vpc.isolatedSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as any) }));
  for (const endpoint of Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } })) as any[]) {
    expect(endpoint.Properties.PrivateDnsEnabled).toBe(true);
    expect(endpoint.Properties.SubnetIds).toEqual(isolated);
  }
  expect(Object.keys(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))).toHaveLength(6);
});

test('WORK-3: the SSM Messages endpoint (ECS Exec) exists only when shell access is asked for', () => {
  // GIVEN / WHEN
  const without = endpointServices(network().template);
  const withExec = endpointServices(network({ shellAccess: true }).template);
  // THEN
  expect(without.filter((s) => s.includes('ssmmessages'))).toHaveLength(0);
  expect(withExec.filter((s) => s.includes('ssmmessages'))).toHaveLength(1);
});

test('NET-4: an S3 gateway endpoint (ECR image layers) is routed from the workload subnets', () => {
  // GIVEN / WHEN
  const { stack, network: built, template } = network();
  // THEN
  const routeTables = built.vpc.isolatedSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.findChild('RouteTable') as any) }));
  template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
    VpcEndpointType: 'Gateway',
    ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['.s3'])] }),
    RouteTableIds: routeTables,
  });
});

const THIS_ACCOUNT_ONLY = {
  Sid: 'PrincipalsOfThisAccountOnly',
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: '*',
  Resource: '*',
  Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
};

test('NET-4: every interface endpoint admits principals of this account only', () => {
  // GIVEN / WHEN
  const { template } = network();
  // THEN
  const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } })) as any[];
  expect(endpoints).toHaveLength(6);
  for (const endpoint of endpoints) {
    expect(endpoint.Properties.PolicyDocument.Statement).toEqual([THIS_ACCOUNT_ONLY]);
  }
});

test('NET-4: the S3 endpoint admits principals of this account, and anyone only for reads of ECR\'s layer bucket', () => {
  // GIVEN / WHEN
  const { template } = network();
  // THEN
  const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } })) as any[];
  // S3 and DynamoDB (the authorizer's token table, issue 15), the latter for this account only
  expect(endpoints).toHaveLength(2);
  const s3 = endpoints.find((e) => JSON.stringify(e.Properties.ServiceName).includes('.s3'));
  const dynamodb = endpoints.find((e) => JSON.stringify(e.Properties.ServiceName).includes('.dynamodb'));
  expect(dynamodb.Properties.PolicyDocument.Statement).toEqual([THIS_ACCOUNT_ONLY]);
  expect(s3.Properties.PolicyDocument.Statement).toEqual([THIS_ACCOUNT_ONLY, {
    Sid: 'EcrImageLayers',
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*',
  }]);
});

test('NET-2: the endpoint security group admits HTTPS from the VPC CIDR only and sends nothing out', () => {
  // GIVEN / WHEN
  const { stack, network: built, template } = network();
  // THEN
  const groupId = stack.getLogicalId(built.endpointSecurityGroup.node.defaultChild as any);
  const group = template.toJSON().Resources[groupId];
  expect(group.Properties.SecurityGroupIngress).toEqual([{ CidrIp: '10.40.0.0/16', Description: 'HTTPS from the VPC CIDR', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }]);
  expect(group.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })]);
  for (const endpoint of Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } })) as any[]) {
    expect(endpoint.Properties.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [groupId, 'GroupId'] }]);
  }
  template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
});

test('NET-2: the default security group is stripped of its rules', () => {
  // GIVEN / WHEN
  const { template } = network();
  // THEN
  template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  template.hasResourceProperties('Custom::VpcRestrictDefaultSG', { DefaultSecurityGroupId: { 'Fn::GetAtt': [Match.anyValue(), 'DefaultSecurityGroup'] } });
});

test('AUDIT-4: flow logs record ALL traffic of the VPC into the flow log group', () => {
  // GIVEN / WHEN
  const { template } = network();
  // THEN
  template.hasResourceProperties('AWS::EC2::FlowLog', {
    ResourceType: 'VPC',
    TrafficType: 'ALL',
    LogDestinationType: 'cloud-watch-logs',
    LogGroupName: 'flow-logs',
    MaxAggregationInterval: 60,
  });
});

test('fails when fewer than 2 AZs are asked for', () => {
  // GIVEN
  const stack = testStack();
  const flowLogGroup = logs.LogGroup.fromLogGroupArn(stack, 'FlowLogs', FLOW_LOG_ARN);
  // WHEN / THEN
  expect(() => new PerimeterNetwork(stack, 'Network', { cidr: '10.40.0.0/16', flowLogGroup, maxAzs: 1 })).toThrow(/maxAzs must be a whole number from 2 to 6 \(high availability\), got 1/);
});

test('fails on an unknown egress mode', () => {
  // GIVEN
  const stack = testStack();
  const flowLogGroup = logs.LogGroup.fromLogGroupArn(stack, 'FlowLogs', FLOW_LOG_ARN);
  // WHEN / THEN
  expect(() => new PerimeterNetwork(stack, 'Network', { cidr: '10.40.0.0/16', flowLogGroup, egress: 'igw' as never })).toThrow(/egress must be 'none' or 'nat', got 'igw'/);
});
