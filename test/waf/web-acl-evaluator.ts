/**
 * A WAF web ACL evaluator for tests: runs one request (or a sequence, for rate rules) through a
 * synthesized `AWS::WAFv2::WebACL` (CloudFormation JSON, PascalCase) and says whether WAF would block it.
 *
 * Written by hand because no library evaluates WAF JSON: AWS offers no local engine, and the npm and
 * Debian registries hold none. It covers the statements the kit writes, by their documented semantics
 * (AWS WAF Developer Guide, "Rule statements"): ByteMatch (EXACTLY, STARTS_WITH, ENDS_WITH, CONTAINS,
 * CONTAINS_WORD), RegexMatch, SizeConstraint, LabelMatch, And/Or/Not, RateBased (IP and header custom
 * keys, scope-down), text transformations (NONE, URL_DECODE, LOWERCASE, COMPRESS_WHITE_SPACE,
 * NORMALIZE_PATH, HTML_ENTITY_DECODE), body inspection limits and oversize handling (MATCH, NO_MATCH,
 * CONTINUE), and rule actions (Block terminates, Allow terminates, Count labels and goes on).
 *
 * The AWS managed groups are not public code: they are modelled from their documented rules (the
 * "Baseline rule groups" tables), each as a trigger on the inspected component. A modelled body rule
 * matches any inspected body that contains its trigger, which is the pessimistic assumption for false
 * positives. Their `RuleActionOverrides` are applied as WAF applies them. Anything the evaluator does
 * not know (a statement, a field, a transformation, a managed group) throws, so a new rule cannot pass
 * unevaluated.
 */

/** One HTTP request as WAF sees it. */
export interface WafRequest {
  readonly method: string;
  /** The URI path as sent (still percent-encoded). */
  readonly path: string;
  /** The query string without `?`, as sent. @default '' */
  readonly query?: string;
  /** Header names lowercase. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body. @default '' */
  readonly body?: string;
  /** The source IP. @default '198.51.100.10' */
  readonly ip?: string;
}

/** The result of one request. */
export interface WafVerdict {
  readonly action: 'ALLOW' | 'BLOCK';
  /** The terminating rule (`<group>:<rule>` for a managed rule), if any. */
  readonly rule?: string;
  /** The status code of a block. */
  readonly status?: number;
  /** Every label the request collected. */
  readonly labels: readonly string[];
  /** Rules that matched in Count. */
  readonly counted: readonly string[];
}

/** Where the web ACL is associated: decides the body inspection limit. */
export type WafResource = 'API_GATEWAY' | 'APPLICATION_LOAD_BALANCER';

type Json = any; // CloudFormation JSON

/** A modelled rule of a managed group. */
interface ManagedRuleModel {
  readonly name: string;
  readonly label: string;
  readonly matches: (request: InspectedRequest) => boolean;
}

interface InspectedRequest extends Required<WafRequest> {
  /** The body up to the inspection limit. */
  readonly inspectedBody: string;
}

const CRS = 'awswaf:managed:aws:core-rule-set:';
const KBI = 'awswaf:managed:aws:known-bad-inputs:';
const decodedQuery = (r: InspectedRequest) => safeDecode(r.query);

/**
 * The modelled managed groups (AWS WAF Developer Guide, "Baseline rule groups" and "IP reputation rule
 * groups"). Triggers are the documented example patterns, generalised; body rules inspect the body up to
 * the web ACL's limit ("Continue" oversize handling).
 */
