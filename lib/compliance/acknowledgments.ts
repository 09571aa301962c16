/**
 * Every cdk-nag acknowledgment of the kit, in one place (the only place `Validations.of(...).acknowledge`
 * is called). An acknowledgment is for a finding that is wrong for this design: it names the checklist
 * item it concerns, why the finding is safe here, an owner and a review-by date (at most a year out).
 * The test suite fails when one has expired or matches no finding, so exceptions cannot rot.
 */
import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { proxyPrefixes } from '../constructs/edge/perimeter-api';
import type { PerimeterConfig } from '../config';

/** One acknowledged finding on one construct. */
export interface Acknowledgment {
  /** The construct's path below the stage, e.g. `Edge/Api/CloudWatchRole`. */
  readonly path: string;
  /** The namespaced finding id, `<pack>::<rule id>[<finding>]`, so the finding stays visible in the report. */
  readonly id: string;
  /** The checklist item (see docs/checklist.md) this concerns. */
  readonly item: string;
  /** Why the finding is safe here; starts with the checklist item's id. */
  readonly reason: string;
  /** Who answers for it. */
  readonly owner: string;
  /** ISO date by which it must be reviewed again; after it, the test suite fails. */
  readonly reviewBy: string;
  /** Only for configs where the construct exists. @default - always */
  readonly when?: (config: PerimeterConfig) => boolean;
}

/** The team that owns the kit's acknowledgments. */
export const OWNER = 'platform-security';
/** The review date of the current set. */
export const REVIEW_BY = '2027-05-31';

/** What one acknowledgment says, for one or more finding ids on one construct. */
type Exception = Omit<Acknowledgment, 'id' | 'owner' | 'reviewBy'> & { readonly ids: readonly string[] };

/** The same rule in the three compliance packs that carry it. */
const inNistHipaaPci = (rule: string) => [`NIST.800.53.R5::NIST.800.53.R5-${rule}`, `HIPAA.Security::HIPAA.Security-${rule}`, `PCI.DSS.321::PCI.DSS.321-${rule}`];

function exceptions(...list: Exception[]): Acknowledgment[] {
  return list.flatMap(({ ids, ...rest }) => ids.map((id) => ({ ...rest, id, owner: OWNER, reviewBy: REVIEW_BY })));
}

