import { Template, Match } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Stack } from 'aws-cdk-lib';
import { FirewallTarget, MANAGED_BODY_RULES, WebFirewall, WebFirewallProps, bodyInspectionLimitFor, credentialQueryPatterns } from '../../../lib/constructs/edge/web-firewall';
import { testApp, testStack, withCloudFormationValidation } from '../../fixtures/test-app';

import { regexStringsOf } from './waf-regexes';

const STAGE_ARN = 'arn:aws:apigateway:eu-west-1::/restapis/abc123/stages/live';

function firewall(overrides: Partial<WebFirewallProps> = {}, stack: Stack = testStack()): Template {
  const logGroup = logs.LogGroup.fromLogGroupName(stack, 'WafLogs', 'aws-waf-logs-mcp-perimeter-test');
  new WebFirewall(stack, 'ApiFirewall', {
    target: FirewallTarget.API_GATEWAY,
    resourceArn: STAGE_ARN,
    logGroup,
    credentialHeaders: ['authorization', 'x-access-token'],
    maxCredentialBytes: 4096,
    maxBodyBytes: 40960,
    rateLimits: { perIpPerMinute: 30, perCredentialPerMinute: 60, writesPerCredentialPerMinute: 30, writePaths: ['/api'] },
    ...overrides,
  });
  return Template.fromStack(stack);
}

function rule(template: Template, name: string): Record<string, any> {
  const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0] as any;
  const found = acl.Properties.Rules.find((r: any) => r.Name === name);
  if (!found) throw new Error(`no rule ${name}; rules: ${acl.Properties.Rules.map((r: any) => r.Name).join(', ')}`);
  return found;
}

test('EDGE-1: the web ACL runs the AWS managed IP reputation, known bad inputs and common rule groups', () => {
  // GIVEN / WHEN
  const template = firewall();
  // THEN
  for (const group of ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesCommonRuleSet']) {
    expect(rule(template, group).Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: 'AWS', Name: group });
  }
  template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
});

test('EDGE-6: the common rule set only counts bodies over 8 KB; the configured body limit blocks instead', () => {
  // GIVEN / WHEN
  const template = firewall();
  // THEN
  expect(rule(template, 'AWSManagedRulesCommonRuleSet').Statement.ManagedRuleGroupStatement.RuleActionOverrides)
    .toContainEqual({ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } });
  expect(rule(template, 'LimitBodySize')).toMatchObject({
    Action: { Block: { CustomResponse: { ResponseCode: 413 } } },
    Statement: { SizeConstraintStatement: { FieldToMatch: { Body: { OversizeHandling: 'MATCH' } }, ComparisonOperator: 'GT', Size: 40960 } },
  });
  template.hasResourceProperties('AWS::WAFv2::WebACL', {
    AssociationConfig: { RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_48' } } },
  });
});

test('EDGE-6: the body inspection limit is the smallest that covers the configured body size', () => {
  expect(bodyInspectionLimitFor(1024)).toBe('KB_16');
  expect(bodyInspectionLimitFor(16384)).toBe('KB_16');
  expect(bodyInspectionLimitFor(16385)).toBe('KB_32');
  expect(bodyInspectionLimitFor(65536)).toBe('KB_64');
  expect(() => bodyInspectionLimitFor(65537)).toThrow(/maxBodyBytes must be at most 65536.*got 65537/);
});

test('EDGE-6: credential headers larger than the configured size are refused with 431', () => {
  // GIVEN / WHEN
  const template = firewall();
  // THEN
  const statements = rule(template, 'LimitCredentialHeaderSize').Statement.OrStatement.Statements;
  expect(statements.map((s: any) => s.SizeConstraintStatement.FieldToMatch.SingleHeader.Name)).toEqual(['authorization', 'x-access-token', 'x-api-key']);
  expect(statements.every((s: any) => s.SizeConstraintStatement.Size === 4096 && s.SizeConstraintStatement.ComparisonOperator === 'GT')).toBe(true);
});

