import { AWS_LIMITS } from '../../lib/limits/aws-limits';
import { checkTemplate, CfnResourceJson, estimateWebAclCapacity, LimitBreach } from '../../lib/limits/template-limits';

/** The breaches of a template of `resources` (and `extra` sections), `bytes` long. */
function breaches(resources: Record<string, CfnResourceJson>, extra: Record<string, unknown> = {}, bytes = 1000): LimitBreach[] {
  return checkTemplate({ stack: 'Test', template: { Resources: resources, ...extra }, bytes });
}
const limitsOf = (b: LimitBreach[]) => b.map((x) => x.limit);
const many = (n: number, make: (i: number) => [string, CfnResourceJson]) => Object.fromEntries(Array.from({ length: n }, (_, i) => make(i)));
const topic = (i: number): [string, CfnResourceJson] => [`Topic${i}`, { Type: 'AWS::SNS::Topic' }];

/** A web ACL with `rules` and optional custom response bodies. */
function webAcl(rules: object[], bodies: Record<string, object> = {}): Record<string, CfnResourceJson> {
  return { Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Rules: rules, CustomResponseBodies: bodies } } };
}
const regexRule = (regex: string) => ({ Name: 'R', Statement: { RegexMatchStatement: { RegexString: regex, FieldToMatch: { QueryString: {} }, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } } });
const rateRule = (name: string, limit: number, extra: object = {}) => ({ Name: name, Statement: { RateBasedStatement: { Limit: limit, AggregateKeyType: 'IP', EvaluationWindowSec: 60, ...extra } } });
const managed = (name: string) => ({ Name: name, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name } } });

/**
 * One case per limit: a template builder taking the measured value, and the limit's value. The value at
 * the limit must pass, one over it (one under a minimum) must fail with exactly that limit.
 */
