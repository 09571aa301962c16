import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asArray, finding, fromFindings, rendered } from './resource-graph';
import { aclRules, blocks, protectsApiStage } from './web-acls';

/**
 * Every REST API stage throttles all methods (`*` on `/*`: rate and burst limits above zero), and every
 * web ACL in front of an API stage blocks by rate both per source IP and per credential (a rate rule
 * with custom keys), so that a flood answers 429 before it reaches the authorizer (EDGE-2). Web ACLs
 * that only guard the internal load balancer see the VPC link's addresses, not the callers', and are
 * not applicable.
 */
export function RateLimitsConfigured(node: CfnResource): NagRuleResult {
  switch (node.cfnResourceType) {
    case 'AWS::ApiGateway::Stage': {
      const all = asArray(rendered(node).properties.MethodSettings)
        .find((s) => s?.HttpMethod === '*' && s?.ResourcePath === '/*');
      const findings: string[] = [];
      if (!(Number(all?.ThrottlingRateLimit) > 0)) findings.push(finding('MethodSettings', 'ThrottlingRateLimit'));
      if (!(Number(all?.ThrottlingBurstLimit) > 0)) findings.push(finding('MethodSettings', 'ThrottlingBurstLimit'));
      return fromFindings(findings);
    }
    case 'AWS::WAFv2::WebACL': {
      const acl = rendered(node);
      if (!protectsApiStage(acl)) return NagRuleCompliance.NOT_APPLICABLE;
      const rateRules = aclRules(acl).filter((rule) => blocks(rule) && rule?.Statement?.RateBasedStatement);
      const keys = rateRules.map((rule) => rule.Statement.RateBasedStatement.AggregateKeyType);
      const findings: string[] = [];
      if (!keys.some((k) => k === 'IP' || k === 'FORWARDED_IP')) findings.push(finding('RateRule', 'PerSourceIp'));
      if (!keys.includes('CUSTOM_KEYS')) findings.push(finding('RateRule', 'PerCredential'));
      return fromFindings(findings);
    }
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
}