export const MANAGED_GROUP_MODELS: Readonly<Record<string, readonly ManagedRuleModel[]>> = {
  AWSManagedRulesAmazonIpReputationList: [
    // Documented as lists of IPs known for bots and threat intelligence; the tests use documentation addresses.
    { name: 'AWSManagedIPReputationList', label: 'awswaf:managed:aws:amazon-ip-list:AWSManagedIPReputationList', matches: (r) => r.ip.startsWith('203.0.113.') },
  ],
  AWSManagedRulesKnownBadInputsRuleSet: [
    { name: 'JavaDeserializationRCE_HEADER', label: `${KBI}JavaDeserializationRCE_Header`, matches: (r) => Object.values(r.headers).some(javaDeserialization) },
    { name: 'JavaDeserializationRCE_BODY', label: `${KBI}JavaDeserializationRCE_Body`, matches: (r) => javaDeserialization(r.inspectedBody) },
    { name: 'JavaDeserializationRCE_URIPATH', label: `${KBI}JavaDeserializationRCE_URIPath`, matches: (r) => javaDeserialization(safeDecode(r.path)) },
    { name: 'JavaDeserializationRCE_QUERYSTRING', label: `${KBI}JavaDeserializationRCE_QueryString`, matches: (r) => javaDeserialization(decodedQuery(r)) },
    { name: 'Host_localhost_HEADER', label: `${KBI}Host_Localhost_Header`, matches: (r) => /^localhost(:\d+)?$/i.test(r.headers.host ?? '') },
    { name: 'PROPFIND_METHOD', label: `${KBI}Propfind_Method`, matches: (r) => r.method.toUpperCase() === 'PROPFIND' },
    { name: 'ExploitablePaths_URIPATH', label: `${KBI}ExploitablePaths_URIPath`, matches: (r) => /\/(web-inf|\.git|\.env|php-cgi)\b/i.test(safeDecode(r.path)) },
    { name: 'Log4JRCE_HEADER', label: `${KBI}Log4JRCE_Header`, matches: (r) => Object.values(r.headers).some(log4j) },
    { name: 'Log4JRCE_QUERYSTRING', label: `${KBI}Log4JRCE_QueryString`, matches: (r) => log4j(decodedQuery(r)) },
    { name: 'Log4JRCE_BODY', label: `${KBI}Log4JRCE_Body`, matches: (r) => log4j(r.inspectedBody) },
    { name: 'Log4JRCE_URIPATH', label: `${KBI}Log4JRCE_URIPath`, matches: (r) => log4j(safeDecode(r.path)) },
    { name: 'ReactJSRCE_BODY', label: `${KBI}ReactJSRCE_Body`, matches: (r) => /"\$@\d*"|__proto__|constructor:constructor/.test(r.inspectedBody) },
  ],
  AWSManagedRulesCommonRuleSet: [
    { name: 'NoUserAgent_HEADER', label: `${CRS}NoUserAgent_Header`, matches: (r) => (r.headers['user-agent'] ?? '') === '' },
    { name: 'UserAgent_BadBots_HEADER', label: `${CRS}BadBots_Header`, matches: (r) => /nessus|nmap|sqlmap/i.test(r.headers['user-agent'] ?? '') },
    { name: 'SizeRestrictions_QUERYSTRING', label: `${CRS}SizeRestrictions_QueryString`, matches: (r) => utf8Length(r.query) > 2048 },
    { name: 'SizeRestrictions_Cookie_HEADER', label: `${CRS}SizeRestrictions_Cookie_Header`, matches: (r) => utf8Length(r.headers.cookie ?? '') > 10240 },
    { name: 'SizeRestrictions_BODY', label: `${CRS}SizeRestrictions_Body`, matches: (r) => utf8Length(r.body) > 8192 },
    { name: 'SizeRestrictions_URIPATH', label: `${CRS}SizeRestrictions_URIPath`, matches: (r) => utf8Length(r.path) > 1024 },
    { name: 'EC2MetaDataSSRF_BODY', label: `${CRS}EC2MetaDataSSRF_Body`, matches: (r) => metadataSsrf(r.inspectedBody) },
    { name: 'EC2MetaDataSSRF_COOKIE', label: `${CRS}EC2MetaDataSSRF_Cookie`, matches: (r) => metadataSsrf(r.headers.cookie ?? '') },
    { name: 'EC2MetaDataSSRF_URIPATH', label: `${CRS}EC2MetaDataSSRF_URIPath`, matches: (r) => metadataSsrf(safeDecode(r.path)) },
    { name: 'EC2MetaDataSSRF_QUERYARGUMENTS', label: `${CRS}EC2MetaDataSSRF_QueryArguments`, matches: (r) => metadataSsrf(decodedQuery(r)) },
    { name: 'GenericLFI_QUERYARGUMENTS', label: `${CRS}GenericLFI_QueryArguments`, matches: (r) => lfi(decodedQuery(r)) },
    { name: 'GenericLFI_URIPATH', label: `${CRS}GenericLFI_URIPath`, matches: (r) => lfi(safeDecode(r.path)) },
    { name: 'GenericLFI_BODY', label: `${CRS}GenericLFI_Body`, matches: (r) => lfi(r.inspectedBody) },
    { name: 'RestrictedExtensions_URIPATH', label: `${CRS}RestrictedExtensions_URIPath`, matches: (r) => /\.(log|ini|bak|cfg|conf|backup)$/i.test(safeDecode(r.path)) },
    { name: 'RestrictedExtensions_QUERYARGUMENTS', label: `${CRS}RestrictedExtensions_QueryArguments`, matches: (r) => /\.(log|ini|bak|cfg|conf|backup)(&|$)/i.test(decodedQuery(r)) },
    { name: 'GenericRFI_QUERYARGUMENTS', label: `${CRS}GenericRFI_QueryArguments`, matches: (r) => rfi(decodedQuery(r)) },
    { name: 'GenericRFI_BODY', label: `${CRS}GenericRFI_Body`, matches: (r) => rfi(r.inspectedBody) },
    { name: 'GenericRFI_URIPATH', label: `${CRS}GenericRFI_URIPath`, matches: (r) => rfi(safeDecode(r.path)) },
    { name: 'CrossSiteScripting_COOKIE', label: `${CRS}CrossSiteScripting_Cookie`, matches: (r) => xss(r.headers.cookie ?? '') },
    { name: 'CrossSiteScripting_QUERYARGUMENTS', label: `${CRS}CrossSiteScripting_QueryArguments`, matches: (r) => xss(decodedQuery(r)) },
    { name: 'CrossSiteScripting_BODY', label: `${CRS}CrossSiteScripting_Body`, matches: (r) => xss(r.inspectedBody) },
    { name: 'CrossSiteScripting_URIPATH', label: `${CRS}CrossSiteScripting_URIPath`, matches: (r) => xss(safeDecode(r.path)) },
  ],
};

