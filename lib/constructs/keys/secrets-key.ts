import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { keyAdministrationStatement, useThroughServiceStatement } from './key-policy';

/** Properties of a {@link SecretsKey}. */
export interface SecretsKeyProps {
  /** The stage name, for the key's description. */
  readonly stage: string;
  /**
   * Days a deleted key stays recoverable.
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;
}

/**
 * The customer-managed key of the token records and the HS256 secret (SEC-2): symmetric, rotated
 * every year, kept when the stack is deleted. Its policy lets the account administer it and lets IAM
 * policies grant its use only through SSM Parameter Store (SEC-4); who may read which parameter is
 * then decided by {@link TokenStore} grants.
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
        useThroughServiceStatement(stack, 'ssm', ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']),
        // The token table (issue 15): DynamoDB encrypts with the key through grants it creates for the table
        // (DynamoDB developer guide, "Customer managed key: key policy").
        useThroughServiceStatement(stack, 'dynamodb', ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant']),
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
