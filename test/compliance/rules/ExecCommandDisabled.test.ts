import { Stack, Tags } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { checkPerimeter, nagStack } from './nag-harness';
import { isolatedVpc } from './perimeter-fixtures';

function service(stack: Stack, enableExecuteCommand: boolean): ecs.FargateService {
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('mcp', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp:1') });
  return new ecs.FargateService(stack, 'Service', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc: isolatedVpc(stack) }), taskDefinition: task, enableExecuteCommand });
}

describe('ExecCommandDisabled: ECS Exec is off unless mcp-perimeter:ecs-exec=enabled (WORK-3)', () => {
  test('Noncompliance 1: ECS Exec on without the choice', () => {
    // GIVEN
    const stack = nagStack();
    service(stack, true);
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-WORK3')).toEqual(['Test/Service/Service']);
  });

  test('Noncompliance 2: ECS Exec on with the choice tag set to another value', () => {
    // GIVEN
    const stack = nagStack();
    Tags.of(service(stack, true)).add('mcp-perimeter:ecs-exec', 'yes');
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-WORK3')).toEqual(['Test/Service/Service']);
  });

  test('Compliance: ECS Exec off, and on where the service is tagged mcp-perimeter:ecs-exec=enabled', () => {
    // GIVEN
    const off = nagStack();
    service(off, false);
    const asked = nagStack('Asked');
    Tags.of(service(asked, true)).add('mcp-perimeter:ecs-exec', 'enabled');
    // WHEN
    const offRun = checkPerimeter(off);
    const askedRun = checkPerimeter(asked);
    // THEN
    expect([...offRun.violationsOf('McpPerimeter-WORK3'), ...askedRun.violationsOf('McpPerimeter-WORK3')]).toEqual([]);
    expect([...offRun.compliantOf('McpPerimeter-WORK3'), ...askedRun.compliantOf('McpPerimeter-WORK3')]).toEqual(['Test/Service/Service', 'Asked/Service/Service']);
  });
});
