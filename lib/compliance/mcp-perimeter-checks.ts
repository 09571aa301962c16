/**
 * The McpPerimeter cdk-nag pack: one rule per checklist item whose evidence includes **nag** (see
 * `checklist.ts`), each rule id embedding its item (`McpPerimeter-TLS1` is TLS-1).
 *
 * cdk-nag 3 reports only violations. So that the auditor report can also show what was checked and
 * found compliant, the pack records every applicable rule evaluation in {@link McpPerimeterChecks.results}:
 * it wraps each rule it passes to cdk-nag's `applyRule`, so the record is made by the very call
 * cdk-nag makes (no second evaluation, no reliance on cdk-nag's private members). `validateScope`
 * (which `validate` calls during synthesis) starts a fresh record.
 */
import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { IApplyRule, NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import * as rules from './rules';
import { forgetRenderedResources } from './rules/resource-graph';

/** The pack's name: the prefix of its rule ids and its namespace in the validation report. */
export const MCP_PERIMETER_PACK_NAME = 'McpPerimeter';

/** One rule of the pack: its id suffix, the checklist item it evidences, the check and its wording. */
export interface McpPerimeterRule {
  /** The rule id suffix: the checklist item without its dash, e.g. `TLS1`. */
  readonly suffix: string;
  /** The checklist item, e.g. `TLS-1`. */
  readonly item: string;
  /** The check (its function name is the rule's name). */
  readonly rule: (node: CfnResource) => NagRuleResult;
  /** Why it was triggered (the violation's description). */
  readonly info: string;
  /** Why the rule exists. */
  readonly explanation: string;
}

/** The pack's rules, in checklist order. */
export const MCP_PERIMETER_RULES: readonly McpPerimeterRule[] = [
  { suffix: 'TLS1', item: 'TLS-1', rule: rules.ListenerTlsOnly,
    info: 'A load balancer listener accepts plain HTTP without redirecting to HTTPS.',
    explanation: 'TLS-1: every listener that takes client traffic is TLS only; plain HTTP only redirects to HTTPS. Set Protocol HTTPS, or make the HTTP listener\'s default action a redirect to HTTPS.' },
  { suffix: 'TLS2', item: 'TLS-2', rule: rules.TlsPolicyModern,
    info: 'A listener or API custom domain allows TLS below 1.2 or a legacy policy (finding: the policy received).',
    explanation: 'TLS-2: minimum TLS 1.2, TLS 1.3 preferred. Use SslPolicy ELBSecurityPolicy-TLS13-1-2-2021-06 (or another ELBSecurityPolicy-TLS13-1-2-*/1-3-*) and SecurityPolicy TLS_1_2 or SecurityPolicy_TLS13_*.' },
  { suffix: 'TLS3', item: 'TLS-3', rule: rules.GatewayToLoadBalancerTls,
    info: 'A private integration reaches the load balancer without TLS (finding: the non-https URI or the plain listener).',
    explanation: 'TLS-3: traffic is encrypted end to end. Give VPC_LINK integrations an https:// URI and the load balancer they reach HTTPS listeners only (HTTP may only redirect).' },
  { suffix: 'TLS4', item: 'TLS-4', rule: rules.CertificatesFromAcm,
    info: 'A certificate is not managed and renewed by ACM (finding: the field and the certificate kind).',
    explanation: 'TLS-4: certificates are ACM certificates (DNS validated so that they renew automatically); IAM server certificates and email-validated certificates need a person to renew.' },
  { suffix: 'EDGE1', item: 'EDGE-1', rule: rules.WebAclOnEveryEntryPoint,
    info: 'An API stage or load balancer has no WAF web ACL, or a web ACL lacks a managed rule group (finding: the group).',
    explanation: 'EDGE-1: a web ACL protects every entry point with AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet and AWSManagedRulesAmazonIpReputationList in force (not Count).' },
  { suffix: 'EDGE2', item: 'EDGE-2', rule: rules.RateLimitsConfigured,
    info: 'An API stage has no default throttling, or its web ACL lacks a blocking rate rule per source IP or per credential (finding: what is missing).',
    explanation: 'EDGE-2: rate limits per source IP and per token, with burst, answer 429. Set the stage\'s MethodSettings throttling for * /* and add RateBasedStatement rules (aggregate by IP and by the credential header) to the API\'s web ACL.' },
  { suffix: 'EDGE3', item: 'EDGE-3', rule: rules.QueryStringCredentialsBlocked,
    info: 'The API\'s web ACL lets a credential-like query parameter through (finding: the parameter name).',
    explanation: 'EDGE-3: tokens in the query string are refused at the edge. Add a blocking rule that matches access_token, accessToken, token, api_key … in the query string.' },
  { suffix: 'EDGE4', item: 'EDGE-4', rule: rules.SecurityHeadersOnResponses,
    info: 'A response source lacks a security header (finding: the header, listener attribute or gateway response type).',
    explanation: 'EDGE-4: HTTPS listeners set HSTS, Content-Security-Policy, X-Content-Type-Options and X-Frame-Options (routing.http.response.*.header_value); gateway responses set those plus Referrer-Policy and Permissions-Policy; every REST API defines DEFAULT_4XX and DEFAULT_5XX.' },
  { suffix: 'EDGE5', item: 'EDGE-5', rule: rules.CorsOriginRestricted,
    info: 'A response allows every origin: Access-Control-Allow-Origin is * (finding: where).',
    explanation: 'EDGE-5: CORS allows only configured origins. Map Access-Control-Allow-Origin to a configured origin, never \'*\'.' },
  { suffix: 'EDGE6', item: 'EDGE-6', rule: rules.RequestSizeBounded,
    info: 'A web ACL does not block oversize headers, or the API\'s web ACL does not block oversize bodies (finding: Header or Body).',
    explanation: 'EDGE-6: request size is bounded. Add blocking SizeConstraintStatement rules (GT) on the credential headers and, on the API\'s web ACL, on the body.' },
  { suffix: 'AUTH1', item: 'AUTH-1', rule: rules.MethodsRequireAuthorizer,
    info: 'A REST API method other than OPTIONS, /health or /.well-known/… has no Lambda authorizer.',
    explanation: 'AUTH-1: every route but the health check requires a credential. Set AuthorizationType CUSTOM and the AuthorizerId of the REQUEST authorizer.' },
  { suffix: 'AUTH7', item: 'AUTH-7', rule: rules.IdentityHeadersFromAuthorizer,
    info: 'An authorized private integration does not set an identity header from the authorizer context (finding: the header).',
    explanation: 'AUTH-7: each caller\'s identity is passed to the backend and cannot be forged. Map integration.request.header.X-Mcp-Agent-Id/-Agent-Type/-Role/-Scopes from context.authorizer.agentId/agentType/role/scopes.' },
  { suffix: 'SEC1', item: 'SEC-1', rule: rules.NoSecretsInEnvironment,
    info: 'An environment variable looks like a secret (finding: the variable).',
    explanation: 'SEC-1: no secret in Lambda or container environments. Pass the SSM parameter name or ARN and read the SecureString at run time, or use the container\'s Secrets.' },
  { suffix: 'SEC2', item: 'SEC-2', rule: rules.SecretsEncryptedAtRest,
    info: 'A KMS key does not rotate, a plain String parameter holds a secret-looking value, or a secret has no customer-managed key (finding: what).',
    explanation: 'SEC-2: secrets live in SSM SecureString encrypted by a customer-managed KMS key with rotation on. Set EnableKeyRotation; keep secrets out of String parameters; give secrets a KmsKeyId.' },
  { suffix: 'SEC4', item: 'SEC-4', rule: rules.SecretAccessLeastPrivilege,
    info: 'An IAM policy grants parameter access beyond a parameter path, or kms:Decrypt on every key without a condition (finding: the action).',
    explanation: 'SEC-4: key and secret access is least privilege. Scope ssm:GetParameter*/PutParameter/DeleteParameter to arn:…:parameter/<path>/*; scope kms:Decrypt to key ARNs or add a condition such as kms:ViaService.' },
  { suffix: 'AUDIT3', item: 'AUDIT-3', rule: rules.AuditLogGroupsRetained,
    info: 'A log group keeps events under 90 days, is not encrypted with a customer-managed key, or is deleted with its stack (finding: the field and value).',
    explanation: 'AUDIT-3: audit log groups keep 90 days, are encrypted with a customer-managed KMS key and survive stack deletion. Set RetentionInDays >= 90, KmsKeyId, and RemovalPolicy RETAIN.' },
  { suffix: 'AUDIT4', item: 'AUDIT-4', rule: rules.AccessLogsEnabled,
    info: 'An API stage, web ACL, load balancer or VPC does not write its log.',
    explanation: 'AUDIT-4: gateway access logs, WAF logs, load balancer access logs and VPC flow logs are all on.' },
  { suffix: 'AUDIT5', item: 'AUDIT-5', rule: rules.SecurityAlarmsConfigured,
    info: 'No alarm with actions watches authentication failures or rate limiting (finding: which).',
    explanation: 'AUDIT-5: failed authentication and rate-limit violations raise alarms. Add metric filters on authorizer deny events and on 429/WAF blocks, each with an alarm that has AlarmActions.' },
  { suffix: 'NET1', item: 'NET-1', rule: rules.ServicePrivate,
    info: 'The service can be reached from outside: a public IP, a public subnet, ingress from a CIDR, or an internet-facing load balancer (finding: what).',
    explanation: 'NET-1: the MCP server runs in private subnets with no public IP and is reachable only from its load balancer.' },
  { suffix: 'NET2', item: 'NET-2', rule: rules.NoOpenIngress,
    info: 'A security group admits 0.0.0.0/0 or ::/0 (finding: the rule).',
    explanation: 'NET-2: security groups admit only what is needed; the public entry point is API Gateway, so no security group needs internet ingress.' },
  { suffix: 'NET3', item: 'NET-3', rule: rules.ModelPortsInternal,
    info: 'A model port is open to a CIDR outside the VPC (finding: the port and source).',
    explanation: 'NET-3: no LLM or model port (11434, 8080, 8000, 5000, 7860, 3000) is reachable from outside the VPC. Admit it from a security group instead.' },
  { suffix: 'NET4', item: 'NET-4', rule: rules.EgressClosedByDefault,
    info: 'Egress to the internet is open although the stack did not choose it (finding: the gateway or egress rule).',
    explanation: 'NET-4: egress is closed by default (VPC endpoints for AWS services). Opening it is the explicit choice network.egress: nat (tag mcp-perimeter:egress=nat); otherwise set allowAllOutbound false.' },
  { suffix: 'WORK1', item: 'WORK-1', rule: rules.ContainerHardened,
    info: 'A container runs as root, is privileged, or has a writable root filesystem (finding: what and which container).',
    explanation: 'WORK-1: the container runs as a non-root user (User set, not root or 0), not privileged, with ReadonlyRootFilesystem true.' },
  { suffix: 'WORK3', item: 'WORK-3', rule: rules.ExecCommandDisabled,
    info: 'ECS Exec is enabled on a service without the explicit choice mcp-perimeter:ecs-exec=enabled.',
    explanation: 'WORK-3: operator shell access (ECS Exec) is off unless asked for.' },
];

/** Every rule id of the pack, in checklist order. */
export const MCP_PERIMETER_RULE_IDS: readonly string[] = MCP_PERIMETER_RULES.map((r) => `${MCP_PERIMETER_PACK_NAME}-${r.suffix}`);

/** How one rule judged one resource. */
export type RuleCompliance = 'compliant' | 'non-compliant' | 'error';

/** One applicable rule evaluation (rules that do not apply to a resource are not recorded). */
export interface McpPerimeterResult {
  /** The rule id, e.g. `McpPerimeter-TLS1` (findings are not part of it). */
  readonly ruleId: string;
  /** The checklist item the rule evidences, e.g. `TLS-1`. */
  readonly item: string;
  /** The construct path of the L1 resource, as in the validation report. */
  readonly constructPath: string;
  /** The CloudFormation type of the resource. */
  readonly resourceType: string;
  /** The judgement, before acknowledgments (the validation report says which violations were acknowledged). */
  readonly compliance: RuleCompliance;
  /** The findings of a non-compliant result (reported as `<ruleId>[<finding>]`); empty otherwise. */
  readonly findings: readonly string[];
  /** The error a rule threw (cdk-nag reports it as a violation). @default - none */
  readonly error?: string;
}

const ITEM_BY_RULE_ID = new Map(MCP_PERIMETER_RULES.map((r) => [`${MCP_PERIMETER_PACK_NAME}-${r.suffix}`, r.item]));

/**
 * Checks the perimeter's synthesized resources against the security checklist. Register it as a
 * validation plugin: `Validations.of(app).addPlugins(new McpPerimeterChecks(app))`.
 */
export class McpPerimeterChecks extends NagPack {
  /** The plugin name shown in the validation report. */
  public readonly name = MCP_PERIMETER_PACK_NAME;
  /** The rule ids the pack evaluates. */
  public readonly ruleIds = [...MCP_PERIMETER_RULE_IDS];

  private readonly recorded: McpPerimeterResult[] = [];

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = MCP_PERIMETER_PACK_NAME;
  }

  /** Every applicable rule evaluation of the last validation, compliant ones included. */
  public get results(): readonly McpPerimeterResult[] {
    return this.recorded;
  }

  /** Validates a construct tree, starting a fresh {@link results} record. */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.recorded.length = 0;
    forgetRenderedResources();
    return super.validateScope(scope);
  }

  protected checkResource(node: CfnResource): void {
    for (const rule of MCP_PERIMETER_RULES) {
      this.applyRule({
        ruleSuffixOverride: rule.suffix,
        info: rule.info,
        explanation: rule.explanation,
        level: NagMessageLevel.ERROR,
        rule: rule.rule,
        node,
      });
    }
  }

  /** Applies a rule through cdk-nag, recording its result on the way. */
  protected applyRule(params: IApplyRule): void {
    const ruleId = `${this.readPackName}-${params.ruleSuffixOverride ?? params.rule.name}`;
    const check = params.rule;
    const record = (compliance: RuleCompliance, findings: readonly string[] = [], error?: string) =>
      this.recorded.push({
        ruleId,
        item: ITEM_BY_RULE_ID.get(ruleId) ?? 'unknown',
        constructPath: params.node.node.path,
        resourceType: params.node.cfnResourceType,
        compliance,
        findings,
        ...(error === undefined ? {} : { error }),
      });
    super.applyRule({
      ...params,
      rule: (node: CfnResource): NagRuleResult => {
        let result: NagRuleResult;
        try {
          result = check(node);
        } catch (error) {
          record('error', [], (error as Error).message);
          throw error;
        }
        if (Array.isArray(result)) record(result.length === 0 ? 'compliant' : 'non-compliant', result);
        else if (result === NagRuleCompliance.COMPLIANT) record('compliant');
        else if (result === NagRuleCompliance.NON_COMPLIANT) record('non-compliant');
        return result;
      },
    });
  }
}
