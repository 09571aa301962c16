/** Small building blocks for the rule tests: a VPC, a REST API stage, web ACLs and their rules. */
import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';

/** An ACM certificate ARN. */
export const ACM_CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

/** A VPC with isolated subnets only and no NAT. */
export function isolatedVpc(stack: Stack, id = 'Vpc'): ec2.Vpc {
  return new ec2.Vpc(stack, id, { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

/** A REST API with one GET method on `/`, deployed to stage `live`. */
export function restApi(stack: Stack, props: Partial<apigw.RestApiProps> = {}): apigw.RestApi {
  const api = new apigw.RestApi(stack, 'Api', { deployOptions: { stageName: 'live' }, cloudWatchRole: false, ...props });
  api.root.addMethod('GET', new apigw.MockIntegration());
  return api;
}

function visibility(name: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true };
}

/** A web ACL rule, numbered by its position. */
export function aclRule(name: string, priority: number, rule: Partial<wafv2.CfnWebACL.RuleProperty>): wafv2.CfnWebACL.RuleProperty {
  return { name, priority, visibilityConfig: visibility(name), statement: rule.statement!, ...rule };
}

/** The three AWS managed groups of EDGE-1, in force. */
export function managedGroupRules(first = 10, groups = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList']): wafv2.CfnWebACL.RuleProperty[] {
  return groups.map((name, i) => aclRule(name, first + i, { overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } } }));
}

/** A regional web ACL with `rules`, associated with `resourceArn`. */
export function webAcl(stack: Stack, id: string, resourceArn: string | undefined, rules: wafv2.CfnWebACL.RuleProperty[]): wafv2.CfnWebACL {
  const acl = new wafv2.CfnWebACL(stack, id, { scope: 'REGIONAL', defaultAction: { allow: {} }, visibilityConfig: visibility(id), rules });
  if (resourceArn) new wafv2.CfnWebACLAssociation(stack, `${id}Association`, { resourceArn, webAclArn: acl.attrArn });
  return acl;
}