interface LimitCase {
  readonly limit: LimitBreach['limit'];
  readonly inside: number;
  readonly outside: number;
  readonly build: (value: number) => Parameters<typeof breaches>;
}
const L = AWS_LIMITS;
const cases: LimitCase[] = [
  { limit: 'cfnResourcesPerStack', inside: 500, outside: 501, build: (n) => [many(n, topic)] },
  { limit: 'cfnOutputsPerStack', inside: 200, outside: 201, build: (n) => [{}, { Outputs: many(n, (i) => [`O${i}`, { Type: 'x' }]) }] },
  { limit: 'cfnParametersPerStack', inside: 200, outside: 201, build: (n) => [{}, { Parameters: many(n, (i) => [`P${i}`, { Type: 'x' }]) }] },
  { limit: 'cfnMappingsPerStack', inside: 200, outside: 201, build: (n) => [{}, { Mappings: many(n, (i) => [`M${i}`, { Type: 'x' }]) }] },
  { limit: 'cfnTemplateBytesS3', inside: 1_048_576, outside: 1_048_577, build: (n) => [{}, {}, n] },
  { limit: 'cfnLogicalIdChars', inside: 255, outside: 256, build: (n) => [{ ['A'.repeat(n)]: { Type: 'AWS::SNS::Topic' } }] },
  { limit: 'wafRegexPatternChars', inside: 200, outside: 201, build: (n) => [webAcl([regexRule('a'.repeat(n))])] },
  { limit: 'wafStringMatchChars', inside: 200, outside: 201, build: (n) => [webAcl([{ Name: 'B', Statement: { ByteMatchStatement: { SearchString: 'p'.repeat(n), PositionalConstraint: 'STARTS_WITH', FieldToMatch: { UriPath: {} }, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } } }])] },
  // 7 managed rule groups of 700 = 4900 WCUs; size constraints (1 WCU each) fill the rest.
  { limit: 'wafWebAclCapacityUnits', inside: 5000, outside: 5001, build: (n) => [webAcl([...Array.from({ length: 7 }, () => managed('AWSManagedRulesCommonRuleSet')), ...Array.from({ length: n - 4900 }, (_, i) => ({ Name: `S${i}`, Statement: { SizeConstraintStatement: { Size: 1, ComparisonOperator: 'GT', FieldToMatch: { UriPath: {} }, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } } }))])] },
  { limit: 'wafRateBasedRulesPerWebAcl', inside: 10, outside: 11, build: (n) => [webAcl(Array.from({ length: n }, (_, i) => rateRule(`Rate${i}`, 100)))] },
  { limit: 'wafRateLimitMin', inside: 10, outside: 9, build: (n) => [webAcl([rateRule('Rate', n)])] },
  { limit: 'wafRateLimitMax', inside: 2_000_000_000, outside: 2_000_000_001, build: (n) => [webAcl([rateRule('Rate', n)])] },
  { limit: 'wafRateCustomKeys', inside: 5, outside: 6, build: (n) => [webAcl([rateRule('Rate', 100, { AggregateKeyType: 'CUSTOM_KEYS', CustomKeys: Array.from({ length: n }, (_, i) => ({ Header: { Name: `h${i}`, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } })) })])] },
  { limit: 'wafTextTransformationsPerStatement', inside: 10, outside: 11, build: (n) => [webAcl([{ Name: 'R', Statement: { SizeConstraintStatement: { Size: 1, ComparisonOperator: 'GT', FieldToMatch: { UriPath: {} }, TextTransformations: Array.from({ length: n }, (_, i) => ({ Priority: i, Type: 'NONE' })) } } }])] },
  { limit: 'wafReferenceStatementsPerWebAcl', inside: 50, outside: 51, build: (n) => [webAcl(Array.from({ length: n }, (_, i) => ({ Name: `I${i}`, Statement: { IPSetReferenceStatement: { Arn: 'x' } } })))] },
  { limit: 'wafCustomResponseBodiesPerWebAcl', inside: 50, outside: 51, build: (n) => [webAcl([], Object.fromEntries(Array.from({ length: n }, (_, i) => [`b${i}`, { ContentType: 'TEXT_PLAIN', Content: 'x' }])))] },
  { limit: 'wafCustomResponseBodyBytes', inside: 4096, outside: 4097, build: (n) => [webAcl([], { b: { ContentType: 'TEXT_PLAIN', Content: 'x'.repeat(n) } })] },
  { limit: 'wafCustomResponseBodyKeyChars', inside: 128, outside: 129, build: (n) => [webAcl([], { ['k'.repeat(n)]: { ContentType: 'TEXT_PLAIN', Content: 'x' } })] },
  { limit: 'wafCustomResponseHeadersPerResponse', inside: 10, outside: 11, build: (n) => [webAcl([{ Name: 'R', Action: { Block: { CustomResponse: { ResponseCode: 400, ResponseHeaders: Array.from({ length: n }, (_, i) => ({ Name: `h${i}`, Value: 'v' })) } } }, Statement: { GeoMatchStatement: { CountryCodes: ['AQ'] } } }])] },
  { limit: 'wafNameChars', inside: 128, outside: 129, build: (n) => [{ Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Name: 'n'.repeat(n), Rules: [] } } }] },
  // {"A":"<n-8 characters>"} is n bytes of JSON.
  { limit: 'lambdaEnvironmentBytes', inside: 4096, outside: 4097, build: (n) => [{ Fn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { A: 'v'.repeat(n - 8) } } } } }] },
  { limit: 'lambdaTimeoutSeconds', inside: 900, outside: 901, build: (n) => [{ Fn: { Type: 'AWS::Lambda::Function', Properties: { Timeout: n } } }] },
  { limit: 'lambdaMemoryMaxMiB', inside: 10240, outside: 10241, build: (n) => [{ Fn: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: n } } }] },
  { limit: 'lambdaMemoryMinMiB', inside: 128, outside: 127, build: (n) => [{ Fn: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: n } } }] },
  { limit: 'lambdaConcurrentExecutions', inside: 900, outside: 901, build: (n) => [{ Fn: { Type: 'AWS::Lambda::Function', Properties: { ReservedConcurrentExecutions: n } } }] },
  // The root counts: n - 1 resources make n.
  { limit: 'apiGatewayResourcesPerApi', inside: 300, outside: 301, build: (n) => [many(n - 1, (i) => [`R${i}`, { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: 'Api' }, PathPart: `p${i}` } }])] },
  { limit: 'apiGatewayIntegrationTimeoutMaxMs', inside: 29000, outside: 29001, build: (n) => [{ M: { Type: 'AWS::ApiGateway::Method', Properties: { Integration: { TimeoutInMillis: n } } } }] },
  { limit: 'apiGatewayStreamingIntegrationTimeoutMaxMs', inside: 900000, outside: 900001, build: (n) => [{ M: { Type: 'AWS::ApiGateway::Method', Properties: { Integration: { TimeoutInMillis: n, ResponseTransferMode: 'STREAM' } } } }] },
  { limit: 'apiGatewayIntegrationTimeoutMinMs', inside: 50, outside: 49, build: (n) => [{ M: { Type: 'AWS::ApiGateway::Method', Properties: { Integration: { TimeoutInMillis: n } } } }] },
  { limit: 'apiGatewayAuthorizerTtlMaxSeconds', inside: 3600, outside: 3601, build: (n) => [{ A: { Type: 'AWS::ApiGateway::Authorizer', Properties: { RestApiId: { Ref: 'Api' }, AuthorizerResultTtlInSeconds: n } } }] },
  { limit: 'apiGatewayAuthorizersPerApi', inside: 10, outside: 11, build: (n) => [many(n, (i) => [`A${i}`, { Type: 'AWS::ApiGateway::Authorizer', Properties: { RestApiId: { Ref: 'Api' } } }])] },
  { limit: 'apiGatewayStageVariables', inside: 100, outside: 101, build: (n) => [{ S: { Type: 'AWS::ApiGateway::Stage', Properties: { Variables: Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, 'x'])) } } }] },
  { limit: 'elbRulesPerLoadBalancer', inside: 100, outside: 101, build: (n) => [{ L: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Alb' } } }, ...many(n, (i) => [`Rule${i}`, { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { ListenerArn: { Ref: 'L' }, Priority: i + 1, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/p${i}`] } }] } }]) }] },
  { limit: 'elbConditionValuesPerRule', inside: 5, outside: 6, build: (n) => [{ R: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: Array.from({ length: n }, (_, i) => `/p${i}`) } }] } } }] },
  { limit: 'elbConditionWildcardsPerRule', inside: 5, outside: 6, build: (n) => [{ R: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/${'*'.repeat(n)}`] } }] } } }] },
  { limit: 'elbPathPatternChars', inside: 128, outside: 129, build: (n) => [{ R: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/${'p'.repeat(n - 1)}`] } }] } } }] },
  { limit: 'elbRulePriorityMax', inside: 50000, outside: 50001, build: (n) => [{ R: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { Priority: n, Conditions: [] } } }] },
  { limit: 'elbLoadBalancerNameChars', inside: 32, outside: 33, build: (n) => [{ Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Name: 'a'.repeat(n) } } }] },
  { limit: 'elbTargetGroupNameChars', inside: 32, outside: 33, build: (n) => [{ Tg: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Name: 't'.repeat(n) } } }] },
  { limit: 'fargateContainerDefinitionsPerTask', inside: 10, outside: 11, build: (n) => [{ Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: Array.from({ length: n }, (_, i) => ({ Name: `c${i}` })) } } }] },
  { limit: 'logGroupNameChars', inside: 512, outside: 513, build: (n) => [{ Lg: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'l'.repeat(n) } } }] },
  { limit: 'iamRoleNameChars', inside: 64, outside: 65, build: (n) => [{ Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'r'.repeat(n) } } }] },
  // {"Statement":[]} plus a Sid of n - 31 characters: {"Statement":[],"Sid":"…"} is n characters.
  { limit: 'iamManagedPolicyChars', inside: 6144, outside: 6145, build: (n) => [{ P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [], Id: 'i'.repeat(n - 24) } } } }] },
  { limit: 'iamRoleInlinePolicyChars', inside: 10240, outside: 10241, build: (n) => [{ Role: { Type: 'AWS::IAM::Role', Properties: {} }, P1: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Id: 'i'.repeat(5000 - 9) } } }, P2: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'Role' }], PolicyDocument: { Id: 'i'.repeat(n - 5000 - 9) } } } }] },
  { limit: 'kmsKeyPolicyBytes', inside: 32768, outside: 32769, build: (n) => [{ Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Id: 'k'.repeat(n - 9) } } } }] },
];

