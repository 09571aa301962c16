/**
 * What the rules need to know about WAF web ACLs: which resources an ACL protects, its rules, and the
 * statements inside them.
 */
import { CfnValue, RenderedResource, asArray, refersTo, resourcesOfType } from './resource-graph';

/** The web ACLs associated with `protectedResource` (by an `AWS::WAFv2::WebACLAssociation`). */
export function webAclsProtecting(protectedResource: RenderedResource, matches: (association: RenderedResource) => boolean): RenderedResource[] {
  const acls = resourcesOfType(protectedResource.node, 'AWS::WAFv2::WebACL');
  const associations = resourcesOfType(protectedResource.node, 'AWS::WAFv2::WebACLAssociation').filter(matches);
  return acls.filter((acl) => associations.some((a) => refersTo(a, a.properties.WebACLArn, acl)));
}

/** True when the association's `ResourceArn` names the REST API stage `stage`. */
export function associationNamesStage(association: RenderedResource, stage: RenderedResource): boolean {
  const arn = association.properties.ResourceArn;
  if (refersTo(association, arn, stage)) return true;
  const stageName = stage.properties.StageName;
  const apis = resourcesOfType(stage.node, 'AWS::ApiGateway::RestApi').filter((api) => refersTo(stage, stage.properties.RestApiId, api));
  return typeof stageName === 'string'
    && JSON.stringify(arn).includes(`/stages/${stageName}`)
    && apis.some((api) => refersTo(association, arn, api));
}

/** True when the web ACL is associated with at least one REST API stage (it guards the public entry). */
export function protectsApiStage(acl: RenderedResource): boolean {
  const stages = resourcesOfType(acl.node, 'AWS::ApiGateway::Stage');
  return resourcesOfType(acl.node, 'AWS::WAFv2::WebACLAssociation')
    .filter((a) => refersTo(a, a.properties.WebACLArn, acl))
    .some((a) => JSON.stringify(a.properties.ResourceArn).includes('/restapis/') || stages.some((s) => associationNamesStage(a, s)));
}

/** The web ACL's rules. */
export function aclRules(acl: RenderedResource): CfnValue[] {
  return asArray(acl.properties.Rules);
}

/** True when a matching request is blocked by the rule (action Block; not Count, Allow or a challenge). */
export function blocks(rule: CfnValue): boolean {
  return rule?.Action?.Block !== undefined;
}

/**
 * The alternatives of a statement: the statement itself, or the branches of an `OrStatement`
 * (recursively). A rule matches a request when one alternative does; `And` and `Not` statements narrow
 * or invert a match and are never counted as a match on their own.
 */
export function alternativesOf(statement: CfnValue): CfnValue[] {
  if (!statement || typeof statement !== 'object') return [];
  if (statement.OrStatement) return asArray(statement.OrStatement.Statements).flatMap(alternativesOf);
  return [statement];
}