/** The acknowledgments, grouped by stack. */
export const ACKNOWLEDGMENTS: readonly Acknowledgment[] = exceptions(
  // --- Audit ---------------------------------------------------------------------------------------
  ...['Audit/AuditLog/AccessLogBucket/Resource/Resource', 'Audit/AuditLog/AccessLogBucket/ServerAccessLogs/Resource'].flatMap((path) => [
    {
      path,
      ids: inNistHipaaPci('S3DefaultEncryptionKMS'),
      item: 'AUDIT-4',
      reason: 'AUDIT-4: ALB access logs and S3 server access logs can only be delivered to buckets encrypted with SSE-S3 (AES-256); SSE-KMS would stop delivery. The bucket is still encrypted, versioned, TLS-only and closed to the public.',
    },
    {
      path,
      ids: inNistHipaaPci('S3BucketReplicationEnabled'),
      item: 'AUDIT-4',
      reason: 'AUDIT-4: the log bucket is versioned, retained on stack deletion and kept at least 90 days; cross-region replication is an organisation-level backup choice (an S3 replication rule to a bucket the kit does not own), not a per-stack one.',
    },
  ]),
  {
    path: 'Audit/AuditLog/Alarms/Resource',
    ids: ['Serverless::Serverless-SNSRedrivePolicy'],
    item: 'AUDIT-5',
    reason: 'AUDIT-5: the alarm topic\'s only subscriptions are e-mail addresses; SNS redrive policies (dead-letter queues) apply to SQS and Lambda endpoints, and a failed e-mail delivery is retried by SNS and seen in its delivery metrics.',
    when: (config) => config.audit.alarmEmail !== undefined,
  },

  // --- Keys ----------------------------------------------------------------------------------------
  {
    path: 'Keys/TokenStore/Table/Resource',
    ids: ['NIST.800.53.R5::NIST.800.53.R5-DynamoDBInBackupPlan', 'HIPAA.Security::HIPAA.Security-DynamoDBInBackupPlan'],
    item: 'SEC-2',
    reason: 'SEC-2: the token table has point-in-time recovery on (continuous backups, restore to any second of the last 35 days), deletion protection and a Retain policy; it holds only token digests, so a lost table is recovered by re-issuing tokens. An AWS Backup plan is an organisation-level choice (vault, retention, cross-account copies) the kit does not own.',
  },

  // --- Service -------------------------------------------------------------------------------------
  {
    path: 'Service/McpService/TaskDefinition/Resource',
    ids: ['AwsSolutions::AwsSolutions-ECS2'],
    item: 'SEC-1',
    reason: 'SEC-1: the containers\' environment holds only listening and timing settings (the server: PORT, LISTEN_PORTS, HEALTH_PATHS, TMPDIR, SERVICE_VERSION, STREAMING_TIMEOUT_SECONDS, CORS_ALLOWED_ORIGINS, NODE_ENV; the MCP enforcement point: PORT, UPSTREAM_PORT, PEP_POLICY (tool names and permissions), NODE_ENV), none of them secret; the McpPerimeter-SEC1 rule fails synthesis if a value has the shape of a secret, and secrets would go through ECS secrets from SSM.',
  },
  {
    path: 'Service/McpService/TaskDefinition/ExecutionRole/DefaultPolicy/Resource',
    ids: ['AwsSolutions::AwsSolutions-IAM5[Resource::*]'],
    item: 'SEC-4',
    reason: 'SEC-4: the only wildcard is ecr:GetAuthorizationToken, which IAM does not scope to a resource; image pulls are limited to the one image repository (the asset repository or the configured ECR repository) and log writes to the service log group.',
  },
  {
    path: 'Service/McpService/TaskDefinition/ExecutionRole/DefaultPolicy/Resource',
    ids: inNistHipaaPci('IAMNoInlinePolicy'),
    item: 'SEC-4',
    reason: 'SEC-4: the inline policy belongs to this execution role alone and grants only the image pull and the log writes; a managed policy could be attached to other principals, which is wider, not narrower.',
  },

  // --- Edge ----------------------------------------------------------------------------------------
  {
    path: 'Edge/Authorizer/Resource/ServiceRole/Resource',
    ids: [
      'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
    ],
    item: 'SEC-4',
    reason: 'SEC-4: the two AWS-managed policies are the minimum a Lambda function in a VPC needs (write its own logs, manage its network interfaces); neither reaches token records or keys, which only the scoped inline policy grants.',
  },
  {
    path: 'Edge/Authorizer/Resource/ServiceRole/DefaultPolicy/Resource',
    ids: ['AwsSolutions::AwsSolutions-IAM5[Resource::*]'],
    item: 'SEC-4',
    reason: 'SEC-4: the only wildcard resource is for xray:PutTraceSegments and xray:PutTelemetryRecords, which IAM does not scope to a resource; they write traces and read nothing.',
  },
  {
    path: 'Edge/Authorizer/Resource/ServiceRole/DefaultPolicy/Resource',
    ids: inNistHipaaPci('IAMNoInlinePolicy'),
    item: 'SEC-4',
    reason: 'SEC-4: the inline policy belongs to the authorizer role alone and grants read of the stage\'s token records and decrypt via SSM; a managed policy could be attached to other principals, which is wider, not narrower.',
  },
  {
    path: 'Edge/Authorizer/Resource/Resource',
    ids: ['Serverless::Serverless-LambdaDLQ', 'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security::HIPAA.Security-LambdaDLQ'],
    item: 'AUTH-1',
    reason: 'AUTH-1: API Gateway invokes the authorizer synchronously and a dead-letter queue only receives asynchronous invocations; a failed invocation denies the request (fail closed) and is logged and alarmed.',
  },
  // The deploy-time lookup of the DynamoDB managed prefix list (DynamoDbPrefixList, AwsCustomResource's
  // singleton function), present whenever the authorizer has no internet egress (JWT mode not jwks).
  {
    path: 'Edge/AWS679f53fac002430cb0da5b7982bd2287/ServiceRole/Resource',
    ids: ['AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'],
    item: 'NET-4',
    reason: 'NET-4: the prefix-list lookup function runs only while CloudFormation creates or updates the Edge stack; the AWS-managed policy lets it write its own logs and nothing else; it reaches no token record or key.',
    when: (config) => config.auth.jwt?.mode !== 'jwks',
  },
  {
    path: 'Edge/Authorizer/DynamoDbPrefixList/Lookup/CustomResourcePolicy/Resource',
    ids: ['AwsSolutions::AwsSolutions-IAM5[Resource::*]', ...inNistHipaaPci('IAMNoInlinePolicy')],
    item: 'NET-4',
    reason: 'NET-4: the policy allows only ec2:DescribeManagedPrefixLists, a read of public AWS address lists that IAM cannot scope to a resource (Service Authorization Reference: resource "*"); it is inline because it belongs to the lookup role alone, narrower than a managed policy.',
    when: (config) => config.auth.jwt?.mode !== 'jwks',
  },
  {
    path: 'Edge/AWS679f53fac002430cb0da5b7982bd2287/Resource',
    ids: [
      ...inNistHipaaPci('LambdaInsideVPC'),
      'NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security::HIPAA.Security-LambdaConcurrency',
      'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security::HIPAA.Security-LambdaDLQ', 'Serverless::Serverless-LambdaDLQ',
      'Serverless::Serverless-LambdaDefaultMemorySize', 'Serverless::Serverless-LambdaTracing',
    ],
    item: 'NET-4',
    reason: 'NET-4: the prefix-list lookup function is invoked only by CloudFormation, synchronously, once per create or update of the Edge stack, to narrow the authorizer\'s egress; it handles no request or token, calls one read-only EC2 API (which the isolated subnets have no endpoint for, so it runs outside the VPC), and a failure fails the deployment, so a DLQ, reserved concurrency, tracing or tuned memory add nothing. It logs to the authorizer\'s encrypted audit log group, without response data.',
    when: (config) => config.auth.jwt?.mode !== 'jwks',
  },
  {
    path: 'Edge/Api/Resource/Resource',
    ids: ['AwsSolutions::AwsSolutions-APIG2'],
    item: 'EDGE-6',
    reason: 'EDGE-6: request shape is bounded before the backend by the WAF (body, header and URI size rules, credentials-in-query block) and by the authorizer (credential size, route policy); MCP bodies are JSON-RPC streams that an API Gateway model cannot describe, and the server validates them.',
  },
  {
    path: 'Edge/Api/Resource/CloudWatchRole/Resource',
    ids: ['AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]'],
    item: 'AUDIT-4',
    reason: 'AUDIT-4: API Gateway needs this account-level role to write the access and execution logs; the AWS-managed policy only lets the API Gateway service create and write log groups.',
  },
  {
    path: 'Edge/Api/Resource/DeploymentStage.live/Resource',
    ids: inNistHipaaPci('APIGWCacheEnabledAndEncrypted'),
    item: 'AUTH-1',
    reason: 'AUTH-1: MCP responses depend on the caller\'s credential and are often streamed; a stage cache keyed on the request would serve one caller\'s response to another, so response caching is off (the authorizer\'s decision cache is separate and keyed on the credential).',
  },
  {
    path: 'Edge/Api/Resource/DeploymentStage.live/Resource',
    ids: inNistHipaaPci('APIGWSSLEnabled'),
    item: 'TLS-3',
    reason: 'TLS-3: the backend is the internal ALB, reached over HTTPS through a VPC link and verified against its ACM certificate; API Gateway client certificates exist for public HTTP backends and do not apply to a private integration.',
  },
);

