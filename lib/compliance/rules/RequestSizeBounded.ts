import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CfnValue, finding, fromFindings, rendered } from './resource-graph';
import { aclRules, alternativesOf, blocks, protectsApiStage } from './web-acls';

function boundsLarger(statement: CfnValue, field: (fieldToMatch: CfnValue) => boolean): boolean {
  const size = statement?.SizeConstraintStatement;
  return size !== undefined && (size.ComparisonOperator === 'GT' || size.ComparisonOperator === 'GE') && field(size.FieldToMatch ?? {});
}

/**
 * Request size is bounded at the edge (EDGE-6): every web ACL blocks oversize headers (a size
 * constraint on a header), and every web ACL in front of a REST API stage also blocks oversize bodies
 * (a size constraint on the body). Load balancer web ACLs inspect only 8 KB of a body, so the body
 * bound lives on the API's web ACL.
 */
export function RequestSizeBounded(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::WAFv2::WebACL') return NagRuleCompliance.NOT_APPLICABLE;
  const acl = rendered(node);
  const statements = aclRules(acl).filter(blocks).flatMap((rule) => alternativesOf(rule.Statement));
  const findings: string[] = [];
  if (!statements.some((s) => boundsLarger(s, (f) => f.SingleHeader !== undefined || f.Headers !== undefined))) {
    findings.push(finding('SizeConstraint', 'Header'));
  }
  if (protectsApiStage(acl) && !statements.some((s) => boundsLarger(s, (f) => f.Body !== undefined || f.JsonBody !== undefined))) {
    findings.push(finding('SizeConstraint', 'Body'));
  }
  return fromFindings(findings);
}