function javaDeserialization(text: string): boolean { return /rO0AB|aced0005|java\.lang\.(Runtime|ProcessBuilder)/i.test(text); }
function log4j(text: string): boolean { return /\$\{\s*(jndi|lower|upper|env|sys)\s*:/i.test(text); }
function metadataSsrf(text: string): boolean { return /169\.254\.169\.254|fd00:ec2::254|\/latest\/meta-data/i.test(text); }
function lfi(text: string): boolean { return /\.\.[\\/]|\/etc\/(passwd|shadow)|\\windows\\/i.test(text); }
function rfi(text: string): boolean { return /(https?|ftp):\/\/(\d{1,3}\.){3}\d{1,3}|(https?|ftp):\/\/\[[0-9a-f:]+\]/i.test(text); }
function xss(text: string): boolean { return /<\s*script|javascript:|<\s*iframe|<\s*svg|\bon(error|load|click)\s*=|<\s*img[^>]*src/i.test(text); }

function utf8Length(text: string): number { return Buffer.byteLength(text, 'utf8'); }
function safeDecode(text: string): string {
  return text.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
    try { return decodeURIComponent(run); } catch { return run; }
  }).replace(/\+/g, ' ');
}

/** API Gateway inspection limits (KB_16 … KB_64); a load balancer inspects 8 KB (AWS WAF "Body inspection size limits"). */
const INSPECTION_LIMITS: Readonly<Record<string, number>> = { KB_16: 16384, KB_32: 32768, KB_48: 49152, KB_64: 65536 };

/** The web ACL's body inspection limit in bytes for its resource. */
export function bodyInspectionLimit(acl: Json, resource: WafResource): number {
  if (resource === 'APPLICATION_LOAD_BALANCER') return 8192;
  const configured = acl.AssociationConfig?.RequestBody?.API_GATEWAY?.DefaultSizeInspectionLimit;
  if (configured === undefined) return 16384;
  const limit = INSPECTION_LIMITS[configured];
  if (limit === undefined) throw new Error(`unknown DefaultSizeInspectionLimit ${configured}`);
  return limit;
}

