import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { authorizerRoleArn, keyAdministrationStatement, useByNamedRolesStatement } from './key-policy';

/** Properties of a {@link SigningKey}. */
export interface SigningKeyProps {
  /** The stage name, for the key's description. */
  readonly stage: string;
  /**
   * Days a deleted key stays recoverable.
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;
  /** The operators' role: may sign JWTs (`jwt issue`). @default - none: nobody can sign */
  readonly operatorRoleArn?: string;
}

/**
 * The kit's own JWT signing key (jwt mode `kms`, AUTH-5: ES256 pinned): asymmetric ECC_NIST_P256,
 * SIGN_VERIFY, kept when the stack is deleted. The private half never leaves KMS. AWS does not rotate
 * asymmetric keys; rotate by issuing a new key: `auth.jwt.signingKeyGeneration` and `previousSigningKeyArn`
 * (SEC-3, README "Token rotation"). Its policy lets the
 * account administer it, the authorizer's role fetch the public key, and the operators' role (when
 * configured) sign and fetch the public key: nobody else may sign, so nobody else can mint a JWT.
 */
export class SigningKey extends Construct {
  /** The key. */
  public readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: SigningKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const policy = new iam.PolicyDocument({
      statements: [
        keyAdministrationStatement(),
        useByNamedRolesStatement(stack, { sid: 'AuthorizerReadsThePublicKey', roleArns: [authorizerRoleArn(stack, props.stage)], actions: ['kms:GetPublicKey'] }),
        ...(props.operatorRoleArn
          ? [useByNamedRolesStatement(stack, { sid: 'OperatorsSign', roleArns: [props.operatorRoleArn], actions: ['kms:Sign', 'kms:GetPublicKey'] })]
          : []),
      ],
    });
    this.key = new kms.Key(this, 'Resource', {
      description: `mcp-perimeter ${props.stage}: JWT signing key (ES256)`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      enableKeyRotation: false,
      pendingWindow: props.pendingWindow ?? Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
      policy,
    });
  }
}
