/**
 * The AWS limits of lib/limits/aws-limits.ts checked over synthesized CloudFormation templates: pure
 * functions of the template JSON, so they hold whatever construct wrote the resource. Values that only
 * exist at deploy time (intrinsic functions) are estimated where a size matters (see each check) and
 * skipped where a value matters.
 */
import { AWS_LIMITS, AwsLimitName, describeLimit, FARGATE_TASK_SIZES_SOURCE, isFargateTaskSize, MANAGED_RULE_GROUP_WCUS, WAF_EVALUATION_WINDOWS } from './aws-limits';

/** One value over one limit. */
export interface LimitBreach {
  /** The limit (a key of AWS_LIMITS), or `fargateTaskSize`, `wafEvaluationWindow`, `wafManagedRuleGroupWcu`. */
  readonly limit: AwsLimitName | 'fargateTaskSize' | 'wafEvaluationWindow' | 'wafManagedRuleGroupWcu';
  /** The stack (template) name. */
  readonly stack: string;
  /** The logical id of the resource, if the breach is about one. */
  readonly logicalId?: string;
  /** Where in the resource, like `Properties.Rules.0.Statement`. */
  readonly location?: string;
  /** One line: what, the value, the limit and its source. */
  readonly message: string;
}

/** A synthesized template. */
export interface SynthesizedTemplate {
  /** The stack's name (for messages). */
  readonly stack: string;
  /** The template JSON. */
  readonly template: CfnTemplate;
  /** The template body's size in bytes as written. */
  readonly bytes: number;
}

/** The parts of a CloudFormation template the checks read. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, unknown>;
  readonly Parameters?: Record<string, unknown>;
  readonly Mappings?: Record<string, unknown>;
}

/** One resource of a template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, unknown>;
}

/**
 * What a deploy-time value (an intrinsic function) is counted as where a size matters: longer than any
 * ARN, id or parameter name the kit references (KMS key ARNs are about 75 characters).
 */
export const DEPLOY_TIME_VALUE_BYTES = 256;

const limitOf = (name: AwsLimitName) => AWS_LIMITS[name];
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The breaches of every limit in every template. */
export function checkTemplates(templates: readonly SynthesizedTemplate[]): LimitBreach[] {
  return templates.flatMap(checkTemplate);
}

