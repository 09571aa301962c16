import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CfnValue, RenderedResource, asArray, finding, fromFindings, refersTo, rendered, resourcesOfType } from './resource-graph';
import { aclRules, blocks, protectsApiStage, alternativesOf } from './web-acls';

/** Query strings the web ACL must refuse: one per common credential parameter name. */
export const CREDENTIAL_QUERY_SAMPLES: readonly string[] = ['access_token=x', 'accesstoken=x', 'token=x', 'api_key=x'];

function safeRegExp(source: unknown): RegExp | undefined {
  if (typeof source !== 'string') return undefined;
  try {
    return new RegExp(source, 'i');
  } catch {
    return undefined; // a PCRE-only construct: cannot be evaluated here, so it proves nothing
  }
}

function parameterName(sample: string): string {
  return sample.split('=')[0];
}

/** True when the statement matches the query string `sample` (already lowercased and URL-decoded). */
function matchesQuery(acl: RenderedResource, statement: CfnValue, sample: string): boolean {
  const match = statement.ByteMatchStatement ?? statement.RegexMatchStatement ?? statement.RegexPatternSetReferenceStatement;
  const field = match?.FieldToMatch;
  if (!field) return false;
  let subject: string;
  if (field.QueryString !== undefined) subject = sample;
  else if (field.SingleQueryArgument !== undefined) {
    if (String(field.SingleQueryArgument.Name).toLowerCase() !== parameterName(sample)) return false;
    subject = sample.split('=')[1];
    if (statement.ByteMatchStatement) return true; // the argument's presence is what is matched
  } else if (field.AllQueryArguments !== undefined) subject = sample.split('=')[1];
  else return false;

  if (statement.ByteMatchStatement) {
    const search = String(statement.ByteMatchStatement.SearchString ?? '').toLowerCase();
    switch (statement.ByteMatchStatement.PositionalConstraint) {
      case 'EXACTLY': return subject === search;
      case 'STARTS_WITH': return subject.startsWith(search);
      case 'ENDS_WITH': return subject.endsWith(search);
      case 'CONTAINS': return subject.includes(search);
      case 'CONTAINS_WORD': return new RegExp(`(^|[^a-z0-9_])${search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z0-9_]|$)`).test(subject);
      default: return false;
    }
  }
  if (statement.RegexMatchStatement) return safeRegExp(statement.RegexMatchStatement.RegexString)?.test(subject) ?? false;
  const sets = resourcesOfType(acl.node, 'AWS::WAFv2::RegexPatternSet')
    .filter((set) => refersTo(acl, statement.RegexPatternSetReferenceStatement.Arn, set));
  return sets.some((set) => asArray(set.properties.RegularExpressionList).some((r) => safeRegExp(r)?.test(subject) ?? false));
}

/**
 * Every web ACL in front of a REST API stage blocks requests that carry a credential-like query
 * parameter (`access_token`, `accessToken`, `token`, `api_key` …): each sample query string is matched
 * by a blocking rule on the query string or a query argument (EDGE-3).
 */
export function QueryStringCredentialsBlocked(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::WAFv2::WebACL') return NagRuleCompliance.NOT_APPLICABLE;
  const acl = rendered(node);
  if (!protectsApiStage(acl)) return NagRuleCompliance.NOT_APPLICABLE;
  const statements = aclRules(acl).filter(blocks).flatMap((rule) => alternativesOf(rule.Statement));
  return fromFindings(CREDENTIAL_QUERY_SAMPLES
    .filter((sample) => !statements.some((s) => matchesQuery(acl, s, sample)))
    .map((sample) => finding('QueryParameter', parameterName(sample))));
}
