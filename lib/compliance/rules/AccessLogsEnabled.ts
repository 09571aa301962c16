import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asArray, refersTo, rendered, resourcesOfType } from './resource-graph';

/**
 * Every log of the perimeter is on (AUDIT-4): REST API stages write access logs
 * (AccessLogSetting.DestinationArn), web ACLs have a WAF logging configuration, application load
 * balancers write access logs (`access_logs.s3.enabled` = true), and VPCs have a flow log.
 */
export function AccessLogsEnabled(node: CfnResource): NagRuleResult {
  switch (node.cfnResourceType) {
    case 'AWS::ApiGateway::Stage':
      return rendered(node).properties.AccessLogSetting?.DestinationArn !== undefined ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    case 'AWS::WAFv2::WebACL': {
      const acl = rendered(node);
      const logged = resourcesOfType(node, 'AWS::WAFv2::LoggingConfiguration').some((c) => refersTo(c, c.properties.ResourceArn, acl));
      return logged ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
      const { Type, LoadBalancerAttributes } = rendered(node).properties;
      if ((Type ?? 'application') !== 'application') return NagRuleCompliance.NOT_APPLICABLE;
      const enabled = asArray(LoadBalancerAttributes).some((a) => a?.Key === 'access_logs.s3.enabled' && String(a?.Value) === 'true');
      return enabled ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    case 'AWS::EC2::VPC': {
      const vpc = rendered(node);
      const flowLogged = resourcesOfType(node, 'AWS::EC2::FlowLog').some((f) => refersTo(f, f.properties.ResourceId, vpc));
      return flowLogged ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
}
