import { checkPerimeter, nagStack } from './nag-harness';
import { aclRule, managedGroupRules, restApi, webAcl } from './perimeter-fixtures';

const PER_IP = aclRule('RatePerIp', 1, { action: { block: {} }, statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: 30, evaluationWindowSec: 60 } } });
const PER_TOKEN = aclRule('RatePerToken', 2, {
  action: { block: {} },
  statement: { rateBasedStatement: { aggregateKeyType: 'CUSTOM_KEYS', limit: 60, evaluationWindowSec: 60, customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }] } },
});

describe('RateLimitsConfigured: API stages throttle and their web ACLs rate-limit per IP and per credential (EDGE-2)', () => {
  test('Noncompliance 1: a stage without default throttling', () => {
    // GIVEN
    const stack = nagStack();
    restApi(stack);
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE2')).toEqual([
      'Test/Api/DeploymentStage.live/Resource[MethodSettings::ThrottlingRateLimit]',
      'Test/Api/DeploymentStage.live/Resource[MethodSettings::ThrottlingBurstLimit]',
    ]);
  });

  test('Noncompliance 2: the API web ACL rate-limits per IP only, and only counts', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack, { deployOptions: { stageName: 'live', throttlingRateLimit: 10, throttlingBurstLimit: 20 } });
    webAcl(stack, 'ApiAcl', api.deploymentStage.stageArn, [{ ...PER_IP, action: { count: {} } }, ...managedGroupRules()]);
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE2')).toEqual(['Test/ApiAcl[RateRule::PerSourceIp]', 'Test/ApiAcl[RateRule::PerCredential]']);
  });

  test('Compliance: a throttled stage behind a web ACL with blocking rate rules per IP and per credential', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack, { deployOptions: { stageName: 'live', throttlingRateLimit: 10, throttlingBurstLimit: 20 } });
    webAcl(stack, 'ApiAcl', api.deploymentStage.stageArn, [PER_IP, PER_TOKEN, ...managedGroupRules()]);
    webAcl(stack, 'UnassociatedAcl', undefined, managedGroupRules());
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE2')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-EDGE2')).toEqual(['Test/Api/DeploymentStage.live/Resource', 'Test/ApiAcl']);
  });
});
