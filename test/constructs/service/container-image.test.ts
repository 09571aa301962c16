import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { containerImage, parseImageReference } from '../../../lib/constructs/service/container-image';
import { PerimeterStage } from '../../../lib/stage';
import { TEST_ENV, testApp, testConfig, testStack } from '../../fixtures/test-app';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

test('parseImageReference reads ECR hosts, tags and digests as Docker does, and names any other registry', () => {
  expect(parseImageReference('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/mcp:1.2')).toEqual({ kind: 'ecr', account: '123456789012', region: 'eu-west-1', repositoryName: 'team/mcp', tagOrDigest: '1.2' });
  expect(parseImageReference(`123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/mcp@${DIGEST}`)).toEqual({ kind: 'ecr', account: '123456789012', region: 'us-gov-west-1', repositoryName: 'mcp', tagOrDigest: DIGEST });
  expect(parseImageReference('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/mcp')).toEqual({ kind: 'ecr', account: '123456789012', region: 'cn-north-1', repositoryName: 'mcp', tagOrDigest: 'latest' });
  expect(parseImageReference('public.ecr.aws/org/mcp:1')).toEqual({ kind: 'other', registry: 'public.ecr.aws' });
  expect(parseImageReference('ghcr.io/org/mcp:1')).toEqual({ kind: 'other', registry: 'ghcr.io' });
  expect(parseImageReference('org/mcp:1')).toEqual({ kind: 'other', registry: 'docker.io' });
  expect(parseImageReference('registry.example.com:5000/mcp:1')).toEqual({ kind: 'other', registry: 'registry.example.com:5000' });
  expect(() => parseImageReference('123456789012.dkr.ecr.eu-west-1.amazonaws.com/mcp@sha256:abc')).toThrow(/sha256: and 64/);
});

/** The execution role's policy statements of a task running `image`. */
function executionStatements(image: (scope: ReturnType<typeof testStack>) => ecs.ContainerImage): any[] {
  const stack = testStack();
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('mcp', { image: image(stack), memoryLimitMiB: 512 });
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .map((st: any) => ({ ...st, Action: Array.isArray(st.Action) ? [...st.Action].sort() : st.Action }));
}

test('SEC-4: a private ECR image is pulled by the execution role from that one repository, and nothing else', () => {
  // GIVEN / WHEN
  const statements = executionStatements((scope) => containerImage(scope, { image: { kind: 'registry', name: `222222222222.dkr.ecr.eu-west-1.amazonaws.com/team/mcp@${DIGEST}` }, cpuArchitecture: 'x86_64' }));
  // THEN
  expect(statements).toEqual([
    { Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Effect: 'Allow', Resource: 'arn:aws:ecr:eu-west-1:222222222222:repository/team/mcp' },
    { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
  ]);
});

test('SEC-4: a private third-party registry image carries its repositoryCredentials secret, which only the execution role may read', () => {
  // GIVEN
  const secret = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:registry-AbCdEf';
  const stack = testStack();
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  // WHEN
  task.addContainer('mcp', { image: containerImage(stack, { image: { kind: 'registry', name: 'registry.example.com/mcp:1' }, cpuArchitecture: 'x86_64', registryCredentialsSecretArn: secret }), memoryLimitMiB: 512 });
  // THEN
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [{ Image: 'registry.example.com/mcp:1', RepositoryCredentials: { CredentialsParameter: secret } }] } as any);
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  expect(statements).toEqual([{ Action: expect.arrayContaining(['secretsmanager:GetSecretValue']), Effect: 'Allow', Resource: secret }]);
  expect(statements[0].Action.every((a: string) => ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'].includes(a))).toBe(true);
});

test('WORK-1: service.cpuArchitecture sets both the task\'s runtime platform and the image asset\'s build platform', () => {
  for (const [arch, cpu, platform] of [['arm64', 'ARM64', 'linux/arm64'], ['x86_64', 'X86_64', 'linux/amd64']] as const) {
    // GIVEN the default image (the reference-server folder)
    const app = testApp({ bundling: false });
    const config = testConfig({ service: { image: { kind: 'directory', path: 'reference-server' }, cpuArchitecture: arch } });
    const stage = new PerimeterStage(app, 'dev', { config, env: TEST_ENV });
    // WHEN
    const assembly = stage.synth();
    // THEN the task runs on the architecture the image is built for
    Template.fromStack(stage.service).hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: cpu, OperatingSystemFamily: 'LINUX' } });
    const manifest = JSON.parse(readFileSync(join(assembly.directory, `${stage.service.artifactId}.assets.json`), 'utf8'));
    const images = Object.values(manifest.dockerImages) as any[];
    // (the server's image and the MCP enforcement point's sidecar image, both built for the task's architecture)
    expect(images.map((a) => [a.source.directory.length > 0, a.source.platform])).toEqual([[true, platform], [true, platform]]);
  }
});

test('WORK-1: the default architecture is x86_64', () => {
  expect(testConfig().service.cpuArchitecture).toBe('x86_64');
});