test('EDGE-3: a credential-like query parameter or a token-shaped value is blocked, URL-decoded and lowercased first', () => {
  // GIVEN / WHEN
  const template = firewall();
  // THEN
  const statements = rule(template, 'BlockCredentialsInQuery').Statement.OrStatement.Statements.map((s: any) => s.RegexMatchStatement);
  expect(statements.length).toBeGreaterThanOrEqual(2);
  for (const statement of statements) {
    expect(statement.FieldToMatch).toEqual({ QueryString: {} });
    expect(statement.TextTransformations.map((t: any) => t.Type)).toEqual(['URL_DECODE', 'LOWERCASE']);
  }
  const patterns = statements.map((s: any) => new RegExp(s.RegexString));
  const blocked = (q: string) => patterns.some((p: RegExp) => p.test(q));
  const tokenBody = 'AbCdEfGhIjKlMnOpQrStUv'.toLowerCase();
  for (const q of ['access_token=abc', 'a=1&accesstoken=x', 'token=x', 'api_key=x', 'apikey=x', 'key=x', 'auth=x', 'jwt=x', 'id_token=x', 'token[]=x', 'x=1&api-key=2', 'token',
    'auth_token=x', 'x_api_key=x', 'credentials=x', 'credential=x', 'client_secret=x', 'bearer_token=x', 'session-token=x', `state=mcp_${tokenBody}`, `mcp_${tokenBody}=1`, 'a=1&q=eyjhbgcioijiuzi1nij9.eyjzdwiioij4in0.sig']) {
    expect(blocked(q)).toBe(true);
  }
  for (const q of ['', 'page=2', 'monkey=1', 'tokens=3', 'author=x', 'keyboard=1', 'a=token', 'q=mcp_server', 'q=eyjust-a-word']) {
    expect(blocked(q)).toBe(false);
  }
});

test('EDGE-3: the query patterns follow the configured token prefix', () => {
  // GIVEN / WHEN
  const template = firewall({ tokenPrefix: 'sct_' });
  // THEN
  const patterns = rule(template, 'BlockCredentialsInQuery').Statement.OrStatement.Statements.map((s: any) => new RegExp(s.RegexMatchStatement.RegexString));
  expect(patterns.some((p: RegExp) => p.test('state=sct_abcdefghijklmnopqrstu'))).toBe(true);
  expect(patterns.some((p: RegExp) => p.test('state=mcp_abcdefghijklmnopqrstu'))).toBe(false);
  expect(() => credentialQueryPatterns('Bad')).toThrow(/tokenPrefix must be/);
});

test('every regex of the web ACL is at most 200 characters (AWS WAF quotas: "Maximum number of characters allowed in a regex pattern", 200)', () => {
  // GIVEN / WHEN
  const template = firewall();
  // THEN
  const regexes = regexStringsOf(template);
  expect(regexes.length).toBeGreaterThan(0);
  for (const r of regexes) expect(r.length).toBeLessThanOrEqual(200);
});

test('AUDIT-2: data protection substitutes the credential headers and the query string everywhere WAF stores them, rate-based details included', () => {
  // GIVEN / WHEN
  const template = firewall();
  // THEN
  template.hasResourceProperties('AWS::WAFv2::WebACL', {
    DataProtectionConfig: {
      DataProtections: [
        { Field: { FieldType: 'SINGLE_HEADER', FieldKeys: ['authorization', 'x-access-token', 'x-api-key'] }, Action: 'SUBSTITUTION', ExcludeRateBasedDetails: false, ExcludeRuleMatchDetails: false },
        { Field: { FieldType: 'QUERY_STRING' }, Action: 'SUBSTITUTION', ExcludeRateBasedDetails: false, ExcludeRuleMatchDetails: false },
      ],
    },
  });
});

test('EDGE-2: a per-IP rate rule and one per-credential rate rule per accepted header answer 429', () => {
  // GIVEN / WHEN
  const template = firewall();
  // THEN
  expect(rule(template, 'RatePerIp')).toMatchObject({
    Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'rate-limited' } } },
    Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 30, EvaluationWindowSec: 60 } },
  });
  for (const header of ['authorization', 'x-access-token']) {
    expect(rule(template, `RatePerCredential-${header}`)).toMatchObject({
      Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
      Statement: { RateBasedStatement: { AggregateKeyType: 'CUSTOM_KEYS', Limit: 60, CustomKeys: [{ Header: { Name: header } }] } },
    });
  }
  expect(() => rule(template, 'RatePerCredential-x-api-key')).toThrow(/no rule/);
});

test('EDGE-2: the writes-per-credential rule counts only non-GET/HEAD/OPTIONS requests on write paths', () => {
  // GIVEN / WHEN
  const template = firewall();
  // THEN
  const statement = rule(template, 'WritesPerCredential-authorization').Statement.RateBasedStatement;
  expect(statement.Limit).toBe(30);
  const [notSafe, onWritePath] = statement.ScopeDownStatement.AndStatement.Statements;
  expect(notSafe.NotStatement.Statement.OrStatement.Statements.map((s: any) => s.ByteMatchStatement.SearchString)).toEqual(['GET', 'HEAD', 'OPTIONS']);
  expect(onWritePath.ByteMatchStatement).toMatchObject({ FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: '/api' });
});

