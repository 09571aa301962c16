import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { authorizerRoleArn, deploymentRolePattern, keyAdministrationStatement, useByNamedRolesStatement } from './key-policy';

/** Properties of a {@link SecretsKey}. */
export interface SecretsKeyProps {
  /** The stage name, for the key's description. */
  readonly stage: string;
  /**
   * Days a deleted key stays recoverable.
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;
  /**
   * The operators' role (the CLI): may encrypt, decrypt and generate data keys through SSM, to issue,
   * rotate and revoke tokens and set the HS256 secret. @default - none: no principal can write a token record
   */
  readonly operatorRoleArn?: string;
}

/**
 * The customer-managed key of the token records and the HS256 secret (SEC-2): symmetric, rotated
 * every year, kept when the stack is deleted. Its policy lets the account administer it and lets named
 * roles use it, only through DynamoDB (the token table) and SSM Parameter Store (the HS256 secret)
 * (SEC-4): the authorizer's role decrypts, the operators' role (when configured) encrypts and decrypts,
 * and the CDK deployment role creates the token table's grant. What each may read is then decided by
 * {@link TokenStore} grants on those roles.
 */
export class SecretsKey extends Construct {
  /** The key. */
  public readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: SecretsKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const policy = new iam.PolicyDocument({
      statements: [
        keyAdministrationStatement(),
        useByNamedRolesStatement(stack, { sid: 'AuthorizerDecryptsThroughSsm', roleArns: [authorizerRoleArn(stack, props.stage)], actions: ['kms:Decrypt'], viaService: 'ssm' }),
        ...(props.operatorRoleArn
          ? [useByNamedRolesStatement(stack, { sid: 'OperatorsWriteThroughSsm', roleArns: [props.operatorRoleArn], actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], viaService: 'ssm' })]
          : []),
        // The token table (issue 15): DynamoDB encrypts and decrypts with the key through a grant it creates
        // for the table as the role that deploys it (DynamoDB Developer Guide, "Customer managed key: key
        // policy"); then the authorizer reads and the operators write items through DynamoDB.
        useByNamedRolesStatement(stack, { sid: 'DeploymentCreatesTheTokenTableGrant', roleArns: [deploymentRolePattern(stack)], patterns: true, actions: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], viaService: 'dynamodb' }),
        useByNamedRolesStatement(stack, { sid: 'AuthorizerDecryptsThroughDynamoDb', roleArns: [authorizerRoleArn(stack, props.stage)], actions: ['kms:Decrypt', 'kms:DescribeKey'], viaService: 'dynamodb' }),
        ...(props.operatorRoleArn
          ? [useByNamedRolesStatement(stack, { sid: 'OperatorsWriteThroughDynamoDb', roleArns: [props.operatorRoleArn], actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], viaService: 'dynamodb' })]
          : []),
      ],
    });
    this.key = new kms.Key(this, 'Resource', {
      description: `mcp-perimeter ${props.stage}: token table and records, JWT secret (DynamoDB, SSM SecureString)`,
      enableKeyRotation: true,
      pendingWindow: props.pendingWindow ?? Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy,
    });
  }
}
