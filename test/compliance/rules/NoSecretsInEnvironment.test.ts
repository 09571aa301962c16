import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Stack } from 'aws-cdk-lib';
import { checkPerimeter, nagStack } from './nag-harness';

function fn(stack: Stack, environment: Record<string, string>): lambda.Function {
  return new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), environment });
}

describe('NoSecretsInEnvironment: no Lambda or container environment value looks like a secret (SEC-1)', () => {
  test('Noncompliance 1: a Lambda with an AWS access key, an mcp_ token and a literal password', () => {
    // GIVEN
    const stack = nagStack();
    fn(stack, {
      AWS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      BOOTSTRAP: 'mcp_9fQk2LrT8wXy3ZpA7bNc4VdE',
      DB_PASSWORD: 'hunter2-hunter2',
      LOG_LEVEL: 'info',
    });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-SEC1')).toEqual(['Test/Fn/Resource[Environment::AWS_KEY_ID]', 'Test/Fn/Resource[Environment::BOOTSTRAP]', 'Test/Fn/Resource[Environment::DB_PASSWORD]']);
  });

  test('Noncompliance 2: a container with a high-entropy value and a secret inside a JSON setting', () => {
    // GIVEN
    const stack = nagStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('mcp', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp:1'),
      environment: { SESSION_SEED: 'q8Zt3Lx9Wm2Rv7Np4Ks6Hd1Fb5Gc0Jy', SETTINGS: JSON.stringify({ issuer: 'https://idp.example.com', clientSecret: 'Sup3r-S3cret-Value!' }) },
    });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-SEC1')).toEqual(['Test/Task/Resource[Environment::mcp.SESSION_SEED]', 'Test/Task/Resource[Environment::mcp.SETTINGS]']);
  });

  test('Compliance: parameter names, ARNs, references, settings JSON with paths, header names and numbers', () => {
    // GIVEN
    const stack = nagStack();
    const parameter = new ssm.StringParameter(stack, 'Settings', { parameterName: '/mcp-perimeter/dev/settings', stringValue: '{}' });
    fn(stack, {
      TOKEN_PARAMETER_PATH: '/mcp-perimeter/dev/tokens/',
      SIGNING_KEY_ARN: 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555',
      SETTINGS_PARAMETER: parameter.parameterName,
      AUTHORIZER_SETTINGS: JSON.stringify({ tokenPath: '/mcp-perimeter/dev/tokens/', tokenHeader: 'X-Access-Token', cacheSeconds: 60 }),
      TOKEN_HEADER: 'X-Access-Token',
      TOKEN_TTL_SECONDS: '86400',
      TOKEN_DIGEST: 'sha256',
    });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-SEC1')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-SEC1')).toEqual(['Test/Fn/Resource']);
  });
});
