import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { checkPerimeter, nagStack } from './nag-harness';
import { isolatedVpc, managedGroupRules, restApi, webAcl } from './perimeter-fixtures';

describe('AccessLogsEnabled: stage, WAF, load balancer and VPC flow logs are on (AUDIT-4)', () => {
  test('Noncompliance 1: a stage, web ACL, load balancer and VPC without logs', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack);
    webAcl(stack, 'ApiAcl', api.deploymentStage.stageArn, managedGroupRules());
    new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc: isolatedVpc(stack) });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUDIT4')).toEqual(['Test/Api/DeploymentStage.live/Resource', 'Test/ApiAcl', 'Test/Vpc/Resource', 'Test/Alb/Resource']);
  });

  test('Noncompliance 2: a flow log on another VPC, and a WAF log for another web ACL', () => {
    // GIVEN
    const stack = nagStack();
    isolatedVpc(stack, 'Unlogged');
    isolatedVpc(stack, 'Logged').addFlowLog('Flow');
    webAcl(stack, 'UnloggedAcl', undefined, managedGroupRules());
    const logged = webAcl(stack, 'LoggedAcl', undefined, managedGroupRules());
    new wafv2.CfnLoggingConfiguration(stack, 'WafLogs', { resourceArn: logged.attrArn, logDestinationConfigs: ['arn:aws:logs:eu-west-1:111111111111:log-group:aws-waf-logs-x'] });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUDIT4')).toEqual(['Test/Unlogged/Resource', 'Test/UnloggedAcl']);
  });

  test('Compliance: every log on', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack, { deployOptions: { stageName: 'live', accessLogDestination: new apigw.LogGroupLogDestination(new logs.LogGroup(stack, 'Access')), accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields() } });
    const acl = webAcl(stack, 'ApiAcl', api.deploymentStage.stageArn, managedGroupRules());
    new wafv2.CfnLoggingConfiguration(stack, 'WafLogs', { resourceArn: acl.attrArn, logDestinationConfigs: ['arn:aws:logs:eu-west-1:111111111111:log-group:aws-waf-logs-x'] });
    const vpc = isolatedVpc(stack);
    vpc.addFlowLog('Flow', { destination: ec2.FlowLogDestination.toCloudWatchLogs() });
    const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
    alb.logAccessLogs(new s3.Bucket(stack, 'AccessLogs', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true }));
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-AUDIT4')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-AUDIT4')).toEqual(['Test/Api/DeploymentStage.live/Resource', 'Test/ApiAcl', 'Test/Vpc/Resource', 'Test/Alb/Resource']);
  });
});
