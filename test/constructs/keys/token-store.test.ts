import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { TokenStore } from '../../../lib/constructs/keys/token-store';
import { testStack } from '../../fixtures/test-app';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const TOKENS = 'arn:aws:ssm:eu-west-1:111111111111:parameter/mcp-perimeter/dev/tokens';
const HMAC = 'arn:aws:ssm:eu-west-1:111111111111:parameter/mcp-perimeter/dev/jwt/hs256-secret';
const HMAC_PREVIOUS = `${HMAC}-previous`;

function store(stack: Stack = testStack()): { stack: Stack; store: TokenStore; role: iam.Role } {
  const key = kms.Key.fromKeyArn(stack, 'SecretsKey', KEY_ARN);
  const role = new iam.Role(stack, 'Grantee', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, store: new TokenStore(stack, 'TokenStore', { stage: 'dev', key }), role };
}

function statements(stack: Stack): any[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

function actionsOf(statement: any): string[] {
  return [statement.Action].flat();
}

test('SEC-2: token records live at /mcp-perimeter/<stage>/tokens/<tokenId>, the HS256 secret at /mcp-perimeter/<stage>/jwt/hs256-secret', () => {
  // GIVEN / WHEN
  const { store: tokens } = store();
  // THEN
  expect(tokens.tokenPath).toBe('/mcp-perimeter/dev/tokens');
  expect(tokens.tokenParameterName('tok_01')).toBe('/mcp-perimeter/dev/tokens/tok_01');
  expect(tokens.hmacSecretParameterName).toBe('/mcp-perimeter/dev/jwt/hs256-secret');
  expect(tokens.key.keyArn).toBe(KEY_ARN);
});

test('SEC-2: the token store creates no parameter (CloudFormation cannot create a SecureString; the CLI writes them)', () => {
  // GIVEN / WHEN
  const { stack } = store();
  // THEN
  Template.fromStack(stack).resourceCountIs('AWS::SSM::Parameter', 0);
});

test('SEC-4: grantRead allows GetParametersByPath, GetParameter and GetParameters on the token path only', () => {
  // GIVEN
  const { stack, store: tokens, role } = store();
  // WHEN
  tokens.grantRead(role);
  // THEN
  const ssm = statements(stack).filter((s) => actionsOf(s).some((a) => a.startsWith('ssm:')));
  expect(ssm).toHaveLength(1);
  expect(actionsOf(ssm[0]).sort()).toEqual(['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath']);
  expect(ssm[0].Resource).toEqual([TOKENS, `${TOKENS}/*`]);
  expect(ssm[0].Effect).toBe('Allow');
});

test('SEC-4: grantRead allows kms:Decrypt on the secrets key only through SSM and only for token records', () => {
  // GIVEN
  const { stack, store: tokens, role } = store();
  // WHEN
  tokens.grantRead(role);
  // THEN
  const kmsStatements = statements(stack).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
  expect(kmsStatements).toEqual([{
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: KEY_ARN,
    Condition: {
      StringEquals: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' },
      StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': [`${TOKENS}/*`] },
    },
  }]);
});

test('SEC-4: grantRead gives no write, no delete and nothing on the HS256 secret', () => {
  // GIVEN
  const { stack, store: tokens, role } = store();
  // WHEN
  tokens.grantRead(role);
  // THEN
  const all = statements(stack);
  const actions = all.flatMap(actionsOf);
  expect(actions.filter((a) => /Put|Delete|Encrypt|GenerateDataKey|\*/.test(a))).toEqual([]);
  expect(JSON.stringify(all)).not.toContain('hs256-secret');
});

test('SEC-4: grantReadHmacSecret allows GetParameter and decrypt of the current and previous HS256 secret parameters', () => {
  // GIVEN
  const { stack, store: tokens, role } = store();
  // WHEN
  tokens.grantReadHmacSecret(role);
  // THEN
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: [HMAC, HMAC_PREVIOUS] },
        {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: KEY_ARN,
          Condition: {
            StringEquals: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' },
            StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': [HMAC, HMAC_PREVIOUS] },
          },
        },
      ]),
    },
  });
});

