import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { queryCredentialPatterns } from '../../../lambda/authorizer/query-credentials';
import { EXPOSED_RESPONSE_HEADERS, GATEWAY_SECURITY_HEADERS } from './security-headers';
import { type ToolCallLimit, toolCallRateRules } from './tool-call-rate-rule';

/** What a web ACL protects; decides which body inspection the firewall can do. */
export enum FirewallTarget {
  /** A REST API stage: WAF can inspect up to 64 KB of a body (association config). */
  API_GATEWAY = 'API_GATEWAY',
  /** An Application Load Balancer: WAF inspects only the first 8 KB of a body. */
  APPLICATION_LOAD_BALANCER = 'APPLICATION_LOAD_BALANCER',
}

/** Rate limits of a web ACL (EDGE-2); every rate rule answers 429. */
export interface FirewallRateLimits {
  /** Requests per minute from one source IP. */
  readonly perIpPerMinute: number;
  /** Requests per minute carrying one credential (one rule per credential header). */
  readonly perCredentialPerMinute: number;
  /** Writes (methods other than GET, HEAD, OPTIONS on `writePaths`) per minute per credential. */
  readonly writesPerCredentialPerMinute: number;
  /** Path prefixes of the write routes. @default - no writes rule */
  readonly writePaths?: readonly string[];
  /**
   * Requests per minute from one source IP that carry none of the credential headers (scraping, token
   * guessing before a credential exists). A separate rule, added only when it is below `perIpPerMinute`.
   * @default - no separate limit
   */
  readonly unauthenticatedPerIpPerMinute?: number;
}

/** Properties of a {@link WebFirewall}. */
export interface WebFirewallProps {
  /** What the web ACL protects. */
  readonly target: FirewallTarget;
  /** The ARN of the API stage or load balancer the web ACL is associated with. */
  readonly resourceArn: string;
  /** Where WAF writes its logs; the name must start with `aws-waf-logs-` (AUDIT-4). */
  readonly logGroup: ILogGroup;
  /** The accepted credential headers, lowercase: one per-credential rate rule each (AUTH-2, EDGE-2). */
  readonly credentialHeaders: readonly string[];
  /** The largest credential header accepted, in bytes (EDGE-6). */
  readonly maxCredentialBytes: number;
  /**
   * The issued token prefix: a query parameter name or value starting with it (and 16 token characters)
   * is a credential in the query string (EDGE-3).
   * @default 'mcp_'
   */
  readonly tokenPrefix?: string;
  /**
   * The largest request body accepted, in bytes (EDGE-6); needs `FirewallTarget.API_GATEWAY`.
   * @default - no body size rule
   */
  readonly maxBodyBytes?: number;
  /**
   * Rate limits. Behind API Gateway every request reaches the load balancer from the VPC link's
   * addresses, so per-IP limits belong on the API stage only.
   * @default - no rate rules
   */
  readonly rateLimits?: FirewallRateLimits;
  /**
   * Path prefixes of the MCP (JSON-RPC) routes, like `/mcp` (each matches itself and its subpaths, after
   * URL decoding and path normalization). The managed rules that look for web-attack patterns in a body
   * only count there: MCP tool calls carry code, paths and URLs as data. Everywhere else they block.
   * @default - no MCP routes: the body rules block everywhere
   */
  readonly mcpPaths?: readonly string[];
  /**
   * Browser origins allowed by CORS. When set, a request whose `Origin` header names another origin is
   * refused (403, no CORS headers): every request that reaches the gateway then comes from an allowed
   * origin or from no browser at all, so its own responses may echo `Origin` (EDGE-5, MCP transport's
   * Origin validation).
   * @default - Origin is not checked
   */
  readonly allowedOrigins?: readonly string[];
  /** Write tool calls per credential, counted in the JSON body (tool-call-rate-rule.ts). @default - none */
  readonly toolCallLimit?: ToolCallLimit;
}