describe.each(cases)('$limit', ({ limit, inside, outside, build }) => {
  test(`passes at ${inside}`, () => {
    expect(limitsOf(breaches(...build(inside)))).not.toContain(limit);
  });
  test(`fails at ${outside}, naming the limit's value and source`, () => {
    const found = breaches(...build(outside)).filter((b) => b.limit === limit);
    expect(found).toHaveLength(1);
    if (limit in L) {
      const l = L[limit as keyof typeof L];
      expect(found[0].message).toContain(l.source);
      expect(found[0].message).toContain(l.value.toLocaleString('en-US'));
    }
  });
});

test('every documented limit the template check reads has a case here', () => {
  const untested = ['wafRegexPatternsPerSet', 'lambdaUnreservedConcurrencyMin', 'apiGatewayUrlChars', 'elbTargetGroupsPerLoadBalancer', 'cfnTemplateBytesDirect', 'cfnOutputNameChars'];
  const covered = new Set(cases.map((c) => c.limit));
  expect(Object.keys(AWS_LIMITS).filter((k) => !covered.has(k as never) && !untested.includes(k))).toEqual([]);
});

test('Fargate task sizes: 256 CPU with 2048 MiB passes, with 4096 MiB fails', () => {
  const task = (cpu: string, memory: string) => ({ T: { Type: 'AWS::ECS::TaskDefinition', Properties: { RequiresCompatibilities: ['FARGATE'], Cpu: cpu, Memory: memory } } });
  expect(limitsOf(breaches(task('256', '2048')))).toEqual([]);
  expect(limitsOf(breaches(task('256', '4096')))).toEqual(['fargateTaskSize']);
  expect(limitsOf(breaches(task('4096', '30720')))).toEqual([]);
  expect(limitsOf(breaches(task('4096', '31744')))).toEqual(['fargateTaskSize']);
});