test('SEC-4: grantManage allows operators to put, delete and read token records and the secret, and to encrypt through SSM', () => {
  // GIVEN
  const { stack, store: tokens, role } = store();
  // WHEN
  tokens.grantManage(role);
  // THEN
  const all = statements(stack);
  const ssm = all.find((s) => actionsOf(s).includes('ssm:PutParameter'));
  expect(actionsOf(ssm)).toEqual(expect.arrayContaining(['ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:GetParametersByPath', 'ssm:GetParameter']));
  expect([...ssm.Resource].sort()).toEqual([HMAC, HMAC_PREVIOUS, TOKENS, `${TOKENS}/*`]);
  const key = all.find((s) => actionsOf(s).includes('kms:Encrypt') && s.Condition.StringLike);
  expect(actionsOf(key).sort()).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
  expect(key.Condition.StringEquals).toEqual({ 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' });
  expect(key.Condition.StringLike['kms:EncryptionContext:PARAMETER_ARN']).toEqual([`${TOKENS}/*`, HMAC, HMAC_PREVIOUS]);
  const table = all.find((s) => actionsOf(s).includes('dynamodb:PutItem'));
  expect(actionsOf(table).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:UpdateItem']);
});

test('SEC-2: the token table is on demand, encrypted with the secrets key, with point-in-time recovery and deletion protection, kept on delete, with no fixed name (a re-created stage makes a new one, issue 11)', () => {
  // GIVEN / WHEN
  const { stack } = store();
  // THEN
  const template = Template.fromStack(stack);
  template.hasResource('AWS::DynamoDB::Table', {
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: Match.objectLike({
      TableName: Match.absent(),
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'digest', KeyType: 'HASH' }],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY_ARN },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true },
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byId', Projection: { ProjectionType: 'KEYS_ONLY' } })],
    }),
  });
});

test('SEC-4: grantLookup allows only dynamodb:GetItem on the table and kms:Decrypt through DynamoDB', () => {
  // GIVEN
  const { stack, store: tokens, role } = store();
  // WHEN
  tokens.grantLookup(role);
  // THEN
  const all = statements(stack);
  expect(all.flatMap(actionsOf).sort()).toEqual(['dynamodb:GetItem', 'kms:Decrypt', 'kms:DescribeKey']);
  expect(all.find((s) => s.Action === 'dynamodb:GetItem').Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TokenStoreTable/), 'Arn'] });
  expect(all.find((s) => actionsOf(s).includes('kms:Decrypt')).Condition).toEqual({ StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' } });
});

test('SEC-4: grants are identity policies only: the key policy of a token store key is not edited by a grant', () => {
  // GIVEN
  const stack = testStack();
  const key = new kms.Key(stack, 'Key');
  const keyPolicy = () => JSON.stringify(stack.resolve((key.node.defaultChild as kms.CfnKey).keyPolicy));
  const before = keyPolicy();
  const tokens = new TokenStore(stack, 'TokenStore', { stage: 'dev', key });
  const role = new iam.Role(stack, 'Grantee', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  // WHEN
  tokens.grantRead(role);
  tokens.grantManage(role);
  // THEN
  expect(keyPolicy()).toBe(before);
  expect(statements(stack).length).toBeGreaterThan(0);
});

test('fails when the stage is not a lowercase name', () => {
  // GIVEN
  const stack = testStack();
  const key = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN);
  // WHEN / THEN
  expect(() => new TokenStore(stack, 'TokenStore', { stage: 'Prod/../x', key })).toThrow(/stage must be 1-20 lowercase letters.*got 'Prod\/\.\.\/x'/);
});

test('fails when a token id would leave the token path', () => {
  // GIVEN
  const { store: tokens } = store();
  // WHEN / THEN
  expect(() => tokens.tokenParameterName('../jwt/hs256-secret')).toThrow(/tokenId must be 1-128 letters.*got '\.\.\/jwt\/hs256-secret'/);
});
