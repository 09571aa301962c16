import { checkPerimeter, nagStack } from './nag-harness';
import { aclRule, managedGroupRules, restApi, webAcl } from './perimeter-fixtures';

const NONE = [{ priority: 0, type: 'NONE' }];

describe('QueryStringCredentialsBlocked: the API web ACL blocks credential-like query parameters (EDGE-3)', () => {
  test('Noncompliance 1: the API web ACL has no query-string rule', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack);
    webAcl(stack, 'ApiAcl', api.deploymentStage.stageArn, managedGroupRules());
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE3')).toEqual([
      'Test/ApiAcl[QueryParameter::access_token]', 'Test/ApiAcl[QueryParameter::accesstoken]',
      'Test/ApiAcl[QueryParameter::token]', 'Test/ApiAcl[QueryParameter::api_key]',
    ]);
  });

  test('Noncompliance 2: a rule that blocks access_token only, and a regex rule that only counts', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack);
    webAcl(stack, 'ApiAcl', api.deploymentStage.stageArn, [
      aclRule('AccessToken', 0, { action: { block: {} }, statement: { byteMatchStatement: { fieldToMatch: { singleQueryArgument: { Name: 'access_token' } }, positionalConstraint: 'CONTAINS', searchString: '', textTransformations: NONE } } }),
      aclRule('Counted', 1, { action: { count: {} }, statement: { regexMatchStatement: { fieldToMatch: { queryString: {} }, regexString: '(^|&)(token|api_key|accesstoken)=', textTransformations: NONE } } }),
      ...managedGroupRules(),
    ]);
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE3')).toEqual(['Test/ApiAcl[QueryParameter::accesstoken]', 'Test/ApiAcl[QueryParameter::token]', 'Test/ApiAcl[QueryParameter::api_key]']);
  });

  test('Compliance: a blocking regex on the query string that matches every credential name', () => {
    // GIVEN
    const stack = nagStack();
    const api = restApi(stack);
    webAcl(stack, 'ApiAcl', api.deploymentStage.stageArn, [
      aclRule('CredentialsInQuery', 0, {
        action: { block: {} },
        statement: { regexMatchStatement: { fieldToMatch: { queryString: {} }, regexString: '(^|&)(access_?token|token|api_?key)=', textTransformations: [{ priority: 0, type: 'URL_DECODE' }, { priority: 1, type: 'LOWERCASE' }] } },
      }),
      ...managedGroupRules(),
    ]);
    webAcl(stack, 'AlbOnlyAcl', undefined, managedGroupRules());
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-EDGE3')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-EDGE3')).toEqual(['Test/ApiAcl']);
  });
});