test('WAF evaluation windows: 600 s passes, 900 s fails', () => {
  expect(limitsOf(breaches(webAcl([rateRule('R', 100, { EvaluationWindowSec: 600 })])))).toEqual([]);
  expect(limitsOf(breaches(webAcl([rateRule('R', 100, { EvaluationWindowSec: 900 })])))).toEqual(['wafEvaluationWindow']);
});

test('fails on a managed rule group whose WCUs the check does not know, rather than counting it as free', () => {
  expect(limitsOf(breaches(webAcl([managed('AWSManagedRulesSomethingNew')])))).toEqual(['wafManagedRuleGroupWcu']);
});

test('the WCU estimate adds statement costs as WAF documents them', () => {
  // regex (3) + two transformations (20); rate-based with one custom key (2 + 30) scoped down by a STARTS_WITH (2); common rule set (700)
  const rules = [
    { Name: 'Q', Statement: { RegexMatchStatement: { RegexString: 'a', FieldToMatch: { QueryString: {} }, TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }, { Priority: 1, Type: 'LOWERCASE' }] } } },
    rateRule('W', 100, { AggregateKeyType: 'CUSTOM_KEYS', CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }], ScopeDownStatement: { ByteMatchStatement: { SearchString: '/api', PositionalConstraint: 'STARTS_WITH', FieldToMatch: { UriPath: {} }, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } } }),
    managed('AWSManagedRulesCommonRuleSet'),
  ];
  expect(estimateWebAclCapacity({ Rules: rules })).toBe(23 + 34 + 700);
});

test('a deploy-time environment value counts as 256 bytes', () => {
  const fn = (n: number) => ({ Fn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: Object.fromEntries(Array.from({ length: n }, (_, i) => [`V${i}`, { Ref: 'X' }])) } } } });
  // {"V0":"<256>",...}: 15 variables are 3,991 bytes, 16 are 4,257.
  expect(limitsOf(breaches(fn(15)))).toEqual([]);
  expect(limitsOf(breaches(fn(16)))).toEqual(['lambdaEnvironmentBytes']);
});