/** The API method construct for a path and HTTP method, below the stage. */
const apiMethod = (path: string, method: string) => `Edge/Api/Resource/Default/${path.replace(/^\//, '')}/${method}/Resource`;

/**
 * The acknowledgments whose constructs or finding ids follow the config: one per API method (the routes,
 * the health path), when egress is `nat`, the public subnets' routes to the internet gateway, and when the
 * config turns ECS Exec on (`service.enableExec`), the WORK-3 exception with the user's own
 * `service.execReason` and the task role's grant of the Session Manager channels ECS Exec needs.
 */
export function configuredAcknowledgments(config: PerimeterConfig): Acknowledgment[] {
  // The API has one authorizer-protected proxy resource pair per top-level prefix (perimeter-api.ts).
  const routePaths = proxyPrefixes(config.rbac.routes).map((p) => p.path);
  const publicSubnets = config.network.egress === 'nat' ? Array.from({ length: config.network.maxAzs }, (_, i) => i + 1) : [];
  const exec = config.service.enableExec ? [config.service.execReason ?? ''] : [];
  return exceptions(
    ...exec.map((reason) => ({
      path: 'Service/McpService/Resource/Service',
      ids: ['McpPerimeter::McpPerimeter-WORK3'],
      item: 'WORK-3',
      reason: `WORK-3: ECS Exec is on because the config asks for it (service.enableExec), for this reason: ${reason}`,
    })),
    ...exec.map(() => ({
      path: 'Service/McpService/TaskDefinition/TaskRole/DefaultPolicy/Resource',
      ids: ['AwsSolutions::AwsSolutions-IAM5[Resource::*]', ...inNistHipaaPci('IAMNoInlinePolicy')],
      item: 'SEC-4',
      reason: 'SEC-4: with ECS Exec on, the task role may open Session Manager channels (ssmmessages:CreateControlChannel, CreateDataChannel, OpenControlChannel, OpenDataChannel), which IAM does not scope to a resource; the inline policy belongs to this task role alone and grants nothing else.',
    })),
    ...publicSubnets.map((n) => ({
      path: `Network/Network/Resource/PublicSubnet${n}/DefaultRoute`,
      ids: inNistHipaaPci('VPCNoUnrestrictedRouteToIGW'),
      item: 'NET-4',
      reason: 'NET-4: the config chose `network.egress: nat` on purpose (for example to fetch an IdP\'s JWKS); this route to the internet gateway is in a public subnet that holds only a NAT gateway, and the workload stays in private subnets with no public IP.',
    })),
    {
      path: apiMethod(config.service.healthPath, 'GET'),
      ids: ['AwsSolutions::AwsSolutions-APIG4', 'AwsSolutions::AwsSolutions-COG4'],
      item: 'WORK-2',
      reason: 'WORK-2: the health check is unauthenticated on purpose (load balancers and monitors call it) and returns only status and version; the WAF and the rate limits still apply.',
    },
    {
      path: apiMethod('/.well-known/oauth-protected-resource', 'GET'),
      ids: ['AwsSolutions::AwsSolutions-APIG4', 'AwsSolutions::AwsSolutions-COG4'],
      item: 'AUTH-1',
      reason: 'AUTH-1: the OAuth protected-resource metadata (RFC 9728) must be readable without a credential so that clients can find the authorization server; it is static and holds no secret.',
    },
    ...routePaths.flatMap((path) => [apiMethod(path, 'ANY'), apiMethod(`${path}/{proxy+}`, 'ANY')]).map((methodPath) => ({
      path: methodPath,
      ids: ['AwsSolutions::AwsSolutions-COG4'],
      item: 'AUTH-1',
      reason: 'AUTH-1: the method requires the Lambda REQUEST authorizer, which checks opaque tokens and JWTs and the route\'s permission; a Cognito user pool is one identity source the kit does not assume (the McpPerimeter-AUTH1 rule enforces the authorizer).',
    })),
  );
}

