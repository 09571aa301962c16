import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { KeysStack } from '../../lib/stacks/keys-stack';
import { appContext, testApp, testConfig, TEST_ENV } from '../fixtures/test-app';

const KMS_JWT = { auth: { jwt: { mode: 'kms', issuer: 'https://issuer.example.com', audience: 'mcp' } } };

function keysStack(overlay: Record<string, unknown> = {}): { stack: KeysStack; template: Template } {
  const stack = new KeysStack(testApp({ bundling: false }), 'Keys', { env: TEST_ENV, config: testConfig(overlay) });
  return { stack, template: Template.fromStack(stack) };
}

test('SEC-2, AUDIT-3: the keys stack holds the audit and secrets keys, both rotated and retained, and no signing key by default', () => {
  // GIVEN / WHEN
  const { stack, template } = keysStack();
  // THEN
  template.resourceCountIs('AWS::KMS::Key', 2);
  template.allResources('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  expect(stack.signingKey).toBeUndefined();
  expect(stack.auditKey).not.toBe(stack.secretsKey);
});

test('AUTH-5: jwt mode kms adds the ES256 signing key, retained', () => {
  // GIVEN / WHEN
  const { stack, template } = keysStack(KMS_JWT);
  // THEN
  template.resourceCountIs('AWS::KMS::Key', 3);
  template.hasResource('AWS::KMS::Key', { Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, DeletionPolicy: 'Retain' });
  expect(stack.signingKey).toBeDefined();
  template.hasOutput('SigningKeyArn', {});
});

test('AUTH-5: with a JWT mode, the issuer and audience the authorizer requires are outputs for the CLI; without one, none', () => {
  // GIVEN / WHEN
  const withJwt = keysStack(KMS_JWT).template;
  const withoutJwt = keysStack().template;
  // THEN
  withJwt.hasOutput('JwtIssuer', { Value: 'https://issuer.example.com' });
  withJwt.hasOutput('JwtAudience', { Value: 'mcp' });
  expect(Object.keys(withoutJwt.findOutputs('*'))).not.toContain('JwtIssuer');
  expect(Object.keys(withoutJwt.findOutputs('*'))).not.toContain('JwtAudience');
});

test('AUTH-5: jwt modes hs256 and jwks get no signing key', () => {
  // GIVEN / WHEN
  const hs256 = keysStack({ auth: { jwt: { mode: 'hs256', issuer: 'https://issuer.example.com', audience: 'mcp' } } });
  // THEN
  hs256.template.resourceCountIs('AWS::KMS::Key', 2);
  expect(hs256.stack.signingKey).toBeUndefined();
});

test('SEC-2: the token store is keyed by the secrets key at the stage\'s path, and its layout is an output for the CLI', () => {
  // GIVEN / WHEN
  const { stack, template } = keysStack({ stage: 'prod' });
  // THEN
  expect(stack.tokenStore.key).toBe(stack.secretsKey);
  expect(stack.tokenStore.tokenPath).toBe('/mcp-perimeter/prod/tokens');
  template.hasOutput('TokenPath', { Value: '/mcp-perimeter/prod/tokens' });
  template.hasOutput('HmacSecretParameterName', { Value: '/mcp-perimeter/prod/jwt/hs256-secret' });
  template.hasOutput('SecretsKeyArn', { Value: { 'Fn::GetAtt': [stack.getLogicalId(stack.secretsKey.node.defaultChild as any), 'Arn'] } });
});

test('SEC-2: the token table\'s generated name is the output TokenTableName (the CLI and the authorizer read it; no fixed name, issue 11)', () => {
  // GIVEN / WHEN
  const { stack, template } = keysStack({ stage: 'prod' });
  // THEN
  const tableId = stack.getLogicalId(stack.tokenStore.table.node.defaultChild as any);
  template.hasOutput('TokenTableName', { Value: { Ref: tableId } });
  template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: Match.absent() });
});

test('SEC-1: nothing secret is in the keys stack: no SSM parameter, no secret', () => {
  // GIVEN / WHEN
  const { template } = keysStack(KMS_JWT);
  // THEN
  template.resourceCountIs('AWS::SSM::Parameter', 0);
  template.resourceCountIs('AWS::SecretsManager::Secret', 0);
});

test('the keys keep stable logical ids (a changed id would replace a retained key)', () => {
  // GIVEN / WHEN
  const { template } = keysStack(KMS_JWT);
  // THEN
  expect(Object.keys(template.findResources('AWS::KMS::Key')).sort()).toEqual(['AuditKeyD462845A', 'SecretsKeyE4821A66', 'SigningKey159D907F'].sort());
});

test('the keys stack synthesizes environment-agnostic when the config names no account or region', () => {
  // GIVEN
  const app = new App({ context: appContext() });
  // WHEN
  const stack = new KeysStack(app, 'Keys', { config: testConfig(KMS_JWT) });
  // THEN
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  expect(JSON.stringify(template.toJSON())).toContain('AWS::Region');
});
