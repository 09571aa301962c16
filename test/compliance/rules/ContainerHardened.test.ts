import * as ecs from 'aws-cdk-lib/aws-ecs';
import { checkPerimeter, nagStack } from './nag-harness';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp:1');

describe('ContainerHardened: containers run non-root, unprivileged, with a read-only root filesystem (WORK-1)', () => {
  test('Noncompliance 1: a container with the image defaults', () => {
    // GIVEN
    const stack = nagStack();
    new ecs.FargateTaskDefinition(stack, 'Task').addContainer('mcp', { image: IMAGE });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-WORK1')).toEqual(['Test/Task/Resource[User::mcp]', 'Test/Task/Resource[ReadonlyRootFilesystem::mcp]']);
  });

  test('Noncompliance 2: a sidecar as root:root and a privileged container', () => {
    // GIVEN
    const stack = nagStack();
    const task = new ecs.Ec2TaskDefinition(stack, 'Task');
    task.addContainer('mcp', { image: IMAGE, memoryLimitMiB: 512, user: '1000', readonlyRootFilesystem: true, privileged: true });
    task.addContainer('sidecar', { image: IMAGE, memoryLimitMiB: 128, user: 'root:root', readonlyRootFilesystem: true });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-WORK1')).toEqual(['Test/Task/Resource[Privileged::mcp]', 'Test/Task/Resource[User::sidecar]']);
  });

  test('Compliance: uid 1000 with a read-only root filesystem', () => {
    // GIVEN
    const stack = nagStack();
    new ecs.FargateTaskDefinition(stack, 'Task').addContainer('mcp', { image: IMAGE, user: '1000:1000', readonlyRootFilesystem: true });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-WORK1')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-WORK1')).toEqual(['Test/Task/Resource']);
  });
});
