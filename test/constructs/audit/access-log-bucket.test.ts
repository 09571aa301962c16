import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessLogBucket } from '../../../lib/constructs/audit/access-log-bucket';
import { testStack } from '../../fixtures/test-app';

function template(retentionDays = 365): { template: Template; logicalIds: { bucket: string; serverLogs: string } } {
  const stack = testStack();
  const buckets = new AccessLogBucket(stack, 'AccessLogBucket', { retentionDays });
  const id = (b: any) => stack.getLogicalId(b.node.defaultChild);
  return { template: Template.fromStack(stack), logicalIds: { bucket: id(buckets.bucket), serverLogs: id(buckets.serverAccessLogsBucket) } };
}

test('AUDIT-4: the ALB access-log bucket uses SSE-S3 (the only encryption ALB log delivery supports)', () => {
  // GIVEN / WHEN
  const { template: t, logicalIds } = template();
  // THEN
  const bucket = t.toJSON().Resources[logicalIds.bucket];
  expect(bucket.Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
});

test('AUDIT-4: the access-log bucket is versioned, blocks public access, disables ACLs and is retained on stack delete', () => {
  // GIVEN / WHEN
  const { template: t, logicalIds } = template();
  // THEN
  const bucket = t.toJSON().Resources[logicalIds.bucket];
  expect(bucket.Properties).toMatchObject({
    VersioningConfiguration: { Status: 'Enabled' },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
  });
  expect(bucket.DeletionPolicy).toBe('Retain');
  expect(bucket.UpdateReplacePolicy).toBe('Retain');
});

test('TLS-1: the access-log bucket denies requests without TLS and below TLS 1.2', () => {
  // GIVEN / WHEN
  const { template: t, logicalIds } = template();
  // THEN
  t.hasResourceProperties('AWS::S3::BucketPolicy', {
    Bucket: { Ref: logicalIds.bucket },
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
      ]),
    },
  });
});

test('AUDIT-4: the access logs and every overwritten version are kept for the configured days, never fewer than 90', () => {
  // GIVEN / WHEN
  const { template: t, logicalIds } = template(400);
  // THEN
  const rules = t.toJSON().Resources[logicalIds.bucket].Properties.LifecycleConfiguration.Rules;
  expect(rules).toEqual([expect.objectContaining({
    Status: 'Enabled',
    ExpirationInDays: 400,
    NoncurrentVersionExpiration: { NoncurrentDays: 400 },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
  })]);
});

test('AUDIT-4: reads and deletes of the access logs are themselves logged to a second, equally protected bucket', () => {
  // GIVEN / WHEN
  const { template: t, logicalIds } = template();
  // THEN
  const resources = t.toJSON().Resources;
  expect(resources[logicalIds.bucket].Properties.LoggingConfiguration).toEqual({
    DestinationBucketName: { Ref: logicalIds.serverLogs },
    LogFilePrefix: 'alb-access-log-bucket/',
  });
  const serverLogs = resources[logicalIds.serverLogs];
  expect(serverLogs.Properties).toMatchObject({
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    VersioningConfiguration: { Status: 'Enabled' },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  });
  expect(serverLogs.DeletionPolicy).toBe('Retain');
  t.hasResourceProperties('AWS::S3::BucketPolicy', {
    Bucket: { Ref: logicalIds.serverLogs },
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
  });
  t.resourceCountIs('AWS::S3::Bucket', 2);
});

test('fails when the access logs would be kept fewer than 90 days', () => {
  // GIVEN
  const stack = testStack();
  // WHEN / THEN
  expect(() => new AccessLogBucket(stack, 'AccessLogBucket', { retentionDays: 30 })).toThrow(/retentionDays must be a whole number of days, 90 or more \(AUDIT-3\), got 30/);
});
