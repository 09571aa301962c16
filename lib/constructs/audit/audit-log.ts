import { Fn, Stack } from 'aws-cdk-lib';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';
import { AuditLogGroup } from './audit-log-group';
import { SecurityAlarms, SecurityAlarmThresholds } from './security-alarms';
import { ToolCallAudit } from './tool-call-audit';

/** The prefix AWS WAF demands of a CloudWatch Logs destination. */
export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

/**
 * The WAF log group's name: `aws-waf-logs-mcp-perimeter-<stage>-<12 hex>`. WAF demands the prefix; the
 * suffix is the last group of the stack's id (a UUID CloudFormation draws when it creates the stack), so
 * the name never changes while the stack lives, and a stage destroyed and deployed again under the same
 * name gets a new name instead of colliding with the retained log group of its previous life.
 */
export function wafLogGroupName(stage: string, stack: Stack): string {
  const stackUuid = Fn.select(2, Fn.split('/', stack.stackId));
  return `${WAF_LOG_GROUP_PREFIX}mcp-perimeter-${stage}-${Fn.select(4, Fn.split('-', stackUuid))}`;
}

/** Properties of an {@link AuditLog}. */
export interface AuditLogProps {
  /** The stage name: part of the WAF log group's name and of the metric namespace. */
  readonly stage: string;
  /** The customer-managed key of the log groups and the alarm topic (AUDIT-3). */
  readonly encryptionKey: IKey;
  /**
   * Days the log groups keep events: a CloudWatch Logs value of 90 or more (AUDIT-3).
   * @default 90
   */
  readonly logRetentionDays?: number;
  /**
   * Days the load balancer's access logs are kept in S3: 90 or more.
   * @default 365
   */
  readonly accessLogBucketDays?: number;
  /**
   * Who the alarms email.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /** Alarm thresholds per 5 minutes. @default - see {@link SecurityAlarmThresholds} */
  readonly alarmThresholds?: SecurityAlarmThresholds;
}

/**
 * Where every log of the perimeter goes (AUDIT-3, AUDIT-4, AUDIT-5): one log group per source
 * (authorizer audit events, API access logs, WAF logs, VPC flow logs, the MCP service), all
 * KMS-encrypted with the audit key, kept for the configured retention and when the stack is deleted;
 * the ALB access-log bucket; and the alarms on authentication failures, authorization denials, 429s
 * and WAF blocks, acting on an encrypted SNS topic.
 *
 * The producers live in later stacks and only write here: the authorizer logs to
 * `authorizerLogGroup`, the API stage to `apiAccessLogGroup` (JSON with `status`), both web ACLs to
 * `wafLogGroup`, the VPC to `flowLogGroup`, the ECS tasks to `serviceLogGroup`, the ALB to
 * `accessLogBucket`.
 */
export class AuditLog extends Construct {
  /** The authorizer's audit events (AUDIT-1): JSON with `event`, `reason`, `status`. */
  public readonly authorizerLogGroup: ILogGroup;
  /** The API stage's JSON access log (AUDIT-4). */
  public readonly apiAccessLogGroup: ILogGroup;
  /** Both web ACLs' logs; named `aws-waf-logs-mcp-perimeter-<stage>-<suffix>` as WAF demands (AUDIT-4), see {@link wafLogGroupName}. */
  public readonly wafLogGroup: ILogGroup;
  /** The VPC flow logs (AUDIT-4). */
  public readonly flowLogGroup: ILogGroup;
  /** The MCP service's container logs. */
  public readonly serviceLogGroup: ILogGroup;
  /** The internal load balancer's access logs (AUDIT-4); SSE-S3, as ALB log delivery requires. */
  public readonly accessLogBucket: IBucket;
  /** The topic the security alarms act on (AUDIT-5). */
  public readonly alarmTopic: ITopic;
  /** The security alarms. */
  public readonly alarms: SecurityAlarms;
  /** The MCP enforcement point's tool-call audit log group and its alarm (RBAC-2, AUDIT-1). */
  public readonly toolCallAudit: ToolCallAudit;

  constructor(scope: Construct, id: string, props: AuditLogProps) {
    super(scope, id);
    const groupProps = { encryptionKey: props.encryptionKey, retentionDays: props.logRetentionDays ?? 90 };

    this.authorizerLogGroup = new AuditLogGroup(this, 'AuthorizerLogGroup', groupProps);
    this.apiAccessLogGroup = new AuditLogGroup(this, 'ApiAccessLogGroup', groupProps);
    this.wafLogGroup = new AuditLogGroup(this, 'WafLogGroup', { ...groupProps, logGroupName: wafLogGroupName(props.stage, Stack.of(this)) });
    this.flowLogGroup = new AuditLogGroup(this, 'FlowLogGroup', groupProps);
    this.serviceLogGroup = new AuditLogGroup(this, 'ServiceLogGroup', groupProps);
    this.accessLogBucket = new AccessLogBucket(this, 'AccessLogBucket', { retentionDays: props.accessLogBucketDays ?? 365 }).bucket;

    this.alarms = new SecurityAlarms(this, 'Alarms', {
      metricNamespace: `McpPerimeter/${props.stage}`,
      encryptionKey: props.encryptionKey,
      authorizerLogGroup: this.authorizerLogGroup,
      apiAccessLogGroup: this.apiAccessLogGroup,
      wafLogGroup: this.wafLogGroup,
      thresholds: props.alarmThresholds,
      alarmEmail: props.alarmEmail,
    });
    this.alarmTopic = this.alarms.topic;
    this.toolCallAudit = new ToolCallAudit(this, 'ToolCallAudit', { ...groupProps, metricNamespace: `McpPerimeter/${props.stage}`, topic: this.alarmTopic });
  }
}
