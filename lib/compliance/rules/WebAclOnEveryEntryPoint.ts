import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { finding, fromFindings, refersTo, rendered } from './resource-graph';
import { aclRules, associationNamesStage, webAclsProtecting } from './web-acls';

/** The AWS managed rule groups every web ACL runs: common exploits, known bad inputs, IP reputation. */
export const REQUIRED_MANAGED_RULE_GROUPS: readonly string[] = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
];

/**
 * Every REST API stage and every application load balancer has a WAF web ACL association, and every
 * web ACL runs the AWS managed groups for common exploits, known bad inputs and IP reputation, in
 * force (not overridden to Count) (EDGE-1).
 */
export function WebAclOnEveryEntryPoint(node: CfnResource): NagRuleResult {
  switch (node.cfnResourceType) {
    case 'AWS::ApiGateway::Stage': {
      const stage = rendered(node);
      return webAclsProtecting(stage, (a) => associationNamesStage(a, stage)).length > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
      const lb = rendered(node);
      if ((lb.properties.Type ?? 'application') !== 'application') return NagRuleCompliance.NOT_APPLICABLE;
      return webAclsProtecting(lb, (a) => refersTo(a, a.properties.ResourceArn, lb)).length > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    case 'AWS::WAFv2::WebACL': {
      const inForce = aclRules(rendered(node))
        .filter((rule) => rule?.Statement?.ManagedRuleGroupStatement?.VendorName === 'AWS' && rule?.OverrideAction?.Count === undefined)
        .map((rule) => rule.Statement.ManagedRuleGroupStatement.Name);
      return fromFindings(REQUIRED_MANAGED_RULE_GROUPS.filter((group) => !inForce.includes(group)).map((group) => finding('ManagedRuleGroup', group)));
    }
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
}
