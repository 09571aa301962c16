import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { backendsFromConfig } from '../../lib/stacks/service-stack';
import { PerimeterConfigInput } from '../../lib/config';
import { buildPerimeter } from '../fixtures/perimeter';
import { testConfig, withCloudFormationValidation } from '../fixtures/test-app';

function serviceStack(overlay: PerimeterConfigInput | Record<string, unknown> = {}) {
  const config = testConfig(overlay);
  const { app, service } = buildPerimeter(config);
  return { app, stack: service, config, template: Template.fromStack(service) };
}

const { template } = serviceStack();

test('TLS-1 TLS-2: the only listener is HTTPS on 443 with the TLS 1.3 post-quantum restricted policy', () => {
  template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    Protocol: 'HTTPS',
    Port: 443,
    SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
    Certificates: [{ CertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-4000-8000-000000000002' }],
  });
});

test('NET-1: the load balancer is internal, drops invalid headers, strictest desync mitigation, deletion protection', () => {
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
    Scheme: 'internal',
    Type: 'application',
    LoadBalancerAttributes: Match.arrayWith([
      { Key: 'deletion_protection.enabled', Value: 'true' },
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      { Key: 'routing.http.desync_mitigation_mode', Value: 'strictest' },
    ]),
  });
});

test('AUDIT-4: the load balancer writes access logs to the audit bucket', () => {
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
    LoadBalancerAttributes: Match.arrayWith([
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'access_logs.s3.bucket', Value: Match.anyValue() },
      { Key: 'access_logs.s3.prefix', Value: 'alb' },
    ]),
  });
});

test('EDGE-4: the listener sets HSTS, CSP, X-Content-Type-Options and X-Frame-Options on every response and hides the Server header', () => {
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    ListenerAttributes: Match.arrayWith([
      { Key: 'routing.http.response.strict_transport_security.header_value', Value: 'max-age=63072000; includeSubDomains' },
      { Key: 'routing.http.response.content_security_policy.header_value', Value: "default-src 'none'; frame-ancestors 'none'; sandbox" },
      { Key: 'routing.http.response.x_content_type_options.header_value', Value: 'nosniff' },
      { Key: 'routing.http.response.x_frame_options.header_value', Value: 'DENY' },
      { Key: 'routing.http.response.server.enabled', Value: 'false' },
    ]),
  });
});

test('EDGE-5: without configured origins the load balancer sends no CORS header', () => {
  const listener = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener'))[0] as any;
  expect(listener.Properties.ListenerAttributes.map((a: any) => a.Key).filter((k: string) => k.includes('access_control'))).toEqual([]);
});

test('EDGE-5: with one configured origin the load balancer allows exactly that origin', () => {
  const { template: t } = serviceStack({ cors: { allowedOrigins: ['https://app.example.com'] } });
  t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    ListenerAttributes: Match.arrayWith([
      { Key: 'routing.http.response.access_control_allow_origin.header_value', Value: 'https://app.example.com' },
      { Key: 'routing.http.response.access_control_allow_headers.header_value', Value: Match.stringLikeRegexp('authorization$') },
    ]),
  });
});

test('EDGE-1: the load balancer has its own WAF web ACL', () => {
  template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
    ResourceArn: { Ref: Match.stringLikeRegexp('^LoadBalancer') },
    WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LoadBalancerFirewall'), 'Arn'] },
  });
});

test('NET-2: the load balancer admits HTTPS from the VPC link security group only', () => {
  const ingress = template.findResources('AWS::EC2::SecurityGroupIngress');
  const toAlb = Object.values(ingress).filter((r: any) => JSON.stringify(r.Properties.GroupId).includes('LoadBalancerSecurityGroup'));
  expect(toAlb).toHaveLength(1);
  expect((toAlb[0] as any).Properties).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^LoadBalancerVpcLinkSecurityGroup/), 'GroupId'] } });
  const groups = template.findResources('AWS::EC2::SecurityGroup');
  for (const g of Object.values(groups) as any[]) {
    expect(JSON.stringify(g.Properties.SecurityGroupIngress ?? [])).not.toContain('0.0.0.0/0');
  }
});

test('TLS-3: API Gateway reaches the load balancer through a VPC link V2 in the workload subnets', () => {
  template.hasResourceProperties('AWS::ApiGatewayV2::VpcLink', {
    SubnetIds: Match.anyValue(),
    SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^LoadBalancerVpcLinkSecurityGroup'), 'GroupId'] }],
  });
});

test('NET-1: tasks run in private subnets without a public IP', () => {
  template.hasResourceProperties('AWS::ECS::Service', {
    LaunchType: 'FARGATE',
    NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: Match.anyValue() } },
  });
});

