import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AuditLog, AuditLogProps } from '../../../lib/constructs/audit/audit-log';
import { testStack } from '../../fixtures/test-app';

function auditLog(overrides: Partial<AuditLogProps> = {}): { stack: Stack; log: AuditLog; keyId: string; template: Template } {
  const stack = testStack();
  const key = new kms.Key(stack, 'AuditKey');
  const log = new AuditLog(stack, 'AuditLog', { stage: 'dev', encryptionKey: key, ...overrides });
  return { stack, log, keyId: stack.getLogicalId(key.node.defaultChild as kms.CfnKey), template: Template.fromStack(stack) };
}

function logicalId(stack: Stack, construct: any): string {
  return stack.getLogicalId(construct.node.defaultChild ?? construct);
}

test('AUDIT-3: the six audit log groups are KMS-encrypted with the audit key, keep the configured days and are retained', () => {
  // GIVEN / WHEN
  const { stack, log, keyId, template } = auditLog({ logRetentionDays: 180 });
  // THEN
  const groups = [log.authorizerLogGroup, log.apiAccessLogGroup, log.wafLogGroup, log.flowLogGroup, log.serviceLogGroup, log.toolCallAudit.logGroup];
  template.resourceCountIs('AWS::Logs::LogGroup', 6);
  for (const group of groups) {
    const resource = template.toJSON().Resources[logicalId(stack, group)];
    expect(resource.Properties).toMatchObject({ RetentionInDays: 180, KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, DeletionProtectionEnabled: true });
    expect(resource.DeletionPolicy).toBe('Retain');
  }
});

test('AUDIT-3: log retention defaults to 90 days', () => {
  // GIVEN / WHEN
  const { template } = auditLog();
  // THEN
  const retentions = Object.values(template.findResources('AWS::Logs::LogGroup')).map((g: any) => g.Properties.RetentionInDays);
  expect(retentions).toEqual([90, 90, 90, 90, 90, 90]);
});

test('AUDIT-4: the WAF log group is named aws-waf-logs-mcp-perimeter-<stage>-<stack id suffix>, the only physical name', () => {
  // GIVEN / WHEN
  const { stack, log, template } = auditLog();
  // THEN the name starts as WAF demands and ends with a part of the stack's id, new on each creation
  const name = template.toJSON().Resources[logicalId(stack, log.wafLogGroup)].Properties.LogGroupName;
  expect(name['Fn::Join'][1][0]).toBe('aws-waf-logs-mcp-perimeter-dev-');
  expect(JSON.stringify(name['Fn::Join'][1][1])).toContain('"Ref":"AWS::StackId"');
  const named = Object.values(template.findResources('AWS::Logs::LogGroup')).filter((g: any) => g.Properties.LogGroupName !== undefined);
  expect(named).toHaveLength(1);
});

test('AUDIT-5: failed authentications (auth.deny with status 401) are counted from the authorizer log', () => {
  // GIVEN / WHEN
  const { stack, log, template } = auditLog();
  // THEN
  template.hasResourceProperties('AWS::Logs::MetricFilter', {
    LogGroupName: { Ref: logicalId(stack, log.authorizerLogGroup) },
    FilterPattern: '{ ($.event = "auth.deny") && ($.decision = "unauthorized") }',
    MetricTransformations: [Match.objectLike({ MetricNamespace: 'McpPerimeter/dev', MetricName: 'AuthenticationFailures', MetricValue: '1' })],
  });
});

test('AUDIT-5: authorization denials (auth.deny with status 403) are counted from the authorizer log', () => {
  // GIVEN / WHEN
  const { stack, log, template } = auditLog();
  // THEN
  template.hasResourceProperties('AWS::Logs::MetricFilter', {
    LogGroupName: { Ref: logicalId(stack, log.authorizerLogGroup) },
    FilterPattern: '{ ($.event = "auth.deny") && ($.decision = "deny") }',
    MetricTransformations: [Match.objectLike({ MetricName: 'AuthorizationDenials' })],
  });
});