/** Applies WAF text transformations in priority order. */
export function transform(value: string, transformations: ReadonlyArray<{ Priority: number; Type: string }>): string {
  let out = value;
  for (const t of [...transformations].sort((a, b) => a.Priority - b.Priority)) {
    switch (t.Type) {
      case 'NONE': break;
      case 'URL_DECODE': out = safeDecode(out); break;
      case 'LOWERCASE': out = out.toLowerCase(); break;
      case 'COMPRESS_WHITE_SPACE': out = out.replace(/[\t\n\v\f\r ]+/g, ' '); break;
      case 'HTML_ENTITY_DECODE': out = out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&'); break;
      case 'NORMALIZE_PATH': out = normalizePath(out); break;
      default: throw new Error(`text transformation ${t.Type} is not modelled`);
    }
  }
  return out;
}

/** NORMALIZE_PATH: removes multiple slashes, self-references (`/./`) and back-references (`/../`), not at the start. */
function normalizePath(path: string): string {
  const out: string[] = [];
  for (const segment of path.replace(/\/{2,}/g, '/').split('/')) {
    if (segment === '.') continue;
    if (segment === '..') { if (out.length > 1) out.pop(); continue; }
    out.push(segment);
  }
  const joined = out.join('/');
  return path.endsWith('/') && !joined.endsWith('/') ? `${joined}/` : joined || '/';
}

/** Evaluates requests against one web ACL, keeping rate-rule counters across calls (one 60 s window). */
export class WebAclEvaluator {
  private readonly rateCounts = new Map<string, number>();
  private readonly bodyLimit: number;

  constructor(private readonly acl: Json, resource: WafResource) {
    this.bodyLimit = bodyInspectionLimit(acl, resource);
    if (acl.DefaultAction?.Allow === undefined) throw new Error('only web ACLs whose default action is Allow are modelled');
  }

  /** Evaluates one request; rate counters grow as WAF's would within one evaluation window. */
  evaluate(request: WafRequest): WafVerdict {
    const r: InspectedRequest = {
      method: request.method,
      path: request.path,
      query: request.query ?? '',
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
      body: request.body ?? '',
      ip: request.ip ?? '198.51.100.10',
      inspectedBody: Buffer.from(request.body ?? '', 'utf8').subarray(0, this.bodyLimit).toString('utf8'),
    };
    const labels = new Set<string>();
    const counted: string[] = [];
    const rules = [...(this.acl.Rules ?? [])].sort((a: Json, b: Json) => a.Priority - b.Priority);
    for (const rule of rules) {
      const managed = rule.Statement.ManagedRuleGroupStatement;
      if (managed) {
        const verdict = this.managedGroup(rule, managed, r, labels, counted);
        if (verdict) return { ...verdict, labels: [...labels], counted };
        continue;
      }
      if (!this.matches(rule.Statement, r, labels, rule.Name)) continue;
      for (const label of rule.RuleLabels ?? []) labels.add(label.Name);
      if (rule.Action?.Block) return { action: 'BLOCK', rule: rule.Name, status: rule.Action.Block.CustomResponse?.ResponseCode ?? 403, labels: [...labels], counted };
      if (rule.Action?.Allow) return { action: 'ALLOW', rule: rule.Name, labels: [...labels], counted };
      if (rule.Action?.Count) { counted.push(rule.Name); continue; }
      throw new Error(`rule ${rule.Name}: action ${JSON.stringify(rule.Action)} is not modelled`);
    }
    return { action: 'ALLOW', labels: [...labels], counted };
  }

