import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { IKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AuditLogGroup } from './audit-log-group';

/** Properties of a {@link ToolCallAudit}. */
export interface ToolCallAuditProps {
  /** The customer-managed key of the log group (AUDIT-3). */
  readonly encryptionKey: IKey;
  /** Days the events are kept: a CloudWatch Logs value of 90 or more (AUDIT-3). */
  readonly retentionDays: number;
  /** The metric namespace, like `McpPerimeter/dev`. */
  readonly metricNamespace: string;
  /** The topic the alarm acts on (AUDIT-5). */
  readonly topic: ITopic;
  /** Denied tool calls per 5 minutes that raise the alarm. @default 20 */
  readonly deniedToolCallThreshold?: number;
}

/** The metric of denied tool calls. */
export const DENIED_TOOL_CALLS_METRIC = 'DeniedToolCalls';

/**
 * The MCP enforcement point's audit trail (AUDIT-1, AUDIT-3, AUDIT-5, RBAC-2): its own log group
 * (KMS-encrypted with the audit key, kept 90 days or more, retained), which receives one JSON event per
 * tool-call decision (`event: tool.call`, `decision`, `reason`, agent id and type, role, tool, request
 * id, duration, argument size, never argument values), and a metric filter with an alarm on denied tool
 * calls acting on the audit alarm topic.
 */
export class ToolCallAudit extends Construct {
  /** The enforcement point container's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The alarm on denied tool calls. */
  public readonly deniedToolCallsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ToolCallAuditProps) {
    super(scope, id);
    const threshold = props.deniedToolCallThreshold ?? 20;
    if (!Number.isInteger(threshold) || threshold < 1) throw new Error(`deniedToolCallThreshold must be a whole number of 1 or more, got ${threshold}`);
    this.logGroup = new AuditLogGroup(this, 'LogGroup', { encryptionKey: props.encryptionKey, retentionDays: props.retentionDays });
    const filter = new logs.MetricFilter(this, 'DeniedToolCallsFilter', {
      logGroup: this.logGroup,
      filterPattern: logs.FilterPattern.all(logs.FilterPattern.stringValue('$.event', '=', 'tool.call'), logs.FilterPattern.stringValue('$.decision', '=', 'deny')),
      metricNamespace: props.metricNamespace,
      metricName: DENIED_TOOL_CALLS_METRIC,
      metricValue: '1',
      unit: cloudwatch.Unit.COUNT,
    });
    this.deniedToolCallsAlarm = new cloudwatch.Alarm(this, 'DeniedToolCallsAlarm', {
      metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'AUDIT-5, RBAC-2: tool calls denied by the MCP enforcement point (enforcement point tool.call, decision deny): a caller probing tools beyond its role, or a server tool nobody classified',
    });
    this.deniedToolCallsAlarm.addAlarmAction(new actions.SnsAction(props.topic));
  }
}
