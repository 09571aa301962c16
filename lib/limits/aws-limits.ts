/**
 * AWS's deploy-time limits that the kit's templates must respect, one table, each with its documented
 * value and the page that documents it. CloudFormation's resource schemas encode few of them (a WAF
 * regex is 512 characters in the schema, 200 in WAF's quotas), so these are checked twice: on the config
 * where a config value causes the breach (lib/config/checks/aws-limits.ts), and over every synthesized
 * template (lib/limits/template-limits.ts, run by the AwsLimits validation plugin).
 *
 * Adjustable quotas are listed at their default: a deployment that raised one can still not rely on it
 * in a template shared across accounts.
 */

/** One documented limit. */
export interface AwsLimit {
  /** The limit's value, in `unit`. */
  readonly value: number;
  /** What is limited, and the unit, as the documentation words it. */
  readonly what: string;
  /** The documentation page. */
  readonly source: string;
}

const WAF_QUOTAS = 'https://docs.aws.amazon.com/waf/latest/developerguide/limits.html';
const WAF_WCU = 'https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html';
const WAF_RATE = 'https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html';
const WAF_CUSTOM_RESPONSE = 'https://docs.aws.amazon.com/waf/latest/developerguide/customizing-the-response-for-blocked-requests.html';
const WAF_NAMES = 'https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html';
const LAMBDA_QUOTAS = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';
const APIGW_QUOTAS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html';
const APIGW_STREAMING = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/response-streaming-http.html';
const APIGW_AUTHORIZER = 'https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html';
const ELB_QUOTAS = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html';
const ELB_RULES = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html';
const ELB_NAMES = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html';
const ELB_TG_NAMES = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html';
const FARGATE_SIZES = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size';
const CFN_QUOTAS = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html';
const LOGS_NAMES = 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html';
const IAM_QUOTAS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html';
const KMS_QUOTAS = 'https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html';

