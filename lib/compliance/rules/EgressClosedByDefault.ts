import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { RenderedResource, explicitChoice, finding, fromFindings, rendered } from './resource-graph';
import { ANYWHERE, allTraffic, cidrOf, egressRules } from './security-groups';

/** The tag (on the resource or its stack) or CDK context key that opens egress when its value is `nat`. */
export const EGRESS_CHOICE_KEY = 'mcp-perimeter:egress';

/** True when the app chose to open egress to the internet (`mcp-perimeter:egress` = `nat`). */
export function egressOpened(resource: RenderedResource): boolean {
  return explicitChoice(resource, EGRESS_CHOICE_KEY) === 'nat';
}

/**
 * Egress is closed unless opened on purpose (NET-4). The choice is the tag `mcp-perimeter:egress` =
 * `nat` on the resource or its stack (the Stage tags every stack with the config's `network.egress`),
 * or the CDK context of the same name. Without it there is no NAT, internet or egress-only internet
 * gateway, and every security group lists its egress rules (so the default allow-all rule is
 * removed) with none open to 0.0.0.0/0 or ::/0 on all traffic.
 */
export function EgressClosedByDefault(node: CfnResource): NagRuleResult {
  switch (node.cfnResourceType) {
    case 'AWS::EC2::NatGateway':
    case 'AWS::EC2::InternetGateway':
    case 'AWS::EC2::EgressOnlyInternetGateway':
      return egressOpened(rendered(node)) ? NagRuleCompliance.COMPLIANT : [finding('Gateway', node.cfnResourceType.split('::')[2])];
    case 'AWS::EC2::SecurityGroup':
    case 'AWS::EC2::SecurityGroupEgress': {
      const resource = rendered(node);
      if (egressOpened(resource)) return NagRuleCompliance.NOT_APPLICABLE;
      const rules = egressRules(resource);
      if (resource.type === 'AWS::EC2::SecurityGroup' && rules.length === 0) return [finding('Egress', 'default-allow-all')];
      return fromFindings(rules.filter((r) => ANYWHERE.includes(cidrOf(r)) && allTraffic(r)).map((r) => finding('Egress', `${cidrOf(r)}:all`)));
    }
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
}
