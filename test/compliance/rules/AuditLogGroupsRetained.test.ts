import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { checkPerimeter, nagStack } from './nag-harness';

describe('AuditLogGroupsRetained: log groups keep >= 90 days, use a CMK and are retained (AUDIT-3)', () => {
  test('Noncompliance 1: 30 days, no key, destroyed with the stack', () => {
    // GIVEN
    const stack = nagStack();
    new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUDIT3')).toEqual([
      'Test/Logs/Resource[RetentionInDays::30]', 'Test/Logs/Resource[KmsKeyId]',
      'Test/Logs/Resource[DeletionPolicy::Delete]', 'Test/Logs/Resource[UpdateReplacePolicy::Delete]',
    ]);
  });

  test('Noncompliance 2: a retained, encrypted log group kept 60 days', () => {
    // GIVEN
    const stack = nagStack();
    new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.TWO_MONTHS, encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUDIT3')).toEqual(['Test/Logs/Resource[RetentionInDays::60]']);
  });

  test('Compliance: 90 days and never-expiring log groups, encrypted and retained', () => {
    // GIVEN
    const stack = nagStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new logs.LogGroup(stack, 'Audit', { retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: key });
    new logs.LogGroup(stack, 'Forever', { retention: logs.RetentionDays.INFINITE, encryptionKey: key });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUDIT3')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-AUDIT3')).toEqual(['Test/Audit/Resource', 'Test/Forever/Resource']);
  });
});
