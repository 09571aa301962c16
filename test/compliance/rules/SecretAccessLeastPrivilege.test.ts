import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Stack } from 'aws-cdk-lib';
import { checkPerimeter, nagStack } from './nag-harness';

function role(stack: Stack): iam.Role {
  return new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

describe('SecretAccessLeastPrivilege: parameter access is scoped to paths, decrypt on * needs a condition (SEC-4)', () => {
  test('Noncompliance 1: ssm:GetParameter* on every resource', () => {
    // GIVEN
    const stack = nagStack();
    role(stack).addToPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter*'], resources: ['*'] }));
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-SEC4')).toEqual(['Test/Role/DefaultPolicy/Resource[ParameterAccess::ssm:GetParameter*]']);
  });

  test('Noncompliance 2: ssm:PutParameter on parameter/* and kms:Decrypt on every key, in an inline role policy', () => {
    // GIVEN
    const stack = nagStack();
    new iam.Role(stack, 'Operators', {
      assumedBy: new iam.AccountRootPrincipal(),
      inlinePolicies: {
        tokens: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ actions: ['ssm:PutParameter'], resources: ['arn:aws:ssm:eu-west-1:111111111111:parameter/*'] }),
            new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] }),
          ],
        }),
      },
    });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-SEC4')).toEqual(['Test/Operators/Resource[ParameterAccess::ssm:PutParameter]', 'Test/Operators/Resource[DecryptAnyKey::kms:Decrypt]']);
  });

  test('Compliance: reads of one parameter path and one parameter, decrypt with one key or via SSM only', () => {
    // GIVEN
    const stack = nagStack();
    const r = role(stack);
    r.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter', 'ssm:GetParametersByPath'], resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: 'mcp-perimeter/dev/tokens/*' })] }));
    ssm.StringParameter.fromStringParameterName(stack, 'Settings', '/mcp-perimeter/dev/settings').grantRead(r);
    new kms.Key(stack, 'Key', { enableKeyRotation: true }).grantDecrypt(r);
    r.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEquals: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' } } }));
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-SEC4')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-SEC4')).toEqual(['Test/Role/Resource', 'Test/Role/DefaultPolicy/Resource']);
  });
});