/** A managed rule that inspects the request body, and the label it adds (AWS WAF Developer Guide, "Baseline rule groups"). */
export interface ManagedBodyRule {
  /** The managed rule group. */
  readonly group: 'AWSManagedRulesCommonRuleSet' | 'AWSManagedRulesKnownBadInputsRuleSet';
  /** The rule's name in the group. */
  readonly rule: string;
  /** The label it adds to a request it matches. */
  readonly label: string;
  /** Why it counts on the MCP routes (README, "What the WAF does with bodies"). */
  readonly why: string;
}

/**
 * Every rule of the kit's managed groups that can see a request body, from the AWS WAF Developer Guide
 * ("Baseline rule groups": the core rule set and known bad inputs tables; labels verbatim). All of them
 * run in Count: the web-attack rules are blocked again by `BlockBodySignaturesOutsideMcp` on every route
 * but the MCP ones; `SizeRestrictions_BODY` (8 KB) is replaced everywhere by the configured body limit.
 */
export const MANAGED_BODY_RULES: readonly ManagedBodyRule[] = [
  { group: 'AWSManagedRulesCommonRuleSet', rule: 'CrossSiteScripting_BODY', label: 'awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body', why: 'tool arguments and results carry HTML and <script> in source code' },
  { group: 'AWSManagedRulesCommonRuleSet', rule: 'GenericLFI_BODY', label: 'awswaf:managed:aws:core-rule-set:GenericLFI_Body', why: 'code reviews and shell commands carry ../ and /etc/passwd as text' },
  { group: 'AWSManagedRulesCommonRuleSet', rule: 'GenericRFI_BODY', label: 'awswaf:managed:aws:core-rule-set:GenericRFI_Body', why: 'tool calls carry URLs, including ones with IP addresses' },
  { group: 'AWSManagedRulesCommonRuleSet', rule: 'EC2MetaDataSSRF_BODY', label: 'awswaf:managed:aws:core-rule-set:EC2MetaDataSSRF_Body', why: 'log excerpts and docs carry http://169.254.169.254/; the MCP server makes no request from it' },
  { group: 'AWSManagedRulesKnownBadInputsRuleSet', rule: 'JavaDeserializationRCE_BODY', label: 'awswaf:managed:aws:known-bad-inputs:JavaDeserializationRCE_Body', why: 'code and base64 blobs under discussion match Java serialization patterns' },
  { group: 'AWSManagedRulesKnownBadInputsRuleSet', rule: 'Log4JRCE_BODY', label: 'awswaf:managed:aws:known-bad-inputs:Log4JRCE_Body', why: 'shell and template code carries ${...} lookups as text' },
  { group: 'AWSManagedRulesKnownBadInputsRuleSet', rule: 'ReactJSRCE_BODY', label: 'awswaf:managed:aws:known-bad-inputs:ReactJSRCE_Body', why: 'JavaScript source under review matches the React server-component exploit pattern' },
];

/** The body size rule of the core rule set: 8 KB, below MCP messages; counts everywhere, `LimitBodySize` bounds bodies. */
export const MANAGED_BODY_SIZE_RULE: ManagedBodyRule = {
  group: 'AWSManagedRulesCommonRuleSet', rule: 'SizeRestrictions_BODY', label: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body',
  why: 'MCP messages exceed 8 KB; the configured limit (LimitBodySize, API stage) applies instead',
};

/** The rule that counts body-signature labels on the MCP routes; the WAF log's metric filter matches its name. */
export const MCP_BODY_SIGNATURE_RULE = 'CountBodySignaturesOnMcp';

/** Headers WAF must never log (AUDIT-2). */
export const REDACTED_HEADERS: readonly string[] = ['authorization', 'x-access-token', 'x-api-key'];

const BODY_INSPECTION_LIMITS: ReadonlyArray<[string, number]> = [['KB_16', 16384], ['KB_32', 32768], ['KB_48', 49152], ['KB_64', 65536]];
const MIN_RATE_LIMIT = 10;

