import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { checkPerimeter, nagStack } from './nag-harness';
import { restApi } from './perimeter-fixtures';

function alarmOnFilter(stack: Stack, id: string, pattern: string, withAction = true): void {
  const group = stack.node.tryFindChild('Audit') as logs.LogGroup ?? new logs.LogGroup(stack, 'Audit');
  const filter = new logs.MetricFilter(stack, `${id}Filter`, { logGroup: group, filterPattern: logs.FilterPattern.literal(pattern), metricNamespace: 'McpPerimeter', metricName: id });
  const alarm = filter.metric().createAlarm(stack, `${id}Alarm`, { threshold: 5, evaluationPeriods: 1 });
  if (withAction) alarm.addAlarmAction(new actions.SnsAction(stack.node.tryFindChild('Topic') as sns.Topic ?? new sns.Topic(stack, 'Topic')));
}

describe('SecurityAlarmsConfigured: auth failures and rate limiting raise alarms with actions (AUDIT-5)', () => {
  test('Noncompliance 1: an API with no alarms', () => {
    // GIVEN
    const stack = nagStack();
    restApi(stack);
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUDIT5')).toEqual(['Test/Api/DeploymentStage.live/Resource[Alarm::AuthFailures]', 'Test/Api/DeploymentStage.live/Resource[Alarm::RateLimited]']);
  });

  test('Noncompliance 2: an auth-failure alarm without actions, and a rate-limit alarm', () => {
    // GIVEN
    const stack = nagStack();
    restApi(stack);
    alarmOnFilter(stack, 'AuthDenied', '{ $.decision = "deny" }', false);
    alarmOnFilter(stack, 'RateLimited', '{ $.status = 429 }');
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUDIT5')).toEqual(['Test/Api/DeploymentStage.live/Resource[Alarm::AuthFailures]']);
  });

  test('Compliance: alarms with actions on authorizer denials and on WAF blocks', () => {
    // GIVEN
    const stack = nagStack();
    restApi(stack);
    alarmOnFilter(stack, 'AuthDenied', '{ $.decision = "deny" }');
    new cloudwatch.Metric({ namespace: 'AWS/WAFV2', metricName: 'BlockedRequests', dimensionsMap: { WebACL: 'api', Rule: 'ALL', Region: 'eu-west-1' } })
      .createAlarm(stack, 'WafBlocks', { threshold: 100, evaluationPeriods: 1 })
      .addAlarmAction(new actions.SnsAction(stack.node.findChild('Topic') as sns.Topic));
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUDIT5')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-AUDIT5')).toEqual(['Test/Api/DeploymentStage.live/Resource']);
  });
});