/** The breaches of one template. */
export function checkTemplate(t: SynthesizedTemplate): LimitBreach[] {
  const out: LimitBreach[] = [];
  const over = (limit: AwsLimitName, actual: number, what: string, logicalId?: string, location?: string) => {
    const l = limitOf(limit);
    if (actual > l.value) {
      out.push({ limit, stack: t.stack, logicalId, location, message: `${t.stack}${logicalId ? `/${logicalId}` : ''}${location ? ` ${location}` : ''}: ${what} is ${actual.toLocaleString('en-US')}, over the ${describeLimit(limit)}` });
    }
  };
  const under = (limit: AwsLimitName, actual: number, what: string, logicalId?: string, location?: string) => {
    const l = limitOf(limit);
    if (actual < l.value) {
      out.push({ limit, stack: t.stack, logicalId, location, message: `${t.stack}${logicalId ? `/${logicalId}` : ''}${location ? ` ${location}` : ''}: ${what} is ${actual.toLocaleString('en-US')}, under the ${describeLimit(limit)}` });
    }
  };
  const resources = t.template.Resources ?? {};

  // CloudFormation
  over('cfnResourcesPerStack', Object.keys(resources).length, 'the number of resources');
  over('cfnOutputsPerStack', Object.keys(t.template.Outputs ?? {}).length, 'the number of outputs');
  over('cfnParametersPerStack', Object.keys(t.template.Parameters ?? {}).length, 'the number of parameters');
  over('cfnMappingsPerStack', Object.keys(t.template.Mappings ?? {}).length, 'the number of mappings');
  over('cfnTemplateBytesS3', t.bytes, 'the template body in bytes');
  for (const id of Object.keys(resources)) over('cfnLogicalIdChars', id.length, 'the logical id length', id);
  for (const id of Object.keys(t.template.Outputs ?? {})) over('cfnOutputNameChars', id.length, 'the output name length', id);

  const apiResources = new Map<string, number>();
  const apiAuthorizers = new Map<string, number>();
  const listenerOfRule = new Map<string, string[]>();
  const loadBalancerOfListener = new Map<string, string>();
  const roleInline = new Map<string, { chars: number; ids: string[] }>();

  for (const [id, r] of Object.entries(resources)) {
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::WAFv2::WebACL':
        checkWebAcl(id, p, over, under, out, t.stack);
        break;
      case 'AWS::Lambda::Function': {
        const vars = p.Environment?.Variables ?? {};
        const estimated = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? v : 'x'.repeat(DEPLOY_TIME_VALUE_BYTES)]));
        if (Object.keys(vars).length > 0) over('lambdaEnvironmentBytes', bytes(JSON.stringify(estimated)), 'the environment in bytes (as JSON)', id, 'Properties.Environment');
        if (typeof p.Timeout === 'number') over('lambdaTimeoutSeconds', p.Timeout, 'the timeout in seconds', id, 'Properties.Timeout');
        if (typeof p.MemorySize === 'number') {
          over('lambdaMemoryMaxMiB', p.MemorySize, 'the memory in MB', id, 'Properties.MemorySize');
          under('lambdaMemoryMinMiB', p.MemorySize, 'the memory in MB', id, 'Properties.MemorySize');
        }
        if (typeof p.ReservedConcurrentExecutions === 'number') {
          over('lambdaConcurrentExecutions', p.ReservedConcurrentExecutions + AWS_LIMITS.lambdaUnreservedConcurrencyMin.value, 'the reserved concurrency plus the 100 Lambda keeps unreserved', id, 'Properties.ReservedConcurrentExecutions');
        }
        break;
      }
      case 'AWS::ApiGateway::Resource': {
        const api = JSON.stringify(p.RestApiId);
        apiResources.set(api, (apiResources.get(api) ?? 0) + 1);
        break;
      }
      case 'AWS::ApiGateway::Authorizer': {
        const api = JSON.stringify(p.RestApiId);
        apiAuthorizers.set(api, (apiAuthorizers.get(api) ?? 0) + 1);
        if (typeof p.AuthorizerResultTtlInSeconds === 'number') over('apiGatewayAuthorizerTtlMaxSeconds', p.AuthorizerResultTtlInSeconds, 'the authorizer result TTL in seconds', id, 'Properties.AuthorizerResultTtlInSeconds');
        break;
      }
      case 'AWS::ApiGateway::Method': {
        const timeout = p.Integration?.TimeoutInMillis;
        if (typeof timeout === 'number') {
          // A streaming integration may wait up to 15 minutes; a buffered one 29 s (without a quota increase).
          const streams = p.Integration?.ResponseTransferMode === 'STREAM';
          over(streams ? 'apiGatewayStreamingIntegrationTimeoutMaxMs' : 'apiGatewayIntegrationTimeoutMaxMs', timeout, 'the integration timeout in ms', id, 'Properties.Integration.TimeoutInMillis');
          under('apiGatewayIntegrationTimeoutMinMs', timeout, 'the integration timeout in ms', id, 'Properties.Integration.TimeoutInMillis');
        }
        break;
      }
      case 'AWS::ApiGateway::Stage':
        over('apiGatewayStageVariables', Object.keys(p.Variables ?? {}).length, 'the number of stage variables', id, 'Properties.Variables');
        break;
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
        if (typeof p.Name === 'string') over('elbLoadBalancerNameChars', p.Name.length, 'the load balancer name length', id, 'Properties.Name');
        break;
      case 'AWS::ElasticLoadBalancingV2::TargetGroup':
        if (typeof p.Name === 'string') over('elbTargetGroupNameChars', p.Name.length, 'the target group name length', id, 'Properties.Name');
        break;
      case 'AWS::ElasticLoadBalancingV2::Listener':
        loadBalancerOfListener.set(JSON.stringify({ Ref: id }), JSON.stringify(p.LoadBalancerArn));
        break;
      case 'AWS::ElasticLoadBalancingV2::ListenerRule': {
        const listener = JSON.stringify(p.ListenerArn);
        listenerOfRule.set(listener, [...(listenerOfRule.get(listener) ?? []), id]);
        const values: string[] = (p.Conditions ?? []).flatMap((c: any) => [
          ...(c.Values ?? []),
          ...(c.PathPatternConfig?.Values ?? []),
          ...(c.HostHeaderConfig?.Values ?? []),
          ...(c.HttpRequestMethodConfig?.Values ?? []),
          ...(c.SourceIpConfig?.Values ?? []),
          ...(c.HttpHeaderConfig?.Values ?? []),
          ...(c.QueryStringConfig?.Values ?? []).map((q: any) => `${q.Key ?? ''}=${q.Value ?? ''}`),
        ]).filter((v: unknown): v is string => typeof v === 'string');
        over('elbConditionValuesPerRule', values.length, 'the number of condition values', id, 'Properties.Conditions');
        over('elbConditionWildcardsPerRule', values.reduce((n, v) => n + (v.match(/[*?]/g)?.length ?? 0), 0), 'the number of condition wildcards', id, 'Properties.Conditions');
        const patterns = (p.Conditions ?? []).flatMap((c: any) => [...(c.Field === 'path-pattern' ? c.Values ?? [] : []), ...(c.PathPatternConfig?.Values ?? [])]);
        for (const v of patterns) if (typeof v === 'string') over('elbPathPatternChars', v.length, `the path pattern ${v} length`, id, 'Properties.Conditions');
        if (typeof p.Priority === 'number') over('elbRulePriorityMax', p.Priority, 'the rule priority', id, 'Properties.Priority');
        break;
      }
      case 'AWS::ECS::TaskDefinition': {
        const fargate = (p.RequiresCompatibilities ?? []).includes('FARGATE');
        if (fargate && p.Cpu !== undefined && p.Memory !== undefined && !isFargateTaskSize(Number(p.Cpu), Number(p.Memory))) {
          out.push({ limit: 'fargateTaskSize', stack: t.stack, logicalId: id, location: 'Properties.Cpu', message: `${t.stack}/${id}: Fargate has no task size of ${p.Cpu} CPU units with ${p.Memory} MiB (${FARGATE_TASK_SIZES_SOURCE})` });
        }
        over('fargateContainerDefinitionsPerTask', (p.ContainerDefinitions ?? []).length, 'the number of container definitions', id, 'Properties.ContainerDefinitions');
        break;
      }
      case 'AWS::Logs::LogGroup':
        if (typeof p.LogGroupName === 'string') over('logGroupNameChars', p.LogGroupName.length, 'the log group name length', id, 'Properties.LogGroupName');
        break;
      case 'AWS::IAM::Role': {
        if (typeof p.RoleName === 'string') over('iamRoleNameChars', p.RoleName.length, 'the role name length', id, 'Properties.RoleName');
        const chars = (p.Policies ?? []).reduce((n: number, pol: any) => n + policyChars(pol.PolicyDocument), 0);
        const entry = roleInline.get(JSON.stringify({ Ref: id })) ?? { chars: 0, ids: [] };
        roleInline.set(JSON.stringify({ Ref: id }), { chars: entry.chars + chars, ids: [...entry.ids, id] });
        break;
      }
      case 'AWS::IAM::Policy':
        for (const role of p.Roles ?? []) {
          const key = JSON.stringify(role);
          const entry = roleInline.get(key) ?? { chars: 0, ids: [] };
          roleInline.set(key, { chars: entry.chars + policyChars(p.PolicyDocument), ids: [...entry.ids, id] });
        }
        break;
      case 'AWS::IAM::ManagedPolicy':
        over('iamManagedPolicyChars', policyChars(p.PolicyDocument), 'the policy size in characters (whitespace excluded)', id, 'Properties.PolicyDocument');
        break;
      case 'AWS::KMS::Key':
        if (p.KeyPolicy !== undefined) over('kmsKeyPolicyBytes', bytes(JSON.stringify(p.KeyPolicy)), 'the key policy in bytes', id, 'Properties.KeyPolicy');
        break;
      default:
        break;
    }
  }

  for (const [api, n] of apiResources) over('apiGatewayResourcesPerApi', n + 1, `the number of resources of the REST API ${api} (root included)`);
  for (const [api, n] of apiAuthorizers) over('apiGatewayAuthorizersPerApi', n, `the number of authorizers of the REST API ${api}`);
  const rulesPerLoadBalancer = new Map<string, string[]>();
  for (const [listener, ids] of listenerOfRule) {
    const lb = loadBalancerOfListener.get(listener) ?? listener;
    rulesPerLoadBalancer.set(lb, [...(rulesPerLoadBalancer.get(lb) ?? []), ...ids]);
  }
  for (const [lb, ids] of rulesPerLoadBalancer) over('elbRulesPerLoadBalancer', ids.length, `the number of listener rules of the load balancer ${lb}`);
  for (const [, { chars, ids }] of roleInline) over('iamRoleInlinePolicyChars', chars, `the inline policies of one role in characters (whitespace excluded; ${ids.join(', ')})`, ids[0]);
  return out;
}

