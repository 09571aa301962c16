import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { redirectsToHttps } from './ListenerTlsOnly';
import { RenderedResource, asArray, finding, fromFindings, literalPrefix, refersTo, rendered, resourcesOfType } from './resource-graph';

function loadBalancersReached(method: RenderedResource): RenderedResource[] {
  const integration = method.properties.Integration ?? {};
  const loadBalancers = resourcesOfType(method.node, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
  const links = resourcesOfType(method.node, 'AWS::ApiGateway::VpcLink', 'AWS::ApiGatewayV2::VpcLink')
    .filter((link) => refersTo(method, integration.ConnectionId, link));
  return loadBalancers.filter((lb) =>
    refersTo(method, integration.IntegrationTarget, lb)
    || links.some((link) => refersTo(link, link.properties.TargetArns, lb)));
}

/**
 * REST API methods with a private (VPC_LINK) integration call an `https://` URI, and every listener
 * of the load balancer they reach is HTTPS/TLS or redirects to HTTPS, so traffic stays encrypted from
 * the gateway to the load balancer (TLS-3).
 */
export function GatewayToLoadBalancerTls(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::ApiGateway::Method') return NagRuleCompliance.NOT_APPLICABLE;
  const method = rendered(node);
  const integration = method.properties.Integration;
  if (integration?.ConnectionType !== 'VPC_LINK') return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  const uri = literalPrefix(integration.Uri);
  if (!uri?.toLowerCase().startsWith('https://')) findings.push(finding('Uri', uri === undefined ? 'not-https' : uri.split(':')[0]));
  for (const lb of loadBalancersReached(method)) {
    const listeners = resourcesOfType(node, 'AWS::ElasticLoadBalancingV2::Listener')
      .filter((l) => refersTo(l, l.properties.LoadBalancerArn, lb));
    for (const listener of listeners) {
      const { Protocol, DefaultActions, Port } = listener.properties;
      if (Protocol === 'HTTPS' || Protocol === 'TLS' || redirectsToHttps(DefaultActions)) continue;
      findings.push(finding('Listener', `${lb.logicalId}:${asArray(Port).join('')}:${Protocol}`));
    }
  }
  return fromFindings(findings);
}
