import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { finding, fromFindings, rendered } from './resource-graph';
import { ANYWHERE, cidrOf, ingressRules } from './security-groups';

/**
 * No security group admits the whole internet (NET-2): no ingress rule, inline or separate, has the
 * source 0.0.0.0/0 or ::/0. The perimeter's public entry is API Gateway, which needs none.
 */
export function NoOpenIngress(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::EC2::SecurityGroup' && node.cfnResourceType !== 'AWS::EC2::SecurityGroupIngress') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return fromFindings(ingressRules(rendered(node))
    .filter((rule) => ANYWHERE.includes(cidrOf(rule)))
    .map((rule) => finding('Ingress', `${cidrOf(rule)}:${rule?.IpProtocol}:${rule?.FromPort ?? '*'}`)));
}