  private managedGroup(rule: Json, group: Json, r: InspectedRequest, labels: Set<string>, counted: string[]): Omit<WafVerdict, 'labels' | 'counted'> | undefined {
    const model = MANAGED_GROUP_MODELS[group.Name];
    if (group.VendorName !== 'AWS' || !model) throw new Error(`managed group ${group.VendorName}/${group.Name} is not modelled`);
    if (group.ScopeDownStatement && !this.matches(group.ScopeDownStatement, r, labels, rule.Name)) return undefined;
    if (group.ExcludedRules) throw new Error('ExcludedRules is not modelled: use RuleActionOverrides');
    const overrides = new Map<string, Json>((group.RuleActionOverrides ?? []).map((o: Json) => [o.Name, o.ActionToUse]));
    for (const name of overrides.keys()) {
      if (!model.some((m) => m.name === name)) throw new Error(`${group.Name} has no modelled rule ${name}`);
    }
    const groupCounts = rule.OverrideAction?.Count !== undefined;
    for (const managed of model) {
      if (!managed.matches(r)) continue;
      labels.add(managed.label);
      const action = overrides.get(managed.name) ?? { Block: {} };
      if (action.Count || groupCounts) { counted.push(`${group.Name}:${managed.name}`); continue; }
      if (action.Block) return { action: 'BLOCK', rule: `${group.Name}:${managed.name}`, status: 403 };
      throw new Error(`override ${JSON.stringify(action)} is not modelled`);
    }
    return undefined;
  }

  private field(fieldToMatch: Json, r: InspectedRequest): { value: string; oversize: boolean } | undefined {
    if (fieldToMatch.UriPath !== undefined) return { value: r.path, oversize: false };
    if (fieldToMatch.QueryString !== undefined) return { value: r.query, oversize: false };
    if (fieldToMatch.Method !== undefined) return { value: r.method, oversize: false };
    if (fieldToMatch.SingleHeader !== undefined) {
      const name = String(fieldToMatch.SingleHeader.Name ?? fieldToMatch.SingleHeader.name).toLowerCase();
      const value = r.headers[name];
      return value === undefined ? undefined : { value, oversize: false };
    }
    if (fieldToMatch.Body !== undefined) return { value: r.inspectedBody, oversize: utf8Length(r.body) > this.bodyLimit };
    if (fieldToMatch.JsonBody !== undefined) return jsonBodyField(fieldToMatch.JsonBody, r.inspectedBody);
    throw new Error(`field ${JSON.stringify(fieldToMatch)} is not modelled`);
  }

  /** Whether a statement matches; a field the request does not have matches nothing. */
  private matches(statement: Json, r: InspectedRequest, labels: Set<string>, ruleName: string): boolean {
    if (statement.AndStatement) return statement.AndStatement.Statements.every((s: Json) => this.matches(s, r, labels, ruleName));
    if (statement.OrStatement) return statement.OrStatement.Statements.some((s: Json) => this.matches(s, r, labels, ruleName));
    if (statement.NotStatement) return !this.matches(statement.NotStatement.Statement, r, labels, ruleName);
    if (statement.LabelMatchStatement) {
      const { Scope, Key } = statement.LabelMatchStatement;
      if (Scope === 'LABEL') return labels.has(Key);
      if (Scope === 'NAMESPACE') return [...labels].some((l) => l.startsWith(Key));
      throw new Error(`label scope ${Scope} is not modelled`);
    }
    if (statement.ByteMatchStatement) {
      const s = statement.ByteMatchStatement;
      const field = this.field(s.FieldToMatch, r);
      if (!field) return false;
      if (field.oversize) return this.oversize(s.FieldToMatch, () => byteMatch(transform(field.value, s.TextTransformations), s.PositionalConstraint, s.SearchString));
      return byteMatch(transform(field.value, s.TextTransformations), s.PositionalConstraint, s.SearchString);
    }
    if (statement.RegexMatchStatement) {
      const s = statement.RegexMatchStatement;
      const field = this.field(s.FieldToMatch, r);
      if (!field) return false;
      const run = () => new RegExp(s.RegexString).test(transform(field.value, s.TextTransformations));
      return field.oversize ? this.oversize(s.FieldToMatch, run) : run();
    }
    if (statement.SizeConstraintStatement) {
      const s = statement.SizeConstraintStatement;
      const field = this.field(s.FieldToMatch, r);
      if (!field) return false;
      const size = field.oversize ? utf8Length(r.body) : utf8Length(transform(field.value, s.TextTransformations));
      const run = () => compare(size, s.ComparisonOperator, s.Size);
      return field.oversize ? this.oversize(s.FieldToMatch, run) : run();
    }
    if (statement.RateBasedStatement) return this.rate(statement.RateBasedStatement, r, labels, ruleName);
    throw new Error(`statement ${Object.keys(statement).join(',')} is not modelled`);
  }