test('EDGE-2: without write paths there is no writes rule', () => {
  // GIVEN / WHEN
  const template = firewall({ rateLimits: { perIpPerMinute: 30, perCredentialPerMinute: 60, writesPerCredentialPerMinute: 30 } });
  // THEN
  expect(() => rule(template, 'WritesPerCredential-authorization')).toThrow(/no rule/);
});

test('EDGE-4: WAF-made refusals are JSON and carry the security headers', () => {
  // GIVEN / WHEN
  const template = firewall();
  // THEN
  const headers = rule(template, 'RatePerIp').Action.Block.CustomResponse.ResponseHeaders.map((h: any) => h.Name);
  expect(headers).toEqual(expect.arrayContaining(['Strict-Transport-Security', 'Content-Security-Policy', 'X-Content-Type-Options', 'X-Frame-Options', 'Referrer-Policy', 'Permissions-Policy']));
  template.hasResourceProperties('AWS::WAFv2::WebACL', {
    CustomResponseBodies: { 'rate-limited': { ContentType: 'APPLICATION_JSON', Content: '{"message":"Too Many Requests"}' } },
  });
});

test('EDGE-1: the web ACL is associated with the resource it protects', () => {
  firewall().hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: STAGE_ARN, WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiFirewall'), 'Arn'] } });
});

test('AUDIT-4 AUDIT-2: WAF logs go to the aws-waf-logs- group with credential headers and the query string redacted', () => {
  // GIVEN / WHEN
  const template = firewall();
  // THEN
  template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
    LogDestinationConfigs: ['arn:aws:logs:eu-west-1:111111111111:log-group:aws-waf-logs-mcp-perimeter-test'],
    RedactedFields: [
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'x-access-token' } },
      { SingleHeader: { Name: 'x-api-key' } },
      { QueryString: {} },
    ],
  });
});

test('AUDIT-2: sampled requests (shown with their headers in the console) are off for every rule', () => {
  const acl = Object.values(firewall().findResources('AWS::WAFv2::WebACL'))[0] as any;
  const configs = [acl.Properties.VisibilityConfig, ...acl.Properties.Rules.map((r: any) => r.VisibilityConfig)];
  expect(configs.every((c: any) => c.SampledRequestsEnabled === false && c.CloudWatchMetricsEnabled === true)).toBe(true);
});

test('a load balancer web ACL has no body rule and no association config', () => {
  // GIVEN / WHEN
  const template = firewall({ target: FirewallTarget.APPLICATION_LOAD_BALANCER, maxBodyBytes: undefined, rateLimits: undefined });
  // THEN
  expect(() => rule(template, 'LimitBodySize')).toThrow(/no rule/);
  expect(() => rule(template, 'RatePerIp')).toThrow(/no rule/);
  template.hasResourceProperties('AWS::WAFv2::WebACL', { AssociationConfig: Match.absent() });
});

test('fails when a body limit is asked of a load balancer web ACL', () => {
  expect(() => firewall({ target: FirewallTarget.APPLICATION_LOAD_BALANCER })).toThrow(/maxBodyBytes needs target API_GATEWAY.*got target APPLICATION_LOAD_BALANCER/);
});

test('fails when the log group name does not start with aws-waf-logs-', () => {
  const stack = testStack();
  expect(() => new WebFirewall(stack, 'F', {
    target: FirewallTarget.API_GATEWAY, resourceArn: STAGE_ARN, logGroup: logs.LogGroup.fromLogGroupName(stack, 'L', 'waf'),
    credentialHeaders: ['authorization'], maxCredentialBytes: 4096,
  })).toThrow(/logGroup name must start with 'aws-waf-logs-'.*got waf/);
});

test('fails when a rate limit is under the WAF minimum', () => {
  expect(() => firewall({ rateLimits: { perIpPerMinute: 5, perCredentialPerMinute: 60, writesPerCredentialPerMinute: 30 } }))
    .toThrow(/rateLimits.perIpPerMinute must be at least 10.*got 5/);
});

test('the web ACL synthesizes a template that passes CloudFormation validation', () => {
  // GIVEN
  const app = testApp({ bundling: false });
  // WHEN (firewall() synthesizes for its template: the validation must be on from the start) / THEN
  expect(() => withCloudFormationValidation(() => (firewall({}, testStack(app)), app.synth()))).not.toThrow();
});

