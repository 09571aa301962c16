import { checkPerimeter, nagStack } from './nag-harness';
import { aclRule, managedGroupRules, restApi, webAcl } from './perimeter-fixtures';

const NONE = [{ priority: 0, type: 'NONE' }];
const HEADER_LIMIT = aclRule('HeaderSize', 0, { action: { block: {} }, statement: { sizeConstraintStatement: { fieldToMatch: { singleHeader: { Name: 'authorization' } }, comparisonOperator: 'GT', size: 4096, textTransformations: NONE } } });
const BODY_LIMIT = aclRule('BodySize', 1, { action: { block: {} }, statement: { sizeConstraintStatement: { fieldToMatch: { body: { oversizeHandling: 'MATCH' } }, comparisonOperator: 'GT', size: 65536, textTransformations: NONE } } });

describe('RequestSizeBounded: web ACLs block oversize headers, the API web ACL also oversize bodies (EDGE-6)', () => {
  test('Noncompliance 1: a load balancer web ACL without a header size rule', () => {
    // GIVEN
    const stack = nagStack();
    webAcl(stack, 'AlbAcl', undefined, managedGroupRules());
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE6')).toEqual(['Test/AlbAcl[SizeConstraint::Header]']);
  });

  test('Noncompliance 2: the API web ACL bounds headers but not the body', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack);
    webAcl(stack, 'ApiAcl', api.deploymentStage.stageArn, [HEADER_LIMIT, ...managedGroupRules()]);
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE6')).toEqual(['Test/ApiAcl[SizeConstraint::Body]']);
  });

  test('Compliance: header and body size rules that block', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack);
    webAcl(stack, 'ApiAcl', api.deploymentStage.stageArn, [HEADER_LIMIT, BODY_LIMIT, ...managedGroupRules()]);
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE6')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-EDGE6')).toEqual(['Test/ApiAcl']);
  });
});
