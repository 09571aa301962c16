import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { authorizerRoleArn, keyAdministrationStatement, useByNamedRolesStatement } from './key-policy';

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
 * every year, kept when the stack is deleted. Its policy lets the account administer it and lets two
 * named roles use it, only through SSM Parameter Store (SEC-4): the authorizer's role decrypts, the
 * operators' role (when configured) encrypts and decrypts. Which parameters each may read is then
 * decided by {@link TokenStore} grants on those roles.
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
      ],
    });
    this.key = new kms.Key(this, 'Resource', {
      description: `mcp-perimeter ${props.stage}: token records and JWT secret (SSM SecureString)`,
      enableKeyRotation: true,
      pendingWindow: props.pendingWindow ?? Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy,
    });
  }
}
