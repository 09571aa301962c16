import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of an {@link AccessLogBucket}. */
export interface AccessLogBucketProps {
  /** Days the load balancer's access logs (and the bucket's own server access logs) are kept: 90 or more. */
  readonly retentionDays: number;
}

/**
 * The bucket of the internal load balancer's access logs (AUDIT-4). ALB log delivery supports only
 * SSE-S3, so the bucket uses S3-managed keys, not the audit CMK. Versioned, TLS-only (and TLS 1.2
 * minimum), public access blocked, ACLs off, kept when the stack is deleted, and every object version
 * kept for the retention period.
 *
 * Who reads or deletes this evidence is itself recorded: S3 server access logs go to a second bucket
 * (`ServerAccessLogs`) with the same protections. That bucket cannot log to itself; the finding on it
 * is acknowledged centrally.
 */
export class AccessLogBucket extends Construct {
  /** The bucket the load balancer writes to. */
  public readonly bucket: s3.IBucket;
  /** The bucket that receives the S3 server access logs of {@link bucket}. */
  public readonly serverAccessLogsBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const days = props.retentionDays;
    if (!Token.isUnresolved(days) && (!Number.isInteger(days) || days < 90)) {
      throw new Error(`retentionDays must be a whole number of days, 90 or more (AUDIT-3), got ${days}`);
    }
    const lifecycleRules: s3.LifecycleRule[] = [{
      id: 'KeepForRetentionPeriod',
      expiration: Duration.days(days),
      noncurrentVersionExpiration: Duration.days(days),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    }];

    this.serverAccessLogsBucket = new s3.Bucket(this, 'ServerAccessLogs', {
      ...PROTECTIONS,
      lifecycleRules,
    });
    this.bucket = new s3.Bucket(this, 'Resource', {
      ...PROTECTIONS,
      lifecycleRules,
      serverAccessLogsBucket: this.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'alb-access-log-bucket/',
    });
  }
}

/** What both log buckets share. */
const PROTECTIONS: s3.BucketProps = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  versioned: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
};