/** The limits, by name. */
export const AWS_LIMITS = {
  // --- WAF (fixed quotas unless said otherwise) ---
  wafRegexPatternChars: { value: 200, what: 'characters in a regex pattern', source: WAF_QUOTAS },
  wafStringMatchChars: { value: 200, what: 'characters in a string match statement', source: WAF_QUOTAS },
  wafRegexPatternsPerSet: { value: 10, what: 'unique regex patterns per regex set', source: WAF_QUOTAS },
  wafWebAclCapacityUnits: { value: 5000, what: 'web ACL capacity units (WCUs) per web ACL, managed rule groups included', source: WAF_WCU },
  wafRateBasedRulesPerWebAcl: { value: 10, what: 'rate-based rules per web ACL', source: WAF_QUOTAS },
  wafRateLimitMin: { value: 10, what: 'smallest request rate of a rate-based rule', source: WAF_QUOTAS },
  wafRateLimitMax: { value: 2_000_000_000, what: 'largest request rate of a rate-based rule', source: WAF_RATE },
  wafRateCustomKeys: { value: 5, what: 'custom aggregation keys per rate-based rule', source: WAF_RATE },
  wafReferenceStatementsPerWebAcl: { value: 50, what: 'reference statements (rule groups, IP sets, regex sets) per web ACL', source: WAF_QUOTAS },
  wafTextTransformationsPerStatement: { value: 10, what: 'text transformations per rule statement', source: WAF_QUOTAS },
  wafCustomResponseBodyBytes: { value: 4096, what: 'bytes of one custom response body', source: WAF_QUOTAS },
  wafCustomResponseBodiesPerWebAcl: { value: 50, what: 'custom response bodies per web ACL (default quota)', source: WAF_QUOTAS },
  wafCustomResponseHeadersPerResponse: { value: 10, what: 'custom headers per custom response', source: WAF_QUOTAS },
  wafCustomResponseBodyKeyChars: { value: 128, what: 'characters of a custom response body key', source: WAF_CUSTOM_RESPONSE },
  wafNameChars: { value: 128, what: 'characters of a web ACL or rule name', source: WAF_NAMES },
  // --- Lambda ---
  lambdaEnvironmentBytes: { value: 4096, what: 'bytes of all environment variables of a function together', source: LAMBDA_QUOTAS },
  lambdaTimeoutSeconds: { value: 900, what: 'seconds of function timeout', source: LAMBDA_QUOTAS },
  lambdaMemoryMinMiB: { value: 128, what: 'smallest function memory, MB', source: LAMBDA_QUOTAS },
  lambdaMemoryMaxMiB: { value: 10240, what: 'largest function memory, MB', source: LAMBDA_QUOTAS },
  lambdaUnreservedConcurrencyMin: { value: 100, what: 'concurrency Lambda keeps unreserved (of the default 1,000 per account and Region)', source: LAMBDA_QUOTAS },
  lambdaConcurrentExecutions: { value: 1000, what: 'concurrent executions per account and Region (default quota)', source: LAMBDA_QUOTAS },
  // --- API Gateway (REST) ---
  apiGatewayResourcesPerApi: { value: 300, what: 'resources per REST API (default quota)', source: APIGW_QUOTAS },
  apiGatewayIntegrationTimeoutMinMs: { value: 50, what: 'smallest integration timeout, ms', source: APIGW_QUOTAS },
  apiGatewayIntegrationTimeoutMaxMs: { value: 29000, what: 'largest integration timeout of a Regional API without a quota increase, ms', source: APIGW_QUOTAS },
  apiGatewayStreamingIntegrationTimeoutMaxMs: { value: 900000, what: 'largest integration timeout of a method whose integration streams its response (ResponseTransferMode STREAM), ms', source: APIGW_STREAMING },
  apiGatewayAuthorizerTtlMaxSeconds: { value: 3600, what: 'largest authorizer result cache TTL, seconds', source: APIGW_AUTHORIZER },
  apiGatewayAuthorizersPerApi: { value: 10, what: 'authorizers per REST API (default quota)', source: APIGW_QUOTAS },
  apiGatewayStageVariables: { value: 100, what: 'stage variables per stage', source: APIGW_QUOTAS },
  apiGatewayUrlChars: { value: 10240, what: 'characters of the URL of a Regional API', source: APIGW_QUOTAS },
  // --- Elastic Load Balancing (Application Load Balancer) ---
  elbRulesPerLoadBalancer: { value: 100, what: 'listener rules per Application Load Balancer, default rules excluded (default quota)', source: ELB_QUOTAS },
  elbConditionValuesPerRule: { value: 5, what: 'condition values per rule', source: ELB_QUOTAS },
  elbConditionWildcardsPerRule: { value: 5, what: 'condition wildcards per rule', source: ELB_QUOTAS },
  elbPathPatternChars: { value: 128, what: 'characters of a path pattern', source: ELB_RULES },
  elbTargetGroupsPerLoadBalancer: { value: 100, what: 'target groups per Application Load Balancer', source: ELB_QUOTAS },
  elbRulePriorityMax: { value: 50000, what: 'largest listener rule priority', source: ELB_QUOTAS },
  elbLoadBalancerNameChars: { value: 32, what: 'characters of a load balancer name', source: ELB_NAMES },
  elbTargetGroupNameChars: { value: 32, what: 'characters of a target group name', source: ELB_TG_NAMES },
  // --- ECS on Fargate ---
  fargateContainerDefinitionsPerTask: { value: 10, what: 'container definitions per task definition', source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html' },
  // --- CloudFormation ---
  cfnResourcesPerStack: { value: 500, what: 'resources per stack', source: CFN_QUOTAS },
  cfnOutputsPerStack: { value: 200, what: 'outputs per stack', source: CFN_QUOTAS },
  cfnParametersPerStack: { value: 200, what: 'parameters per stack', source: CFN_QUOTAS },
  cfnMappingsPerStack: { value: 200, what: 'mappings per stack', source: CFN_QUOTAS },
  cfnTemplateBytesS3: { value: 1_048_576, what: 'bytes of a template body uploaded to S3 (cdk deploy uploads through the bootstrap bucket)', source: CFN_QUOTAS },
  cfnTemplateBytesDirect: { value: 51_200, what: 'bytes of a template body passed directly', source: CFN_QUOTAS },
  cfnLogicalIdChars: { value: 255, what: 'characters of a logical id', source: CFN_QUOTAS },
  cfnOutputNameChars: { value: 255, what: 'characters of an output name', source: CFN_QUOTAS },
  // --- CloudWatch Logs ---
  logGroupNameChars: { value: 512, what: 'characters of a log group name', source: LOGS_NAMES },
  // --- IAM ---
  iamRoleInlinePolicyChars: { value: 10_240, what: 'characters of all inline policies of one role together (whitespace excluded)', source: IAM_QUOTAS },
  iamManagedPolicyChars: { value: 6_144, what: 'characters of a managed policy (whitespace excluded)', source: IAM_QUOTAS },
  iamRoleNameChars: { value: 64, what: 'characters of a role name', source: IAM_QUOTAS },
  // --- KMS ---
  kmsKeyPolicyBytes: { value: 32_768, what: 'bytes of a key policy document', source: KMS_QUOTAS },
} as const satisfies Record<string, AwsLimit>;

/** A limit's name. */
export type AwsLimitName = keyof typeof AWS_LIMITS;

/** "AWS limit: <what> = <value> (<source>)", for messages. */
export function describeLimit(name: AwsLimitName): string {
  const limit: AwsLimit = AWS_LIMITS[name];
  return `AWS limit: ${limit.what} = ${limit.value.toLocaleString('en-US')} (${limit.source})`;
}

/**
 * The task CPU units and memory (MiB) Fargate accepts together, for the Linux platform (source:
 * FARGATE_SIZES, "Task CPU and memory"): 256 -> 512/1024/2048; 512 -> 1-4 GB; 1024 -> 2-8 GB;
 * 2048 -> 4-16 GB; 4096 -> 8-30 GB in 1 GB steps; 8192 -> 16-60 GB in 4 GB steps; 16384 -> 32-120 GB
 * in 8 GB steps.
 */
export const FARGATE_TASK_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** The page of {@link FARGATE_TASK_SIZES}. */
export const FARGATE_TASK_SIZES_SOURCE = FARGATE_SIZES;

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Whether Fargate runs a task of `cpu` units and `memoryMiB`. */
export function isFargateTaskSize(cpu: number, memoryMiB: number): boolean {
  return FARGATE_TASK_SIZES[cpu]?.includes(memoryMiB) ?? false;
}

/** The rate-based rule evaluation windows WAF accepts, seconds (source: WAF_RATE). */
export const WAF_EVALUATION_WINDOWS: readonly number[] = [60, 120, 300, 600];

/**
 * WCUs of the AWS managed rule groups the kit uses (source: each group's page under
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html).
 */
export const MANAGED_RULE_GROUP_WCUS: Readonly<Record<string, number>> = {
  AWSManagedRulesCommonRuleSet: 700,
  AWSManagedRulesKnownBadInputsRuleSet: 200,
  AWSManagedRulesAmazonIpReputationList: 25,
  AWSManagedRulesAnonymousIpList: 50,
  AWSManagedRulesSQLiRuleSet: 200,
  AWSManagedRulesLinuxRuleSet: 200,
  AWSManagedRulesUnixRuleSet: 100,
  AWSManagedRulesAdminProtectionRuleSet: 100,
};