test('WORK-1: the container runs as a non-root user, read-only root filesystem, not privileged, all capabilities dropped, writable /tmp', () => {
  template.hasResourceProperties('AWS::ECS::TaskDefinition', {
    ContainerDefinitions: Match.arrayWith([Match.objectLike({
      User: '1000:1000',
      ReadonlyRootFilesystem: true,
      Privileged: false,
      LinuxParameters: { Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: true },
      MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }],
    })]),
    Volumes: [{ Name: 'tmp' }],
  });
});

test('WORK-3: ECS Exec is off by default and on only when the config asks', () => {
  template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: false });
  serviceStack({ service: { enableExec: true, execReason: 'on-call engineers debug stuck MCP sessions' } }).template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
});

test('SEC-1: the container environment holds only non-secret settings', () => {
  const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as any;
  const container = task.Properties.ContainerDefinitions[0];
  expect(container.Secrets).toBeUndefined();
  expect(container.Environment).toEqual([
    { Name: 'PORT', Value: '8080' },
    { Name: 'LISTEN_PORTS', Value: '8080' },
    { Name: 'HEALTH_PATHS', Value: '/health' },
    { Name: 'TMPDIR', Value: '/tmp' },
    { Name: 'SERVICE_VERSION', Value: '0.1.0' },
    { Name: 'NODE_ENV', Value: 'production' },
    { Name: 'STREAMING_TIMEOUT_SECONDS', Value: '300' },
  ]);
});

test('AUDIT-3: the container logs to the audit stack service log group', () => {
  template.hasResourceProperties('AWS::ECS::TaskDefinition', {
    ContainerDefinitions: Match.arrayWith([Match.objectLike({ LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({ 'awslogs-group': Match.anyValue(), 'awslogs-stream-prefix': 'mcp' }) } })]),
  });
});

test('the cluster has enhanced Container Insights', () => {
  template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }] });
});

test('a failed deployment rolls back (circuit breaker) and the service scales on CPU and requests per task', () => {
  template.hasResourceProperties('AWS::ECS::Service', {
    DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100 }),
    DesiredCount: 2,
  });
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 6 });
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
    TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } }),
  });
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
    TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }) }),
  });
});

test('WORK-2: the default backend serves every route path and is health-checked on /health', () => {
  template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080, Protocol: 'HTTP', TargetType: 'ip', HealthCheckPath: '/health', Matcher: { HttpCode: '200' } });
  const rules = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule')) as any[];
  const patterns = rules.filter((r) => !r.Properties.Transforms).flatMap((r) => r.Properties.Conditions[0].PathPatternConfig.Values);
  expect(patterns.sort()).toEqual(['/admin', '/admin/*', '/api', '/api/*', '/health', '/mcp', '/mcp/*'].sort());
});

test('TLS-3: stage-prefixed paths reach the same backend with the prefix rewritten away', () => {
  const rules = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule')) as any[];
  const rewritten = rules.filter((r) => r.Properties.Transforms);
  expect(rewritten.flatMap((r) => r.Properties.Conditions[0].PathPatternConfig.Values)).toEqual(expect.arrayContaining(['/live/mcp', '/live/mcp/*', '/live/health']));
  expect(rewritten[0].Properties.Transforms).toEqual([{ Type: 'url-rewrite', UrlRewriteConfig: { Rewrites: [{ Regex: '^/live(/.*)$', Replace: '$1' }] } }]);
});

test('the default listener action answers a JSON 404', () => {
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'application/json', MessageBody: '{"message":"Not Found"}' } }],
  });
});

test('one target group per configured backend, each with its own health path', () => {
  const { template: t } = serviceStack({
    service: {
      backends: [
        { name: 'mcp', containerPort: 8080, paths: ['/mcp'], healthPath: '/health' },
        { name: 'api', containerPort: 9090, paths: ['/api', '/admin'], healthPath: '/api/health' },
      ],
    },
  });
  t.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
  t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 9090, HealthCheckPath: '/api/health' });
});

test('backendsFromConfig gives one mcp backend on 8080 serving each distinct route path', () => {
  expect(backendsFromConfig(testConfig())).toEqual([{ name: 'mcp', containerPort: 8080, paths: ['/mcp', '/api', '/admin'], healthPath: '/health' }]);
});

test('a directory image is built from the folder as an asset', () => {
  // GIVEN a folder with a Dockerfile
  const folder = mkdtempSync(join(tmpdir(), 'mcp-image-'));
  writeFileSync(join(folder, 'Dockerfile'), 'FROM scratch\n');
  // WHEN
  const { template: t } = serviceStack({ service: { image: { kind: 'directory', path: folder } } });
  // THEN the image is the stage's asset repository, not a registry name
  const task = Object.values(t.findResources('AWS::ECS::TaskDefinition'))[0] as any;
  expect(JSON.stringify(task.Properties.ContainerDefinitions[0].Image)).toContain('container-assets');
});

test('the service stack synthesizes with no CloudFormation validation finding', () => {
  // (serviceStack() synthesizes for its template: the validation must be on from the start)
  expect(() => withCloudFormationValidation(() => serviceStack().app.synth())).not.toThrow();
});