test('EDGE-1: every managed body rule counts, and a label rule blocks it again outside the MCP routes', () => {
  // GIVEN / WHEN
  const template = firewall({ mcpPaths: ['/mcp'] });
  // THEN
  for (const group of ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']) {
    const overrides = rule(template, group).Statement.ManagedRuleGroupStatement.RuleActionOverrides;
    for (const body of MANAGED_BODY_RULES.filter((r) => r.group === group)) {
      expect(overrides).toContainEqual({ Name: body.rule, ActionToUse: { Count: {} } });
    }
  }
  const block = rule(template, 'BlockBodySignaturesOutsideMcp');
  expect(block.Action.Block.CustomResponse.ResponseCode).toBe(403);
  const [labels, notMcp] = block.Statement.AndStatement.Statements;
  expect(labels.OrStatement.Statements.map((s: any) => s.LabelMatchStatement.Key).sort()).toEqual(MANAGED_BODY_RULES.map((r) => r.label).sort());
  const paths = notMcp.NotStatement.Statement.OrStatement.Statements.map((s: any) => s.ByteMatchStatement);
  expect(paths.map((p: any) => [p.PositionalConstraint, p.SearchString])).toEqual([['EXACTLY', '/mcp'], ['STARTS_WITH', '/mcp/']]);
  // /mcp/../api is not an MCP path: decoded, then normalized.
  expect(paths[0].TextTransformations.map((t: any) => t.Type)).toEqual(['URL_DECODE', 'NORMALIZE_PATH']);
  expect(rule(template, 'CountBodySignaturesOnMcp')).toMatchObject({ Action: { Count: {} } });
});

test('EDGE-1: the label rules run after the managed groups that add the labels', () => {
  const template = firewall({ mcpPaths: ['/mcp'] });
  const priority = (name: string) => rule(template, name).Priority;
  expect(priority('BlockBodySignaturesOutsideMcp')).toBeGreaterThan(priority('AWSManagedRulesCommonRuleSet'));
  expect(priority('BlockBodySignaturesOutsideMcp')).toBeGreaterThan(priority('AWSManagedRulesKnownBadInputsRuleSet'));
});

test('EDGE-1: without MCP routes the body rules block everywhere', () => {
  const template = firewall();
  expect(rule(template, 'BlockBodySignaturesOutsideMcp').Statement.OrStatement.Statements).toHaveLength(MANAGED_BODY_RULES.length);
  expect(() => rule(template, 'CountBodySignaturesOnMcp')).toThrow(/no rule/);
});

test('EDGE-2: requests without a credential have their own tighter per-IP limit', () => {
  const template = firewall({ rateLimits: { perIpPerMinute: 1200, perCredentialPerMinute: 60, writesPerCredentialPerMinute: 30, unauthenticatedPerIpPerMinute: 30 } });
  const statement = rule(template, 'RatePerIpWithoutCredential').Statement.RateBasedStatement;
  expect(statement).toMatchObject({ AggregateKeyType: 'IP', Limit: 30, EvaluationWindowSec: 60 });
  const present = statement.ScopeDownStatement.NotStatement.Statement.OrStatement.Statements.map((s: any) => s.SizeConstraintStatement);
  expect(present.map((p: any) => [p.FieldToMatch.SingleHeader.Name, p.ComparisonOperator, p.Size])).toEqual([['authorization', 'GT', 0], ['x-access-token', 'GT', 0]]);
  expect(rule(template, 'RatePerIp').Statement.RateBasedStatement.Limit).toBe(1200);
});

test('EDGE-2: no separate rule when the unauthenticated limit is not below the per-IP limit', () => {
  const template = firewall({ rateLimits: { perIpPerMinute: 30, perCredentialPerMinute: 60, writesPerCredentialPerMinute: 30, unauthenticatedPerIpPerMinute: 30 } });
  expect(() => rule(template, 'RatePerIpWithoutCredential')).toThrow(/no rule/);
});

test('EDGE-5: a request from an origin that is not allowed is refused; with one origin WAF answers are readable by it', () => {
  const template = firewall({ allowedOrigins: ['https://app.example.com'] });
  const origin = rule(template, 'BlockDisallowedOrigin');
  expect(origin.Action.Block.CustomResponse.ResponseCode).toBe(403);
  const [present, notAllowed] = origin.Statement.AndStatement.Statements;
  expect(present.SizeConstraintStatement.FieldToMatch.SingleHeader.Name).toBe('origin');
  expect(notAllowed.NotStatement.Statement.ByteMatchStatement).toMatchObject({ PositionalConstraint: 'EXACTLY', SearchString: 'https://app.example.com' });
  const headers = Object.fromEntries(rule(template, 'RatePerIp').Action.Block.CustomResponse.ResponseHeaders.map((h: any) => [h.Name, h.Value]));
  expect(headers).toMatchObject({ 'Access-Control-Allow-Origin': 'https://app.example.com', 'Access-Control-Expose-Headers': 'WWW-Authenticate, Mcp-Session-Id, Retry-After', 'Retry-After': '60' });
});

test('fails with an MCP path that is not absolute', () => {
  expect(() => firewall({ mcpPaths: ['mcp'] })).toThrow(/mcpPaths must be absolute paths.*got mcp/);
});
