import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { checkPerimeter, nagStack } from './nag-harness';
import { isolatedVpc, managedGroupRules, restApi, webAcl } from './perimeter-fixtures';

describe('WebAclOnEveryEntryPoint: every API stage and ALB has a web ACL with the three managed groups (EDGE-1)', () => {
  test('Noncompliance 1: an API stage and a load balancer without a web ACL', () => {
    // GIVEN
    const stack = nagStack();
    restApi(stack);
    new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc: isolatedVpc(stack) });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE1')).toEqual(['Test/Api/DeploymentStage.live/Resource', 'Test/Alb/Resource']);
  });

  test('Noncompliance 2: a web ACL without the IP reputation group, and one whose common group only counts', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack);
    webAcl(stack, 'ApiAcl', api.deploymentStage.stageArn, managedGroupRules(10, ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']));
    const counting = managedGroupRules(10).map((r) => (r.name === 'AWSManagedRulesCommonRuleSet' ? { ...r, overrideAction: { count: {} } } : r));
    webAcl(stack, 'OtherAcl', undefined, counting);
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE1')).toEqual([
      'Test/ApiAcl[ManagedRuleGroup::AWSManagedRulesAmazonIpReputationList]',
      'Test/OtherAcl[ManagedRuleGroup::AWSManagedRulesCommonRuleSet]',
    ]);
  });

  test('Compliance: the stage and the load balancer each have a web ACL with the three groups', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack);
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc: isolatedVpc(stack) });
    webAcl(stack, 'ApiAcl', api.deploymentStage.stageArn, managedGroupRules());
    webAcl(stack, 'AlbAcl', alb.loadBalancerArn, managedGroupRules());
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE1')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-EDGE1').sort()).toEqual(['Test/AlbAcl', 'Test/ApiAcl', 'Test/Alb/Resource', 'Test/Api/DeploymentStage.live/Resource'].sort());
  });
});