  /** Oversize handling of a body field: MATCH, NO_MATCH, or CONTINUE (inspect what was read). */
  private oversize(fieldToMatch: Json, inspect: () => boolean): boolean {
    const handling = fieldToMatch.Body?.OversizeHandling ?? 'CONTINUE';
    if (handling === 'MATCH') return true;
    if (handling === 'NO_MATCH') return false;
    if (handling === 'CONTINUE') return inspect();
    throw new Error(`oversize handling ${handling} is not modelled`);
  }

  /** A rate rule matches once its key has been seen more than `Limit` times in the window (scope-down first). */
  private rate(s: Json, r: InspectedRequest, labels: Set<string>, ruleName: string): boolean {
    if (s.ScopeDownStatement && !this.matches(s.ScopeDownStatement, r, labels, ruleName)) return false;
    let key: string;
    if (s.AggregateKeyType === 'IP') {
      key = r.ip;
    } else if (s.AggregateKeyType === 'CUSTOM_KEYS') {
      const parts: string[] = [];
      for (const k of s.CustomKeys) {
        if (k.Header) {
          const value = r.headers[String(k.Header.Name).toLowerCase()];
          if (value === undefined) return false; // a request without the key is not counted (AWS WAF "Rate-based rule aggregation")
          parts.push(transform(value, k.Header.TextTransformations));
        } else if (k.IP) {
          parts.push(r.ip);
        } else {
          throw new Error(`custom key ${JSON.stringify(k)} is not modelled`);
        }
      }
      key = parts.join('\u0000');
    } else {
      throw new Error(`aggregate key type ${s.AggregateKeyType} is not modelled`);
    }
    const counter = `${ruleName}\u0000${key}`;
    const count = (this.rateCounts.get(counter) ?? 0) + 1;
    this.rateCounts.set(counter, count);
    return count > s.Limit;
  }
}

function byteMatch(value: string, constraint: string, search: string): boolean {
  switch (constraint) {
    case 'EXACTLY': return value === search;
    case 'STARTS_WITH': return value.startsWith(search);
    case 'ENDS_WITH': return value.endsWith(search);
    case 'CONTAINS': return value.includes(search);
    case 'CONTAINS_WORD': return new RegExp(`(^|[^A-Za-z0-9_])${search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`).test(value);
    default: throw new Error(`positional constraint ${constraint} is not modelled`);
  }
}

function compare(size: number, operator: string, limit: number): boolean {
  switch (operator) {
    case 'EQ': return size === limit;
    case 'NE': return size !== limit;
    case 'LE': return size <= limit;
    case 'LT': return size < limit;
    case 'GE': return size >= limit;
    case 'GT': return size > limit;
    default: throw new Error(`comparison ${operator} is not modelled`);
  }
}

/**
 * A JSON body field with one included JSON pointer and MatchScope VALUE (AWS WAF Developer Guide, "JSON
 * body"): the value at the pointer (a string as itself, anything else as its JSON text); a body that is not
 * JSON follows InvalidFallbackBehavior (NO_MATCH: the field is absent). Anything else throws: not modelled.
 */
function jsonBodyField(spec: Json, inspectedBody: string): { value: string; oversize: boolean } | undefined {
  const paths: string[] | undefined = spec.MatchPattern?.IncludedPaths;
  if (spec.MatchScope !== 'VALUE' || !paths || paths.length !== 1 || (spec.OversizeHandling ?? 'CONTINUE') !== 'CONTINUE') {
    throw new Error(`JsonBody ${JSON.stringify(spec)} is not modelled`);
  }
  let document: unknown;
  try {
    document = JSON.parse(inspectedBody);
  } catch {
    if (spec.InvalidFallbackBehavior === 'NO_MATCH') return undefined;
    throw new Error(`JsonBody InvalidFallbackBehavior ${spec.InvalidFallbackBehavior} is not modelled`);
  }
  let value: unknown = document;
  for (const token of paths[0].split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (value === null || typeof value !== 'object' || !(token in (value as Record<string, unknown>))) return undefined;
    value = (value as Record<string, unknown>)[token];
  }
  return { value: typeof value === 'string' ? value : JSON.stringify(value), oversize: false };
}
