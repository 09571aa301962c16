import { Template } from 'aws-cdk-lib/assertions';
import { AuditStack } from '../../lib/stacks/audit-stack';
import { KeysStack } from '../../lib/stacks/keys-stack';
import { CertificateExpiryAlarms } from '../../lib/constructs/audit/certificate-expiry-alarms';
import { testApp, testConfig, TEST_ENV } from '../fixtures/test-app';

function auditStack(overlay: Record<string, unknown> = {}): { keys: KeysStack; audit: AuditStack; template: Template } {
  const app = testApp({ bundling: false });
  const config = testConfig(overlay);
  const keys = new KeysStack(app, 'Keys', { env: TEST_ENV, config });
  const audit = new AuditStack(app, 'Audit', { env: TEST_ENV, config, auditKey: keys.auditKey });
  return { keys, audit, template: Template.fromStack(audit) };
}

test('AUDIT-3: every log group keeps config.audit.logRetentionDays, is encrypted with the keys stack\'s audit key and retained', () => {
  // GIVEN / WHEN
  const { template } = auditStack({ audit: { logRetentionDays: 365 } });
  // THEN
  template.resourceCountIs('AWS::Logs::LogGroup', 6);
  const groups = Object.values(template.findResources('AWS::Logs::LogGroup')) as any[];
  for (const group of groups) {
    expect(group.Properties.RetentionInDays).toBe(365);
    expect(group.Properties.DeletionProtectionEnabled).toBe(true);
    expect(group.DeletionPolicy).toBe('Retain');
    // the audit key lives in the keys stack: a cross-stack reference, never a key created here
    expect(JSON.stringify(group.Properties.KmsKeyId)).toMatch(/Keys.*AuditKey/);
  }
  template.resourceCountIs('AWS::KMS::Key', 0);
});

test('AUDIT-3: the default config keeps audit logs 90 days', () => {
  // GIVEN / WHEN
  const { template } = auditStack();
  // THEN
  template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
});

test('AUDIT-4: the WAF log group carries the stage in its aws-waf-logs- name, and a suffix new with each creation of the stack', () => {
  // GIVEN / WHEN
  const { template } = auditStack({ stage: 'prod' });
  // THEN the name is fixed while the stack lives (its id) but not across a destroy and re-create (a new stack id)
  const named = Object.values(template.findResources('AWS::Logs::LogGroup')).filter((r: any) => r.Properties.LogGroupName);
  expect(named).toHaveLength(1);
  const name = (named[0] as any).Properties.LogGroupName;
  expect(name['Fn::Join'][1][0]).toBe('aws-waf-logs-mcp-perimeter-prod-');
  expect(JSON.stringify(name['Fn::Join'][1][1])).toBe(JSON.stringify({ 'Fn::Select': [4, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] }));
  // AWS::StackId is arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>: the suffix is the UUID's last 12 hex digits
  const id = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/McpPerimeter-prod-Audit/1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b';
  expect(`aws-waf-logs-mcp-perimeter-prod-${id.split('/')[2].split('-')[4]}`).toBe('aws-waf-logs-mcp-perimeter-prod-0c1d2e3f4a5b');
});

test('AUDIT-4: the ALB access-log bucket keeps logs config.audit.accessLogBucketDays', () => {
  // GIVEN / WHEN
  const { audit, template } = auditStack({ audit: { accessLogBucketDays: 730 } });
  // THEN
  const bucket = template.toJSON().Resources[audit.getLogicalId(audit.auditLog.accessLogBucket.node.defaultChild as any)];
  expect(bucket.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({ ExpirationInDays: 730, NoncurrentVersionExpiration: { NoncurrentDays: 730 } });
});

test('AUDIT-5: the authentication-failure alarm uses config.audit.authFailureThreshold and the email is subscribed', () => {
  // GIVEN / WHEN
  const { template } = auditStack({ audit: { authFailureThreshold: 5, alarmEmail: 'soc@example.com' } });
  // THEN
  template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuthenticationFailures', Namespace: 'McpPerimeter/dev', Threshold: 5 });
  template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'soc@example.com' });
});

test('AUDIT-5: the alarm topic is encrypted with the keys stack\'s audit key', () => {
  // GIVEN / WHEN
  const { template } = auditStack();
  // THEN
  const topic = Object.values(template.findResources('AWS::SNS::Topic'))[0] as any;
  expect(JSON.stringify(topic.Properties.KmsMasterKeyId)).toMatch(/Keys.*AuditKey/);
});

test('the audit log groups and buckets keep stable logical ids (a changed id would orphan retained evidence)', () => {
  // GIVEN / WHEN
  const { template } = auditStack();
  // THEN
  expect(Object.keys(template.findResources('AWS::Logs::LogGroup')).sort()).toEqual([
    'AuditLogApiAccessLogGroupFB26608E',
    'AuditLogAuthorizerLogGroup09C3A380',
    'AuditLogFlowLogGroup7E5802F9',
    'AuditLogServiceLogGroupC8948991',
    'AuditLogToolCallAuditLogGroupD802B26D',
    'AuditLogWafLogGroup9FB1C24D',
  ]);
  expect(Object.keys(template.findResources('AWS::S3::Bucket')).sort()).toEqual(['AuditLogAccessLogBucketDD692A05', 'AuditLogAccessLogBucketServerAccessLogsC52ACA1A']);
});

test('TLS-4: both ACM certificates have an expiry alarm on DaysToExpiry below 30 days, acting on the audit alarm topic', () => {
  // GIVEN
  const { audit, template } = auditStack();
  const config = testConfig();
  const topicId = audit.getLogicalId(audit.auditLog.alarmTopic.node.defaultChild as never);
  // WHEN / THEN
  for (const arn of [config.domain.apiCertificateArn, config.domain.internalCertificateArn]) {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/CertificateManager',
      MetricName: 'DaysToExpiry',
      Dimensions: [{ Name: 'CertificateArn', Value: arn }],
      Statistic: 'Minimum',
      Period: 86400,
      Threshold: 30,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
  }
});

test('TLS-4: an expiry threshold outside 1..60 days is refused', () => {
  // GIVEN
  const { audit } = auditStack();
  // WHEN / THEN
  expect(() => new CertificateExpiryAlarms(audit, 'Bad', { certificates: { Api: 'arn' }, topic: audit.auditLog.alarmTopic, daysBeforeExpiry: 90 }))
    .toThrow(/daysBeforeExpiry must be a whole number of days from 1 to 60, got 90/);
});