/** The smallest API Gateway body inspection limit that covers `maxBodyBytes`. */
export function bodyInspectionLimitFor(maxBodyBytes: number): string {
  const limit = BODY_INSPECTION_LIMITS.find(([, bytes]) => bytes >= maxBodyBytes);
  if (!limit) throw new Error(`maxBodyBytes must be at most 65536 (WAF inspects 64 KB of an API Gateway body), got ${maxBodyBytes}`);
  return limit[0];
}

/**
 * The regexes (over the URL-decoded, lowercased query string) that find a credential in the query
 * string: the definition the authorizer and the local gateway share (`lambda/authorizer/query-credentials.ts`),
 * each within WAF's 200-character regex quota.
 */
export function credentialQueryPatterns(tokenPrefix: string): string[] {
  return queryCredentialPatterns(tokenPrefix);
}

type Statement = wafv2.CfnWebACL.StatementProperty;

const NO_TRANSFORM = [{ priority: 0, type: 'NONE' }];

function anyOf(statements: Statement[]): Statement {
  return statements.length === 1 ? statements[0] : { orStatement: { statements } };
}

function methodIs(method: string): Statement {
  return { byteMatchStatement: { fieldToMatch: { method: {} }, positionalConstraint: 'EXACTLY', searchString: method, textTransformations: NO_TRANSFORM } };
}

function pathStartsWith(path: string): Statement {
  return { byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: path, textTransformations: NO_TRANSFORM } };
}

/** The path after URL decoding and `/./`, `/../` and `//` removal: `/mcp/../api` is not an MCP path. */
const DECODED_NORMALIZED_PATH = [{ priority: 0, type: 'URL_DECODE' }, { priority: 1, type: 'NORMALIZE_PATH' }];

/** The statements that the path is `prefix` or lies under it (decoded and normalized first); any one matching suffices. */
function pathWithin(prefix: string): Statement[] {
  const match = (positionalConstraint: string, searchString: string): Statement => ({
    byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint, searchString, textTransformations: DECODED_NORMALIZED_PATH },
  });
  return [match('EXACTLY', prefix), match('STARTS_WITH', `${prefix}/`)];
}

function labelIs(key: string): Statement {
  return { labelMatchStatement: { scope: 'LABEL', key } };
}

/** The header is present with a value (a missing header matches no statement). */
function headerPresent(name: string): Statement {
  return { sizeConstraintStatement: { fieldToMatch: { singleHeader: { Name: name } }, comparisonOperator: 'GT', size: 0, textTransformations: NO_TRANSFORM } };
}

/**
 * A regional WAF web ACL for one entry point of the perimeter (EDGE-1, EDGE-2, EDGE-3, EDGE-6), used by
 * both the API stage and the internal load balancer: credentials in the query string are refused, the
 * credential headers and the body are size-bounded, requests from browser origins that are not allowed
 * are refused, rate rules per source IP (a tighter one without a credential) and per credential answer
 * 429, and the AWS managed groups for IP reputation, known bad inputs and common exploits run after them.
 * Their body rules ({@link MANAGED_BODY_RULES}) count: MCP tool calls carry code, paths and URLs as
 * data. A label rule blocks them again on every route but the MCP ones, and counts them there for the
 * audit alarm; the common group's 8 KB body size rule counts everywhere (the configured limit applies).
 * Logs go to the audit log group with credential headers and the query string redacted.
 */
