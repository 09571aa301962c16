import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asArray, finding, fromFindings, refersTo, rendered, resourcesOfType } from './resource-graph';

/** The response headers an HTTPS load balancer listener sets (`routing.http.response.<name>.header_value`). */
export const LISTENER_SECURITY_HEADERS: readonly string[] = [
  'strict_transport_security',
  'content_security_policy',
  'x_content_type_options',
  'x_frame_options',
];

/** The headers every response made by the gateway itself carries. */
export const GATEWAY_RESPONSE_SECURITY_HEADERS: readonly string[] = [
  'Strict-Transport-Security',
  'Content-Security-Policy',
  'X-Content-Type-Options',
  'X-Frame-Options',
  'Referrer-Policy',
  'Permissions-Policy',
];

/** The gateway response types every REST API defines, so that no response of its own goes out bare. */
export const REQUIRED_GATEWAY_RESPONSE_TYPES: readonly string[] = ['DEFAULT_4XX', 'DEFAULT_5XX'];

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' ? value.replace(/'/g, '').trim().length > 0 : value !== undefined && value !== null;
}

/**
 * Every response carries the security headers (EDGE-4): HTTPS load balancer listeners set HSTS,
 * Content-Security-Policy, X-Content-Type-Options and X-Frame-Options as listener attributes; every
 * gateway response sets those plus Referrer-Policy and Permissions-Policy; every REST API defines its
 * DEFAULT_4XX and DEFAULT_5XX gateway responses.
 */
export function SecurityHeadersOnResponses(node: CfnResource): NagRuleResult {
  switch (node.cfnResourceType) {
    case 'AWS::ElasticLoadBalancingV2::Listener': {
      const { Protocol, ListenerAttributes } = rendered(node).properties;
      if (Protocol !== 'HTTPS') return NagRuleCompliance.NOT_APPLICABLE;
      const attributes = asArray(ListenerAttributes);
      return fromFindings(LISTENER_SECURITY_HEADERS
        .filter((name) => !attributes.some((a) => a?.Key === `routing.http.response.${name}.header_value` && nonEmpty(a?.Value)))
        .map((name) => finding('ListenerAttribute', name)));
    }
    case 'AWS::ApiGateway::GatewayResponse': {
      const parameters: Record<string, unknown> = rendered(node).properties.ResponseParameters ?? {};
      const present = Object.entries(parameters).filter(([, v]) => nonEmpty(v)).map(([k]) => k.toLowerCase());
      return fromFindings(GATEWAY_RESPONSE_SECURITY_HEADERS
        .filter((name) => !present.includes(`gatewayresponse.header.${name.toLowerCase()}`))
        .map((name) => finding('Header', name)));
    }
    case 'AWS::ApiGateway::RestApi': {
      const api = rendered(node);
      const defined = resourcesOfType(node, 'AWS::ApiGateway::GatewayResponse')
        .filter((r) => refersTo(r, r.properties.RestApiId, api))
        .map((r) => r.properties.ResponseType);
      return fromFindings(REQUIRED_GATEWAY_RESPONSE_TYPES.filter((t) => !defined.includes(t)).map((t) => finding('GatewayResponse', t)));
    }
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
}
