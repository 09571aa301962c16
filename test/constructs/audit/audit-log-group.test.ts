import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AuditLogGroup } from '../../../lib/constructs/audit/audit-log-group';
import { testStack } from '../../fixtures/test-app';

test('AUDIT-3: an audit log group is KMS-encrypted, keeps events 90 days, is retained on stack delete and deletion-protected', () => {
  // GIVEN
  const stack = testStack();
  const key = new kms.Key(stack, 'Key');
  // WHEN
  new AuditLogGroup(stack, 'Group', { encryptionKey: key, retentionDays: 90 });
  // THEN
  const template = Template.fromStack(stack);
  template.hasResource('AWS::Logs::LogGroup', {
    Properties: {
      RetentionInDays: 90,
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
      DeletionProtectionEnabled: true,
    },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  });
});

test('AUDIT-3: a longer retention from config is kept as given', () => {
  // GIVEN
  const stack = testStack();
  const key = new kms.Key(stack, 'Key');
  // WHEN
  new AuditLogGroup(stack, 'Group', { encryptionKey: key, retentionDays: 365 });
  // THEN
  Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
});

test('AUDIT-3: fails when retention is under 90 days', () => {
  // GIVEN
  const stack = testStack();
  const key = new kms.Key(stack, 'Key');
  // WHEN / THEN
  expect(() => new AuditLogGroup(stack, 'Group', { encryptionKey: key, retentionDays: 60 })).toThrow(/retentionDays must be one of 90, 120, .* \(90 days or more, AUDIT-3\), got 60/);
});

test('fails when retention is not a CloudWatch Logs value', () => {
  // GIVEN
  const stack = testStack();
  const key = new kms.Key(stack, 'Key');
  // WHEN / THEN
  expect(() => new AuditLogGroup(stack, 'Group', { encryptionKey: key, retentionDays: 100 })).toThrow(/got 100/);
});

test('fails when the log group name has characters CloudWatch Logs refuses', () => {
  // GIVEN
  const stack = testStack();
  const key = new kms.Key(stack, 'Key');
  // WHEN / THEN
  expect(() => new AuditLogGroup(stack, 'Group', { encryptionKey: key, retentionDays: 90, logGroupName: 'aws-waf-logs bad name' })).toThrow(/logGroupName must be .*got 'aws-waf-logs bad name'/);
});
