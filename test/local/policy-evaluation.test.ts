import fc from 'fast-check';
import { AuthorizerConfigurationError, evaluatePolicy, parseAuthorizerResult, type PolicyStatement, wildcardMatch } from '../../lib/local/policy-evaluation';

const ARN = 'arn:aws:execute-api:local:000000000000:local/local';
const allow = (resource: string | string[], action: string | string[] = 'execute-api:Invoke'): PolicyStatement => ({ Effect: 'Allow', Action: action, Resource: resource });
const deny = (resource: string | string[]): PolicyStatement => ({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: resource });

test('AUTH-1: a policy with no matching statement is an implicit deny', () => {
  // GIVEN a policy that allows only /mcp
  const statements = [allow(`${ARN}/POST/mcp`)];
  // WHEN / THEN
  expect(evaluatePolicy(statements, `${ARN}/POST/mcp`)).toBe('allow');
  expect(evaluatePolicy(statements, `${ARN}/POST/admin`)).toBe('implicit_deny');
  expect(evaluatePolicy(statements, `${ARN}/GET/mcp`)).toBe('implicit_deny');
});

test('RBAC-2: an explicit Deny wins over any Allow, whatever the order', () => {
  // GIVEN allow-all and a deny on /admin, in both orders
  const a = [allow(`${ARN}/*`), deny(`${ARN}/*/admin*`)];
  const b = [deny(`${ARN}/*/admin*`), allow(`${ARN}/*`)];
  // WHEN / THEN
  for (const statements of [a, b]) {
    expect(evaluatePolicy(statements, `${ARN}/POST/admin/users`)).toBe('explicit_deny');
    expect(evaluatePolicy(statements, `${ARN}/POST/mcp`)).toBe('allow');
  }
});

test('RBAC-2: resource wildcards span slashes and ? matches one character, as in IAM', () => {
  // GIVEN
  const statements = [allow([`${ARN}/*/mcp`, `${ARN}/*/mcp/*`, `${ARN}/GET/api/v?`])];
  // WHEN / THEN
  expect(evaluatePolicy(statements, `${ARN}/DELETE/mcp`)).toBe('allow');
  expect(evaluatePolicy(statements, `${ARN}/POST/mcp/a/b/c`)).toBe('allow');
  expect(evaluatePolicy(statements, `${ARN}/GET/api/v1`)).toBe('allow');
  expect(evaluatePolicy(statements, `${ARN}/GET/api/v12`)).toBe('implicit_deny');
  expect(evaluatePolicy(statements, `${ARN}/POST/mcpx`)).toBe('implicit_deny');
});

test('RBAC-4: a statement for another action or another API grants nothing', () => {
  // GIVEN
  const otherAction = [allow(`${ARN}/*`, 'execute-api:ManageConnections')];
  const otherApi = [allow('arn:aws:execute-api:local:000000000000:other/local/*')];
  const anyAction = [allow(`${ARN}/*`, ['execute-api:*'])];
  // WHEN / THEN
  expect(evaluatePolicy(otherAction, `${ARN}/POST/mcp`)).toBe('implicit_deny');
  expect(evaluatePolicy(otherApi, `${ARN}/POST/mcp`)).toBe('implicit_deny');
  expect(evaluatePolicy(anyAction, `${ARN}/POST/mcp`)).toBe('allow');
});

test('RBAC-4: regex characters in a resource are literal, not patterns', () => {
  // GIVEN a resource containing regex metacharacters
  const statements = [allow(`${ARN}/POST/a.b+(c)`)];
  // WHEN / THEN
  expect(evaluatePolicy(statements, `${ARN}/POST/a.b+(c)`)).toBe('allow');
  expect(evaluatePolicy(statements, `${ARN}/POST/aXbb(c)`)).toBe('implicit_deny');
});

test('wildcardMatch without wildcards is string equality', () => {
  fc.assert(
    fc.property(fc.string().filter((s) => !/[*?]/.test(s)), fc.string(), (pattern, value) => {
      expect(wildcardMatch(pattern, value, false)).toBe(pattern === value);
      expect(wildcardMatch(pattern, pattern, false)).toBe(true);
    }),
  );
});

test('parseAuthorizerResult accepts the API Gateway answer shape, with a single statement object too', () => {
  // GIVEN
  const answer = {
    principalId: 'agent-1',
    policyDocument: { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/*` } },
    context: { agentId: 'agent-1', readOnly: false, n: 3 },
    usageIdentifierKey: 'key-1',
  };
  // WHEN
  const result = parseAuthorizerResult(answer);
  // THEN
  expect(result).toEqual({
    principalId: 'agent-1',
    statements: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/*` }],
    context: { agentId: 'agent-1', readOnly: false, n: 3 },
    usageIdentifierKey: 'key-1',
  });
});

test('fails an answer API Gateway would refuse, naming the field and the value', () => {
  const policyDocument = { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/*` }] };
  expect(() => parseAuthorizerResult(null)).toThrow(AuthorizerConfigurationError);
  expect(() => parseAuthorizerResult({ policyDocument })).toThrow(/principalId must be a non-empty string, got undefined/);
  expect(() => parseAuthorizerResult({ principalId: 'a', policyDocument: { Statement: [] } })).toThrow(/at least one statement/);
  expect(() => parseAuthorizerResult({ principalId: 'a', policyDocument: { Statement: [{ Effect: 'allow', Action: 'x', Resource: 'y' }] } })).toThrow(/Statement\[0\]\.Effect must be Allow or Deny, got "allow"/);
  expect(() => parseAuthorizerResult({ principalId: 'a', policyDocument, context: { scopes: ['read'] } })).toThrow(/context\.scopes must be a string, number or boolean .* got \["read"\]/);
  expect(() => parseAuthorizerResult({ principalId: 'a', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'x', Resource: 'y', Condition: {} }] } })).toThrow(/Condition is not supported/);
});
