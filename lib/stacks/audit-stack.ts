import { Stack, StackProps } from 'aws-cdk-lib';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { PerimeterConfig } from '../config';
import { AuditLog } from '../constructs/audit/audit-log';
import { CertificateExpiryAlarms } from '../constructs/audit/certificate-expiry-alarms';

/** Properties of the {@link AuditStack}. */
export interface AuditStackProps extends StackProps {
  /** The validated config of the stage. */
  readonly config: PerimeterConfig;
  /** The key of the audit log groups and the alarm topic (from the keys stack). */
  readonly auditKey: IKey;
}

/**
 * Audit: the log groups every other stack writes to, the ALB access-log bucket and the security
 * alarms (AUDIT-3, AUDIT-4, AUDIT-5), and the certificate expiry alarms (TLS-4). Depends only on the keys stack.
 */
export class AuditStack extends Stack {
  /** The log groups, the access-log bucket and the alarm topic. */
  public readonly auditLog: AuditLog;
  /** The alarms on the API's and the load balancer's certificates (TLS-4). */
  public readonly certificateExpiry: CertificateExpiryAlarms;

  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.auditLog = new AuditLog(this, 'AuditLog', {
      stage: config.stage,
      encryptionKey: props.auditKey,
      logRetentionDays: config.audit.logRetentionDays,
      accessLogBucketDays: config.audit.accessLogBucketDays,
      alarmEmail: config.audit.alarmEmail,
      alarmThresholds: { authenticationFailures: config.audit.authFailureThreshold },
    });
    this.certificateExpiry = new CertificateExpiryAlarms(this, 'CertificateExpiry', {
      certificates: { Api: config.domain.apiCertificateArn, Internal: config.domain.internalCertificateArn },
      topic: this.auditLog.alarmTopic,
    });
  }
}