export class WebFirewall extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The web ACL's ARN. */
  public readonly webAclArn: string;
  /** The association with the protected resource. */
  public readonly association: wafv2.CfnWebACLAssociation;

  private readonly metricPrefix: string;
  private readonly allowedOrigins: readonly string[];

  constructor(scope: Construct, id: string, props: WebFirewallProps) {
    super(scope, id);
    this.validate(props);
    this.metricPrefix = id.replace(/[^A-Za-z0-9_-]/g, '');
    this.allowedOrigins = props.allowedOrigins ?? [];

    const rules: wafv2.CfnWebACL.RuleProperty[] = [];
    const add = (rule: Omit<wafv2.CfnWebACL.RuleProperty, 'priority' | 'visibilityConfig'>) =>
      rules.push({ ...rule, priority: rules.length, visibilityConfig: this.visibility(rule.name) });

    add({
      name: 'BlockCredentialsInQuery',
      action: this.block(400, 'credentials-in-query'),
      // One regex match per pattern (each <= 200 characters, the WAF quota), not a regex pattern set:
      // pattern sets count against the account's 10 per Region (same quotas page).
      statement: anyOf(credentialQueryPatterns(props.tokenPrefix ?? 'mcp_').map((regexString) => ({
        regexMatchStatement: {
          fieldToMatch: { queryString: {} },
          regexString,
          textTransformations: [{ priority: 0, type: 'URL_DECODE' }, { priority: 1, type: 'LOWERCASE' }],
        },
      }))),
    });
    add({
      name: 'LimitCredentialHeaderSize',
      action: this.block(431, 'header-too-large'),
      statement: anyOf(REDACTED_HEADERS.map((name) => ({
        sizeConstraintStatement: {
          fieldToMatch: { singleHeader: { Name: name } },
          comparisonOperator: 'GT',
          size: props.maxCredentialBytes,
          textTransformations: NO_TRANSFORM,
        },
      }))),
    });
    if (props.maxBodyBytes !== undefined) {
      add({
        name: 'LimitBodySize',
        action: this.block(413, 'body-too-large'),
        statement: {
          sizeConstraintStatement: {
            fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
            comparisonOperator: 'GT',
            size: props.maxBodyBytes,
            textTransformations: NO_TRANSFORM,
          },
        },
      });
    }
    if (props.allowedOrigins && props.allowedOrigins.length > 0) {
      add({
        name: 'BlockDisallowedOrigin',
        action: this.block(403, 'request-blocked'),
        statement: {
          andStatement: {
            statements: [
              headerPresent('origin'),
              { notStatement: { statement: anyOf(props.allowedOrigins.map((origin) => ({
                byteMatchStatement: { fieldToMatch: { singleHeader: { Name: 'origin' } }, positionalConstraint: 'EXACTLY', searchString: origin.toLowerCase(), textTransformations: [{ priority: 0, type: 'LOWERCASE' }] },
              }))) } },
            ],
          },
        },
      });
    }
    if (props.rateLimits) {
      const limits = props.rateLimits;
      add({
        name: 'RatePerIp',
        action: this.block(429, 'rate-limited'),
        statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: limits.perIpPerMinute, evaluationWindowSec: 60 } },
      });
      if (limits.unauthenticatedPerIpPerMinute !== undefined && limits.unauthenticatedPerIpPerMinute < limits.perIpPerMinute) {
        add({
          name: 'RatePerIpWithoutCredential',
          action: this.block(429, 'rate-limited'),
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: limits.unauthenticatedPerIpPerMinute,
              evaluationWindowSec: 60,
              scopeDownStatement: { notStatement: { statement: anyOf(props.credentialHeaders.map(headerPresent)) } },
            },
          },
        });
      }
      for (const header of props.credentialHeaders) {
        add({
          name: `RatePerCredential-${header}`,
          action: this.block(429, 'rate-limited'),
          statement: { rateBasedStatement: this.perCredential(header, limits.perCredentialPerMinute) },
        });
      }
      const writePaths = limits.writePaths ?? [];
      if (writePaths.length > 0) {
        const isWrite: Statement = {
          andStatement: {
            statements: [
              { notStatement: { statement: anyOf(['GET', 'HEAD', 'OPTIONS'].map(methodIs)) } },
              anyOf(writePaths.map(pathStartsWith)),
            ],
          },
        };
        for (const header of props.credentialHeaders) {
          add({
            name: `WritesPerCredential-${header}`,
            action: this.block(429, 'rate-limited'),
            statement: { rateBasedStatement: { ...this.perCredential(header, limits.writesPerCredentialPerMinute), scopeDownStatement: isWrite } },
          });
        }
      }
    }
    for (const rule of toolCallRateRules(props.credentialHeaders, props.toolCallLimit)) add({ ...rule, action: this.block(429, 'rate-limited') });
    const counted = [...MANAGED_BODY_RULES, MANAGED_BODY_SIZE_RULE];
    for (const group of ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesCommonRuleSet']) {
      const overrides = counted.filter((r) => r.group === group).map((r) => r.rule);
      add({
        name: group,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: group,
            ruleActionOverrides: overrides.length ? overrides.map((name) => ({ name, actionToUse: { count: {} } })) : undefined,
          },
        },
      });
    }
    // Labels are visible to rules after the group that adds them (AWS WAF "Labels on web requests"): the body
    // rules, counted above, block again everywhere but the MCP routes, and are counted there for the alarm.
    const bodySignature = anyOf(MANAGED_BODY_RULES.map((r) => labelIs(r.label)));
    const mcpPaths = props.mcpPaths ?? [];
    const onMcp = mcpPaths.length > 0 ? anyOf(mcpPaths.flatMap(pathWithin)) : undefined;
    add({
      name: 'BlockBodySignaturesOutsideMcp',
      action: this.block(403, 'request-blocked'),
      statement: onMcp ? { andStatement: { statements: [bodySignature, { notStatement: { statement: onMcp } }] } } : bodySignature,
    });
    if (onMcp) {
      add({
        name: MCP_BODY_SIGNATURE_RULE,
        action: { count: {} },
        statement: { andStatement: { statements: [bodySignature, onMcp] } },
      });
    }

    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description: `mcp-perimeter web ACL for the ${props.target === FirewallTarget.API_GATEWAY ? 'API stage' : 'internal load balancer'}`,
      rules,
      visibilityConfig: this.visibility('WebAcl'),
      customResponseBodies: {
        'credentials-in-query': this.body('Bad Request', 'credentials are accepted in headers only'),
        'header-too-large': this.body('Request Header Fields Too Large'),
        'body-too-large': this.body('Payload Too Large'),
        'rate-limited': this.body('Too Many Requests'),
        'request-blocked': this.body('Forbidden'),
      },
      // Data protection applies to everything WAF stores about a request, logs included, and (unless
      // ExcludeRateBasedDetails) to the rate-based rule details: the credential header values a
      // per-credential rate rule keys on appear in a log's rateBasedRuleList, which the logging
      // configuration's RedactedFields do not cover (they apply only to rules' FieldToMatch).
      // Sources: WAF API Reference, DataProtection (ExcludeRateBasedDetails, default FALSE) and
      // LoggingConfiguration.RedactedFields (AUDIT-2).
      dataProtectionConfig: {
        dataProtections: [
          { field: { fieldType: 'SINGLE_HEADER', fieldKeys: [...REDACTED_HEADERS] }, action: 'SUBSTITUTION', excludeRateBasedDetails: false, excludeRuleMatchDetails: false },
          { field: { fieldType: 'QUERY_STRING' }, action: 'SUBSTITUTION', excludeRateBasedDetails: false, excludeRuleMatchDetails: false },
        ],
      },
      associationConfig: props.maxBodyBytes !== undefined
        ? { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: bodyInspectionLimitFor(props.maxBodyBytes) } } }
        : undefined,
    });
    this.webAclArn = this.webAcl.attrArn;

    this.association = new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: props.resourceArn, webAclArn: this.webAclArn });

    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAclArn,
      // WAF wants the log group ARN without the trailing `:*` that `logGroupArn` carries.
      logDestinationConfigs: [Stack.of(this).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: props.logGroup.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
      // The L1 passes `singleHeader` through untyped: its key is `Name`, capital N.
      redactedFields: [...REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })), { queryString: {} }],
    });
  }

  private validate(props: WebFirewallProps): void {
    if (props.maxBodyBytes !== undefined && props.target !== FirewallTarget.API_GATEWAY) {
      throw new Error(`maxBodyBytes needs target API_GATEWAY: WAF inspects only 8 KB of a load balancer's body, got target ${props.target}`);
    }
    if (props.maxBodyBytes !== undefined) bodyInspectionLimitFor(props.maxBodyBytes);
    const name = props.logGroup.logGroupName;
    if (!Token.isUnresolved(name) && !name.startsWith('aws-waf-logs-')) {
      throw new Error(`logGroup name must start with 'aws-waf-logs-' (a WAF requirement), got ${name}`);
    }
    if (props.credentialHeaders.length === 0) throw new Error('credentialHeaders must name at least one header, got none');
    for (const header of props.credentialHeaders) {
      if (header !== header.toLowerCase()) throw new Error(`credentialHeaders must be lowercase, got ${header}`);
    }
    const limits = props.rateLimits;
    if (limits) {
      for (const [field, value] of Object.entries({ perIpPerMinute: limits.perIpPerMinute, perCredentialPerMinute: limits.perCredentialPerMinute, writesPerCredentialPerMinute: limits.writesPerCredentialPerMinute })) {
        if (value < MIN_RATE_LIMIT) throw new Error(`rateLimits.${field} must be at least ${MIN_RATE_LIMIT} (the WAF minimum), got ${value}`);
      }
      if (limits.unauthenticatedPerIpPerMinute !== undefined && limits.unauthenticatedPerIpPerMinute < MIN_RATE_LIMIT) {
        throw new Error(`rateLimits.unauthenticatedPerIpPerMinute must be at least ${MIN_RATE_LIMIT} (the WAF minimum), got ${limits.unauthenticatedPerIpPerMinute}`);
      }
    }
    for (const path of props.mcpPaths ?? []) {
      if (!/^\/[A-Za-z0-9._~\/-]*[^/]$/.test(path)) throw new Error(`mcpPaths must be absolute paths without a trailing slash, like /mcp, got ${path}`);
    }
  }

  private perCredential(header: string, limit: number): wafv2.CfnWebACL.RateBasedStatementProperty {
    return {
      aggregateKeyType: 'CUSTOM_KEYS',
      customKeys: [{ header: { name: header, textTransformations: NO_TRANSFORM } }],
      limit,
      evaluationWindowSec: 60,
    };
  }

  /**
   * A block with a custom response: the security headers; `Retry-After` on a 429 (the rate window is 60 s);
   * with exactly one allowed origin, the CORS headers that let it read the answer. WAF response headers are
   * static, so with several origins a browser sees a CORS failure instead (README, "Browser clients").
   */
  private block(code: number, bodyKey: string): wafv2.CfnWebACL.RuleActionProperty {
    const headers: Record<string, string> = { ...GATEWAY_SECURITY_HEADERS };
    if (code === 429) headers['Retry-After'] = '60';
    if (this.allowedOrigins.length === 1) {
      headers['Access-Control-Allow-Origin'] = this.allowedOrigins[0];
      headers['Access-Control-Expose-Headers'] = EXPOSED_RESPONSE_HEADERS.join(', ');
    }
    return {
      block: {
        customResponse: {
          responseCode: code,
          customResponseBodyKey: bodyKey,
          responseHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })),
        },
      },
    };
  }

  private body(message: string, detail?: string): wafv2.CfnWebACL.CustomResponseBodyProperty {
    return { contentType: 'APPLICATION_JSON', content: JSON.stringify(detail ? { message, detail } : { message }) };
  }

  /** Sampled requests stay off: the console would show them with their credential headers (AUDIT-2). */
  private visibility(name: string): wafv2.CfnWebACL.VisibilityConfigProperty {
    return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: false, metricName: `${this.metricPrefix}-${name}` };
  }
}