/** Raised when an acknowledgment names a construct that does not exist. */
export class AcknowledgmentError extends Error {}

function findByPath(root: IConstruct, path: string): IConstruct | undefined {
  let node: IConstruct | undefined = root;
  for (const part of path.split('/')) {
    node = node?.node.tryFindChild(part);
    if (!node) return undefined;
  }
  return node;
}

/** The acknowledgments that apply to this config. */
export function acknowledgmentsFor(config: PerimeterConfig, acks?: readonly Acknowledgment[]): Acknowledgment[] {
  const all = acks ?? [...ACKNOWLEDGMENTS, ...configuredAcknowledgments(config)];
  return all.filter((a) => a.when?.(config) ?? true);
}

/**
 * Applies the acknowledgments to a stage's constructs.
 * @throws AcknowledgmentError when a path names no construct (a typo, or a construct since renamed).
 */
export function applyAcknowledgments(stage: IConstruct, config: PerimeterConfig, acks?: readonly Acknowledgment[]): void {
  for (const ack of acknowledgmentsFor(config, acks)) {
    const target = findByPath(stage, ack.path);
    if (!target) throw new AcknowledgmentError(`acknowledgment ${ack.id} names no construct at ${stage.node.path}/${ack.path}`);
    Validations.of(target).acknowledge({ id: ack.id, reason: ack.reason });
  }
}