test('AUDIT-5: 429 answers are counted from the API access log', () => {
  // GIVEN / WHEN
  const { stack, log, template } = auditLog();
  // THEN
  template.hasResourceProperties('AWS::Logs::MetricFilter', {
    LogGroupName: { Ref: logicalId(stack, log.apiAccessLogGroup) },
    FilterPattern: '{ $.status = "429" }',
    MetricTransformations: [Match.objectLike({ MetricName: 'ThrottledRequests' })],
  });
});

test('AUDIT-5: WAF blocks are counted from the WAF log', () => {
  // GIVEN / WHEN
  const { stack, log, template } = auditLog();
  // THEN
  template.hasResourceProperties('AWS::Logs::MetricFilter', {
    LogGroupName: { Ref: logicalId(stack, log.wafLogGroup) },
    FilterPattern: '{ $.action = "BLOCK" }',
    MetricTransformations: [Match.objectLike({ MetricName: 'WafBlockedRequests' })],
  });
});

test('AUDIT-5: web-attack patterns counted on the MCP routes feed a metric from the WAF log', () => {
  // GIVEN / WHEN
  const { stack, log, template } = auditLog();
  // THEN: the count rule's name, which a WAF log line holds only when that rule matched
  template.hasResourceProperties('AWS::Logs::MetricFilter', {
    LogGroupName: { Ref: logicalId(stack, log.wafLogGroup) },
    FilterPattern: '"CountBodySignaturesOnMcp"',
    MetricTransformations: [Match.objectLike({ MetricName: 'McpBodySignatures' })],
  });
});

test('AUDIT-5: each signal has an alarm over 5 minutes that notifies the alarm topic', () => {
  // GIVEN / WHEN
  const { stack, log, template } = auditLog({ alarmThresholds: { authenticationFailures: 7 } });
  // THEN
  const topicRef = { Ref: logicalId(stack, log.alarmTopic) };
  const expected: Record<string, number> = { AuthenticationFailures: 7, AuthorizationDenials: 20, ThrottledRequests: 50, WafBlockedRequests: 100, McpBodySignatures: 100 };
  template.resourceCountIs('AWS::CloudWatch::Alarm', 6); // and DeniedToolCalls (tool-call-audit.ts)
  for (const [metric, threshold] of Object.entries(expected)) {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: metric,
      Namespace: 'McpPerimeter/dev',
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
    });
  }
});

test('AUDIT-5: the alarm topic is encrypted with the audit key', () => {
  // GIVEN / WHEN
  const { keyId, template } = auditLog();
  // THEN
  template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
});

test('TLS-1: the alarm topic refuses requests without TLS and admits CloudWatch alarms of this account only', () => {
  // GIVEN / WHEN
  const { stack, log, template } = auditLog();
  // THEN
  template.hasResourceProperties('AWS::SNS::TopicPolicy', {
    Topics: [{ Ref: logicalId(stack, log.alarmTopic) }],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: {
            ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*' },
            StringEquals: { 'aws:SourceAccount': '111111111111' },
          },
        }),
      ]),
    },
  });
});

test('AUDIT-5: the alarm email from config is subscribed to the topic', () => {
  // GIVEN / WHEN
  const { template } = auditLog({ alarmEmail: 'security@example.com' });
  // THEN
  template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'security@example.com' });
});

test('AUDIT-5: without an alarm email there is no subscription', () => {
  // GIVEN / WHEN
  const { template } = auditLog();
  // THEN
  template.resourceCountIs('AWS::SNS::Subscription', 0);
});

test('fails when an alarm threshold is not a positive whole number', () => {
  // GIVEN
  const stack = testStack();
  const key = new kms.Key(stack, 'AuditKey');
  // WHEN / THEN
  expect(() => new AuditLog(stack, 'AuditLog', { stage: 'dev', encryptionKey: key, alarmThresholds: { wafBlocks: 0 } })).toThrow(/thresholds\.wafBlocks must be a whole number of 1 or more, got 0/);
});
