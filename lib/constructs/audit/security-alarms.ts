import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { MCP_BODY_SIGNATURE_RULE } from '../edge/web-firewall';

/** How many events in {@link ALARM_PERIOD} raise each alarm. */
export interface SecurityAlarmThresholds {
  /**
   * Failed authentications (authorizer `auth.deny` with decision `unauthorized`, a 401).
   * @default 20
   */
  readonly authenticationFailures?: number;
  /**
   * Authorization denials (authorizer `auth.deny` with decision `deny`, a 403).
   * @default 20
   */
  readonly authorizationDenials?: number;
  /**
   * Requests answered 429 by the API (rate limits).
   * @default 50
   */
  readonly throttledRequests?: number;
  /**
   * Requests blocked by a WAF web ACL.
   * @default 100
   */
  readonly wafBlocks?: number;
  /**
   * Requests on the MCP routes whose body matched a managed web-attack rule (counted, not blocked: code
   * and URLs in tool calls match them). A rise means someone is probing the MCP server with payloads.
   * @default 100
   */
  readonly mcpBodySignatures?: number;
}

/** Properties of {@link SecurityAlarms}. */
export interface SecurityAlarmsProps {
  /** The metric namespace, like `McpPerimeter/dev`. */
  readonly metricNamespace: string;
  /** The key that encrypts the alarm topic (the audit key). */
  readonly encryptionKey: IKey;
  /** The authorizer's audit events: JSON lines with `event` (`auth.allow`, `auth.deny`), `decision`, `reason`. */
  readonly authorizerLogGroup: logs.ILogGroup;
  /** The API's JSON access log with a `status` field. */
  readonly apiAccessLogGroup: logs.ILogGroup;
  /** The WAF log group (`aws-waf-logs-…`), JSON with an `action` field. */
  readonly wafLogGroup: logs.ILogGroup;
  /** Alarm thresholds. @default - see {@link SecurityAlarmThresholds} */
  readonly thresholds?: SecurityAlarmThresholds;
  /**
   * An email address subscribed to the alarm topic.
   * @default - no subscription; subscribe to the topic yourself
   */
  readonly alarmEmail?: string;
}

/** The window every alarm counts over. */
export const ALARM_PERIOD = Duration.minutes(5);

/** One security signal: a metric filter on an audit log group and the alarm on its metric. */
interface SecuritySignal {
  /** The metric name, also the construct id of the filter and the alarm. */
  readonly metricName: string;
  /** The filter pattern over the log group's JSON events. */
  readonly pattern: logs.IFilterPattern;
  /** Events per period that raise the alarm. */
  readonly threshold: number;
  /** What the alarm means, with its checklist item. */
  readonly description: string;
}

/**
 * The audit alarms (AUDIT-5): metric filters over the audit log groups for authentication failures,
 * authorization denials, 429s, WAF blocks and web-attack patterns counted on the MCP routes, each with an alarm acting on one SNS topic. The topic
 * is encrypted with the audit key (SSE-KMS), refuses publishing without TLS, admits CloudWatch alarms
 * of this account only, and emails `alarmEmail` when one is set.
 */
export class SecurityAlarms extends Construct {
  /** The topic every alarm acts on. */
  public readonly topic: sns.ITopic;
  /** The alarms, by metric name. */
  public readonly alarms: Record<string, cloudwatch.Alarm> = {};

  constructor(scope: Construct, id: string, props: SecurityAlarmsProps) {
    super(scope, id);
    const t = props.thresholds ?? {};
    const thresholds = {
      authenticationFailures: t.authenticationFailures ?? 20,
      authorizationDenials: t.authorizationDenials ?? 20,
      throttledRequests: t.throttledRequests ?? 50,
      wafBlocks: t.wafBlocks ?? 100,
      mcpBodySignatures: t.mcpBodySignatures ?? 100,
    };
    for (const [field, value] of Object.entries(thresholds)) {
      if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < 1)) {
        throw new Error(`thresholds.${field} must be a whole number of 1 or more, got ${value}`);
      }
    }

    const topic = new sns.Topic(this, 'Resource', {
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    const stack = Stack.of(this);
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsOfThisAccountPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }));
    if (props.alarmEmail) topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.topic = topic;

    const deny = logs.FilterPattern.stringValue('$.event', '=', 'auth.deny');
    const signals: Array<SecuritySignal & { logGroup: logs.ILogGroup }> = [
      {
        logGroup: props.authorizerLogGroup,
        metricName: 'AuthenticationFailures',
        pattern: logs.FilterPattern.all(deny, logs.FilterPattern.stringValue('$.decision', '=', 'unauthorized')),
        threshold: thresholds.authenticationFailures,
        description: 'AUDIT-5: failed authentications (authorizer auth.deny, decision unauthorized: a 401): credential guessing or a leaked, revoked or expired token in use',
      },
      {
        logGroup: props.authorizerLogGroup,
        metricName: 'AuthorizationDenials',
        pattern: logs.FilterPattern.all(deny, logs.FilterPattern.stringValue('$.decision', '=', 'deny')),
        threshold: thresholds.authorizationDenials,
        description: 'AUDIT-5: authorization denials (authorizer auth.deny, decision deny: a 403): a caller probing routes beyond its role',
      },
      {
        logGroup: props.apiAccessLogGroup,
        metricName: 'ThrottledRequests',
        // The access log writes `status` as a JSON string ("$context.status" in quotes).
        pattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
        threshold: thresholds.throttledRequests,
        description: 'AUDIT-5: requests answered 429 (EDGE-2 rate limits)',
      },
      {
        logGroup: props.wafLogGroup,
        metricName: 'WafBlockedRequests',
        pattern: logs.FilterPattern.stringValue('$.action', '=', 'BLOCK'),
        threshold: thresholds.wafBlocks,
        description: 'AUDIT-5: requests blocked by a WAF web ACL (EDGE-1, EDGE-3, EDGE-6)',
      },
      {
        logGroup: props.wafLogGroup,
        metricName: 'McpBodySignatures',
        // The count rule's name appears in a WAF log line only when the rule matched (nonTerminatingMatchingRules).
        pattern: logs.FilterPattern.allTerms(MCP_BODY_SIGNATURE_RULE),
        threshold: thresholds.mcpBodySignatures,
        description: `AUDIT-5: MCP requests whose body matched a managed web-attack rule (counted by ${MCP_BODY_SIGNATURE_RULE}, not blocked: EDGE-1)`,
      },
    ];

    const action = new actions.SnsAction(topic);
    for (const signal of signals) {
      const filter = new logs.MetricFilter(this, `${signal.metricName}Filter`, {
        logGroup: signal.logGroup,
        filterPattern: signal.pattern,
        metricNamespace: props.metricNamespace,
        metricName: signal.metricName,
        metricValue: '1',
        unit: cloudwatch.Unit.COUNT,
      });
      const alarm = new cloudwatch.Alarm(this, `${signal.metricName}Alarm`, {
        metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD }),
        threshold: signal.threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: signal.description,
      });
      alarm.addAlarmAction(action);
      this.alarms[signal.metricName] = alarm;
    }
  }
}
