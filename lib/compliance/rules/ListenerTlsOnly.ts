import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CfnValue, asArray, rendered } from './resource-graph';

/** True when the listener only redirects to HTTPS (its every default action is a redirect to HTTPS). */
export function redirectsToHttps(defaultActions: CfnValue): boolean {
  const actions = asArray(defaultActions);
  return actions.length > 0 && actions.every((a) => a?.Type === 'redirect' && String(a?.RedirectConfig?.Protocol).toUpperCase() === 'HTTPS');
}

/** Load balancer listeners are HTTPS or TLS; a plain HTTP listener only redirects to HTTPS (TLS-1). */
export function ListenerTlsOnly(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::ElasticLoadBalancingV2::Listener') return NagRuleCompliance.NOT_APPLICABLE;
  const { Protocol, DefaultActions } = rendered(node).properties;
  if (Protocol === 'HTTPS' || Protocol === 'TLS') return NagRuleCompliance.COMPLIANT;
  if (Protocol === 'HTTP' && redirectsToHttps(DefaultActions)) return NagRuleCompliance.COMPLIANT;
  return NagRuleCompliance.NON_COMPLIANT;
}
