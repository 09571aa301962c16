import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CfnValue, asArray, finding, fromFindings, rendered } from './resource-graph';

function isWildcard(value: unknown): boolean {
  return typeof value === 'string' && value.replace(/['"\s]/g, '') === '*';
}

function wildcardOriginParameters(parameters: CfnValue, prefix: string): string[] {
  return Object.entries(parameters ?? {})
    .filter(([key, value]) => key.toLowerCase() === `${prefix}access-control-allow-origin` && isWildcard(value))
    .map(([key]) => finding('AllowOrigin', key));
}

/**
 * No response allows every origin (EDGE-5): no method integration response, method response or gateway
 * response maps `Access-Control-Allow-Origin` to `'*'`, no HTTP API CORS configuration or load balancer
 * listener attribute (`routing.http.response.access_control_allow_origin.header_value`) allows `*`.
 */
export function CorsOriginRestricted(node: CfnResource): NagRuleResult {
  switch (node.cfnResourceType) {
    case 'AWS::ApiGateway::Method': {
      const { Integration } = rendered(node).properties;
      return fromFindings(asArray(Integration?.IntegrationResponses)
        .flatMap((r) => wildcardOriginParameters(r?.ResponseParameters, 'method.response.header.')));
    }
    case 'AWS::ApiGateway::GatewayResponse':
      return fromFindings(wildcardOriginParameters(rendered(node).properties.ResponseParameters, 'gatewayresponse.header.'));
    case 'AWS::ApiGatewayV2::Api': {
      const origins = asArray(rendered(node).properties.CorsConfiguration?.AllowOrigins);
      return origins.some(isWildcard) ? [finding('AllowOrigins', '*')] : NagRuleCompliance.COMPLIANT;
    }
    case 'AWS::ElasticLoadBalancingV2::Listener': {
      const attributes = asArray(rendered(node).properties.ListenerAttributes);
      const origin = attributes.find((a) => a?.Key === 'routing.http.response.access_control_allow_origin.header_value');
      return origin && isWildcard(origin.Value) ? [finding('ListenerAttribute', 'access_control_allow_origin')] : NagRuleCompliance.COMPLIANT;
    }
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
}
