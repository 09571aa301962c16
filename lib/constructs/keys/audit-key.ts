import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { keyAdministrationStatement } from './key-policy';

/** Properties of an {@link AuditKey}. */
export interface AuditKeyProps {
  /** The stage name, for the key's description. */
  readonly stage: string;
  /**
   * Days a deleted key stays recoverable.
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;
}

/**
 * The customer-managed key of every audit log group and of the alarm topic (AUDIT-3): symmetric,
 * rotated every year, kept when the stack is deleted. Its policy names exactly who uses it:
 * CloudWatch Logs of this region, for log groups of this account (encryption-context condition), and
 * CloudWatch alarms, to publish to the encrypted SNS topic (the statement AWS documents for alarm
 * actions on an encrypted topic; the topic's own policy decides who may publish). The `LogGroup` L2
 * does not add the logs statement itself.
 */
export class AuditKey extends Construct {
  /** The key. */
  public readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: AuditKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const logGroupArns = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const policy = new iam.PolicyDocument({
      statements: [
        keyAdministrationStatement(),
        new iam.PolicyStatement({
          sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
          principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
          actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          resources: ['*'],
          conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArns } },
        }),
        new iam.PolicyStatement({
          sid: 'CloudWatchAlarmsPublishToTheEncryptedTopic',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          // Confused-deputy guard: only on behalf of this account's alarms in this region (Amazon SNS
          // Developer Guide, "Enable compatibility between event sources from AWS services and encrypted topics").
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
          },
        }),
      ],
    });
    this.key = new kms.Key(this, 'Resource', {
      description: `mcp-perimeter ${props.stage}: audit log groups and alarm topic`,
      enableKeyRotation: true,
      pendingWindow: props.pendingWindow ?? Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy,
    });
  }
}
