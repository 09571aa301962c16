import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asArray, finding, fromFindings, rendered } from './resource-graph';

/** Load balancer TLS policies allowed: the TLS 1.3 family (TLS 1.2 minimum, or TLS 1.3 only). */
export const ALLOWED_LOAD_BALANCER_POLICY = /^ELBSecurityPolicy-TLS13-1-[23]-/;
/** API Gateway custom domain policies allowed: TLS_1_2 or an enhanced TLS 1.3 policy. */
export const ALLOWED_DOMAIN_POLICY = /^(TLS_1_2|SecurityPolicy_TLS13_.+)$/;

/**
 * HTTPS/TLS listeners use a TLS 1.3 family policy (`ELBSecurityPolicy-TLS13-1-2-*`) and API custom
 * domains use TLS_1_2 or a `SecurityPolicy_TLS13_*` policy; an unset policy is the provider's legacy
 * default and fails (TLS-2).
 */
export function TlsPolicyModern(node: CfnResource): NagRuleResult {
  switch (node.cfnResourceType) {
    case 'AWS::ElasticLoadBalancingV2::Listener': {
      const { Protocol, SslPolicy } = rendered(node).properties;
      if (Protocol !== 'HTTPS' && Protocol !== 'TLS') return NagRuleCompliance.NOT_APPLICABLE;
      return typeof SslPolicy === 'string' && ALLOWED_LOAD_BALANCER_POLICY.test(SslPolicy)
        ? NagRuleCompliance.COMPLIANT
        : [finding('SslPolicy', typeof SslPolicy === 'string' ? SslPolicy : 'unset')];
    }
    case 'AWS::ApiGateway::DomainName':
    case 'AWS::ApiGateway::DomainNameV2': {
      const { SecurityPolicy } = rendered(node).properties;
      return typeof SecurityPolicy === 'string' && ALLOWED_DOMAIN_POLICY.test(SecurityPolicy)
        ? NagRuleCompliance.COMPLIANT
        : [finding('SecurityPolicy', typeof SecurityPolicy === 'string' ? SecurityPolicy : 'unset')];
    }
    case 'AWS::ApiGatewayV2::DomainName': {
      const configurations = asArray(rendered(node).properties.DomainNameConfigurations);
      return fromFindings(configurations
        .map((c) => c?.SecurityPolicy)
        .filter((p) => !(typeof p === 'string' && ALLOWED_DOMAIN_POLICY.test(p)))
        .map((p) => finding('SecurityPolicy', typeof p === 'string' ? p : 'unset')));
    }
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
}
