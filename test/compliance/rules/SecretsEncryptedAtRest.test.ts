import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { checkPerimeter, nagStack } from './nag-harness';

describe('SecretsEncryptedAtRest: symmetric keys rotate, String parameters hold no secret, secrets use a CMK (SEC-2)', () => {
  test('Noncompliance 1: a symmetric key without rotation', () => {
    // GIVEN
    const stack = nagStack();
    new kms.Key(stack, 'Key');
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-SEC2')).toEqual(['Test/Key/Resource[EnableKeyRotation]']);
  });

  test('Noncompliance 2: a token in a plain String parameter, and a secret under the AWS managed key', () => {
    // GIVEN
    const stack = nagStack();
    new ssm.StringParameter(stack, 'Token', { parameterName: '/mcp-perimeter/dev/bootstrap', stringValue: 'sct_k3Jd8Lq2Xw9Zr4Tp7Vb1Nm6Hs' });
    new secretsmanager.Secret(stack, 'Secret');
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-SEC2')).toEqual(['Test/Token/Resource[Value::mcp-token]', 'Test/Secret/Resource[KmsKeyId]']);
  });

  test('Compliance: a rotating symmetric key, an asymmetric signing key, a settings parameter, a secret under a CMK', () => {
    // GIVEN
    const stack = nagStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new kms.Key(stack, 'Signing', { keySpec: kms.KeySpec.ECC_NIST_P256, keyUsage: kms.KeyUsage.SIGN_VERIFY });
    new ssm.StringParameter(stack, 'Settings', { parameterName: '/mcp-perimeter/dev/token-settings', stringValue: JSON.stringify({ path: '/mcp-perimeter/dev/tokens/', ttlDays: 90 }) });
    new secretsmanager.Secret(stack, 'Secret', { encryptionKey: key });
    // WHEN
    const run = checkPerimeter(stack);
    // THEN
    expect(run.violationsOf('McpPerimeter-SEC2')).toEqual([]);
    expect(run.compliantOf('McpPerimeter-SEC2')).toEqual(['Test/Key/Resource', 'Test/Settings/Resource', 'Test/Secret/Resource']);
  });
});