/**
 * A policy's size as IAM counts it: characters without whitespace. Intrinsic functions count as their
 * JSON, which is about the length of the ARN they resolve to.
 */
export function policyChars(document: unknown): number {
  return JSON.stringify(document ?? {}).replace(/\s/g, '').length;
}

type Over = (limit: AwsLimitName, actual: number, what: string, logicalId?: string, location?: string) => void;

function checkWebAcl(id: string, p: Record<string, any>, over: Over, under: Over, out: LimitBreach[], stack: string): void {
  if (typeof p.Name === 'string') over('wafNameChars', p.Name.length, 'the web ACL name length', id, 'Properties.Name');
  const rules: any[] = p.Rules ?? [];
  let wcus = 0;
  let rateBased = 0;
  let references = 0;
  rules.forEach((rule, i) => {
    const at = `Properties.Rules.${i}`;
    if (typeof rule.Name === 'string') over('wafNameChars', rule.Name.length, `rule ${rule.Name}'s name length`, id, at);
    const metric = rule.VisibilityConfig?.MetricName;
    if (typeof metric === 'string') over('wafNameChars', metric.length, `rule ${rule.Name}'s metric name length`, id, at);
    const headers = rule.Action?.Block?.CustomResponse?.ResponseHeaders ?? [];
    over('wafCustomResponseHeadersPerResponse', headers.length, `rule ${rule.Name}'s custom response headers`, id, at);
    const visit = (s: any, where: string): number => {
      if (!s || typeof s !== 'object') return 0;
      const transforms = (x: any) => {
        const list: any[] = x.TextTransformations ?? [];
        over('wafTextTransformationsPerStatement', list.length, 'the number of text transformations', id, where);
        return list.filter((tt) => tt.Type !== 'NONE').length * 10;
      };
      const field = (x: any) => (x.FieldToMatch?.AllQueryArguments ? 10 : 0);
      if (s.ByteMatchStatement) {
        const b = s.ByteMatchStatement;
        if (typeof b.SearchString === 'string') over('wafStringMatchChars', bytes(b.SearchString), `the string match ${JSON.stringify(b.SearchString)} in bytes`, id, where);
        const base = ['CONTAINS', 'CONTAINS_WORD'].includes(b.PositionalConstraint) ? 10 : 2;
        return base + field(b) + transforms(b);
      }
      if (s.RegexMatchStatement) {
        const r = s.RegexMatchStatement;
        if (typeof r.RegexString === 'string') over('wafRegexPatternChars', r.RegexString.length, `rule ${rule.Name}'s regex pattern length`, id, where);
        return 3 + field(r) + transforms(r);
      }
      if (s.RegexPatternSetReferenceStatement) {
        references++;
        return 25 + field(s.RegexPatternSetReferenceStatement) + transforms(s.RegexPatternSetReferenceStatement);
      }
      if (s.SizeConstraintStatement) return 1 + field(s.SizeConstraintStatement) + transforms(s.SizeConstraintStatement);
      if (s.SqliMatchStatement) return 20 + field(s.SqliMatchStatement) + transforms(s.SqliMatchStatement);
      if (s.XssMatchStatement) return 40 + field(s.XssMatchStatement) + transforms(s.XssMatchStatement);
      if (s.GeoMatchStatement || s.LabelMatchStatement || s.AsnMatchStatement) return 1;
      if (s.IPSetReferenceStatement) {
        references++;
        return 1;
      }
      if (s.AndStatement || s.OrStatement) {
        const nested: any[] = (s.AndStatement ?? s.OrStatement).Statements ?? [];
        return nested.reduce((n, x, j) => n + visit(x, `${where}.${s.AndStatement ? 'AndStatement' : 'OrStatement'}.Statements.${j}`), 0);
      }
      if (s.NotStatement) return visit(s.NotStatement.Statement, `${where}.NotStatement.Statement`);
      if (s.RateBasedStatement) {
        const r = s.RateBasedStatement;
        rateBased++;
        if (typeof r.Limit === 'number') {
          over('wafRateLimitMax', r.Limit, `rule ${rule.Name}'s rate limit`, id, where);
          under('wafRateLimitMin', r.Limit, `rule ${rule.Name}'s rate limit`, id, where);
        }
        if (r.EvaluationWindowSec !== undefined && !WAF_EVALUATION_WINDOWS.includes(r.EvaluationWindowSec)) {
          out.push({ limit: 'wafEvaluationWindow', stack, logicalId: id, location: where, message: `${stack}/${id} ${where}: rule ${rule.Name}'s evaluation window is ${r.EvaluationWindowSec} s, WAF accepts ${WAF_EVALUATION_WINDOWS.join(', ')} (${AWS_LIMITS.wafRateCustomKeys.source})` });
        }
        const keys: any[] = r.CustomKeys ?? [];
        over('wafRateCustomKeys', keys.length, `rule ${rule.Name}'s custom aggregation keys`, id, where);
        // Rate-based statement: 2 WCUs, 30 more per custom key, plus the scope-down statement (source: wafRateCustomKeys' page).
        const keyTransforms = keys.reduce((n, k) => n + Object.values(k).reduce((m: number, v: any) => m + ((v?.TextTransformations ?? []).filter((tt: any) => tt.Type !== 'NONE').length * 10), 0), 0);
        return 2 + keys.length * 30 + keyTransforms + (r.ScopeDownStatement ? visit(r.ScopeDownStatement, `${where}.RateBasedStatement.ScopeDownStatement`) : 0);
      }
      if (s.ManagedRuleGroupStatement) {
        references++;
        const name = s.ManagedRuleGroupStatement.Name;
        const cost = MANAGED_RULE_GROUP_WCUS[name];
        if (cost === undefined) {
          out.push({ limit: 'wafManagedRuleGroupWcu', stack, logicalId: id, location: where, message: `${stack}/${id} ${where}: the WCUs of the managed rule group ${name} are not known to the limit check; add them to MANAGED_RULE_GROUP_WCUS (lib/limits/aws-limits.ts) from its AWS page` });
          return 0;
        }
        return cost + (s.ManagedRuleGroupStatement.ScopeDownStatement ? visit(s.ManagedRuleGroupStatement.ScopeDownStatement, `${where}.ScopeDownStatement`) : 0);
      }
      if (s.RuleGroupReferenceStatement) {
        references++;
        return 0;
      }
      return 0;
    };
    wcus += visit(rule.Statement, `${at}.Statement`);
  });
  over('wafWebAclCapacityUnits', wcus, 'the estimated WCUs of the web ACL', id, 'Properties.Rules');
  over('wafRateBasedRulesPerWebAcl', rateBased, 'the number of rate-based rules', id, 'Properties.Rules');
  over('wafReferenceStatementsPerWebAcl', references, 'the number of reference statements', id, 'Properties.Rules');
  const bodies = Object.entries(p.CustomResponseBodies ?? {});
  over('wafCustomResponseBodiesPerWebAcl', bodies.length, 'the number of custom response bodies', id, 'Properties.CustomResponseBodies');
  for (const [key, body] of bodies as Array<[string, any]>) {
    over('wafCustomResponseBodyKeyChars', key.length, `the custom response body key ${key} length`, id, 'Properties.CustomResponseBodies');
    if (typeof body?.Content === 'string') over('wafCustomResponseBodyBytes', bytes(body.Content), `custom response body ${key} in bytes`, id, `Properties.CustomResponseBodies.${key}`);
  }
}

/** The WCU estimate of a web ACL resource's properties (for tests and reports). */
export function estimateWebAclCapacity(properties: Record<string, any>): number {
  const out: LimitBreach[] = [];
  let captured = 0;
  const capture: Over = (limit, actual) => {
    if (limit === 'wafWebAclCapacityUnits') captured = actual;
  };
  checkWebAcl('WebAcl', properties, capture, () => undefined, out, 'estimate');
  return captured;
}
