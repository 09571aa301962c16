import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AuditKey } from '../../../lib/constructs/keys/audit-key';
import { KEY_ADMINISTRATION_ACTIONS } from '../../../lib/constructs/keys/key-policy';
import { SecretsKey } from '../../../lib/constructs/keys/secrets-key';
import { SigningKey } from '../../../lib/constructs/keys/signing-key';
import { testStack } from '../../fixtures/test-app';

const ROOT = { AWS: 'arn:aws:iam::111111111111:root' };

function keyResource(stack: Stack): any {
  const keys = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
  expect(keys).toHaveLength(1);
  return keys[0];
}

function statement(key: any, sid: string): any {
  const found = key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}: ${key.Properties.KeyPolicy.Statement.map((s: any) => s.Sid).join(', ')}`);
  return found;
}

function allActions(key: any): string[] {
  return key.Properties.KeyPolicy.Statement.flatMap((s: any) => [s.Action].flat());
}

test('SEC-2: the secrets key is a symmetric customer-managed key with rotation on, retained on delete', () => {
  // GIVEN
  const stack = testStack();
  // WHEN
  new SecretsKey(stack, 'SecretsKey', { stage: 'dev' });
  // THEN
  const key = keyResource(stack);
  expect(key.Properties.EnableKeyRotation).toBe(true);
  expect(key.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
  expect(key.Properties.PendingWindowInDays).toBe(30);
  expect(key.DeletionPolicy).toBe('Retain');
  expect(key.UpdateReplacePolicy).toBe('Retain');
});

const AUTHORIZER_ROLE = 'arn:aws:iam::111111111111:role/mcp-perimeter-dev-authorizer-eu-west-1';
const OPERATOR_ROLE = 'arn:aws:iam::111111111111:role/mcp-operators';
const DEPLOYMENT_ROLES = 'arn:aws:iam::111111111111:role/cdk-*-cfn-exec-role-111111111111-eu-west-1';

/** The statements that allow a cryptographic action, and to whom (their aws:PrincipalArn or service). */
function users(key: any, action: string): string[] {
  return key.Properties.KeyPolicy.Statement
    .filter((s: any) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => a === action || (a.endsWith('*') && action.startsWith(a.slice(0, -1)))))
    .flatMap((s: any) => s.Principal.Service ? [s.Principal.Service] : [s.Condition?.ArnEquals?.['aws:PrincipalArn'] ?? s.Condition?.ArnLike?.['aws:PrincipalArn'] ?? 'THE WHOLE ACCOUNT'].flat())
    .filter((who: string, i: number, all: string[]) => all.indexOf(who) === i);
}

test.each([
  ['kms:Decrypt', [AUTHORIZER_ROLE, OPERATOR_ROLE, DEPLOYMENT_ROLES]],
  ['kms:Encrypt', [OPERATOR_ROLE, DEPLOYMENT_ROLES]],
  ['kms:GenerateDataKey', [OPERATOR_ROLE, DEPLOYMENT_ROLES]],
  ['kms:ReEncryptFrom', [OPERATOR_ROLE, DEPLOYMENT_ROLES]],
  ['kms:CreateGrant', [DEPLOYMENT_ROLES]],
])('SEC-4: on the secrets key, %s is allowed to exactly %j, through SSM or DynamoDB (the token table) only', (action, expected) => {
  // GIVEN
  const stack = testStack();
  // WHEN
  new SecretsKey(stack, 'SecretsKey', { stage: 'dev', operatorRoleArn: OPERATOR_ROLE });
  // THEN
  const key = keyResource(stack);
  expect(users(key, action).sort()).toEqual([...expected].sort());
  for (const s of key.Properties.KeyPolicy.Statement.filter((x: any) => x.Sid !== 'KeyAdministrationByTheAccount')) {
    expect(['ssm.eu-west-1.amazonaws.com', 'dynamodb.eu-west-1.amazonaws.com']).toContain(s.Condition.StringEquals['kms:ViaService']);
    expect(s.Condition.StringEquals['kms:CallerAccount']).toBe('111111111111');
  }
  expect(allActions(key)).not.toContain('kms:*');
});

test('SEC-4: without auth.operatorRoleArn, only the authorizer may use the secrets key (decrypt) and nobody may write a token record', () => {
  // GIVEN
  const stack = testStack();
  // WHEN
  new SecretsKey(stack, 'SecretsKey', { stage: 'dev' });
  // THEN
  const key = keyResource(stack);
  expect(users(key, 'kms:Decrypt').sort()).toEqual([AUTHORIZER_ROLE, DEPLOYMENT_ROLES].sort());
  // (the deployment roles create the token table's grant; no person may write a record)
  expect(users(key, 'kms:Encrypt')).toEqual([DEPLOYMENT_ROLES]);
  expect(users(key, 'kms:GenerateDataKey')).toEqual([DEPLOYMENT_ROLES]);
});

test('SEC-4: key administration allows no cryptographic use and no kms:CreateGrant', () => {
  // GIVEN
  const stack = testStack();
  // WHEN
  new SecretsKey(stack, 'SecretsKey', { stage: 'dev' });
  // THEN
  const admin = statement(keyResource(stack), 'KeyAdministrationByTheAccount');
  expect(admin.Principal).toEqual(ROOT);
  expect(admin.Condition).toBeUndefined();
  const actions: string[] = [admin.Action].flat();
  expect(actions.sort()).toEqual([...KEY_ADMINISTRATION_ACTIONS].sort());
  for (const forbidden of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:Sign', 'kms:CreateGrant', 'kms:*']) {
    expect(actions).not.toContain(forbidden);
  }
  expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  expect(actions).toEqual(expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:EnableKeyRotation']));
});

test('AUDIT-3: the audit key is a symmetric customer-managed key with rotation on, retained on delete', () => {
  // GIVEN
  const stack = testStack();
  // WHEN
  new AuditKey(stack, 'AuditKey', { stage: 'dev' });
  // THEN
  const key = keyResource(stack);
  expect(key.Properties.EnableKeyRotation).toBe(true);
  expect(key.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
  expect(key.DeletionPolicy).toBe('Retain');
});

test('AUDIT-3: the audit key lets CloudWatch Logs of the region use it for this account\'s log groups only', () => {
  // GIVEN
  const stack = testStack();
  // WHEN
  new AuditKey(stack, 'AuditKey', { stage: 'dev' });
  // THEN
  const logs = statement(keyResource(stack), 'CloudWatchLogsEncryptsThisAccountsLogGroups');
  expect(logs.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
  expect(logs.Action).toEqual(expect.arrayContaining(['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*']));
  expect(logs.Condition).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:111111111111:log-group:*' } });
});

test('AUDIT-5: the audit key lets CloudWatch alarms publish to the encrypted alarm topic, and nobody else use it', () => {
  // GIVEN
  const stack = testStack();
  // WHEN
  new AuditKey(stack, 'AuditKey', { stage: 'dev' });
  // THEN
  const key = keyResource(stack);
  const alarms = statement(key, 'CloudWatchAlarmsPublishToTheEncryptedTopic');
  expect(alarms.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
  expect(alarms.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  expect(alarms.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*' } });
  const principals = key.Properties.KeyPolicy.Statement.map((s: any) => JSON.stringify(s.Principal));
  expect(principals.sort()).toEqual([JSON.stringify(ROOT), JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }), JSON.stringify({ Service: 'logs.eu-west-1.amazonaws.com' })].sort());
  expect(allActions(key)).not.toContain('kms:*');
});

test('AUTH-5: the signing key is an ECC_NIST_P256 SIGN_VERIFY key, retained on delete', () => {
  // GIVEN
  const stack = testStack();
  // WHEN
  new SigningKey(stack, 'SigningKey', { stage: 'dev' });
  // THEN
  const key = keyResource(stack);
  expect(key.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
  expect(key.Properties.EnableKeyRotation).toBeFalsy();
  expect(key.DeletionPolicy).toBe('Retain');
});

test.each([
  ['with an operators\' role', OPERATOR_ROLE, { 'kms:Sign': [OPERATOR_ROLE], 'kms:GetPublicKey': [AUTHORIZER_ROLE, OPERATOR_ROLE], 'kms:Verify': [] }],
  ['without one', undefined, { 'kms:Sign': [], 'kms:GetPublicKey': [AUTHORIZER_ROLE], 'kms:Verify': [] }],
])('SEC-4: on the signing key %s, only the named roles sign or read the public key: no other principal can mint a JWT', (_case, operatorRoleArn, expected) => {
  // GIVEN
  const stack = testStack();
  // WHEN
  new SigningKey(stack, 'SigningKey', { stage: 'dev', operatorRoleArn });
  // THEN
  const key = keyResource(stack);
  for (const [action, roles] of Object.entries(expected)) expect(users(key, action).sort()).toEqual([...roles].sort());
  expect(allActions(key)).not.toContain('kms:*');
});
