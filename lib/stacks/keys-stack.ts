import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { PerimeterConfig } from '../config';
import { signingKeyConstructId } from '../config/checks/jwt-keys';
import { AuditKey } from '../constructs/keys/audit-key';
import { SecretsKey } from '../constructs/keys/secrets-key';
import { SigningKey } from '../constructs/keys/signing-key';
import { TokenStore } from '../constructs/keys/token-store';

/** Properties of the {@link KeysStack}. */
export interface KeysStackProps extends StackProps {
  /** The validated config of the stage. */
  readonly config: PerimeterConfig;
}

/**
 * Keys and secrets: the audit key, the secrets key, the JWT signing key (jwt mode `kms` only) and the
 * token store's SSM layout. The first stack of the stage; every other stack may reference it.
 * Its outputs tell the operators' CLI where to write token records and with which key.
 */
export class KeysStack extends Stack {
  /** Encrypts every audit log group and the alarm topic (AUDIT-3). */
  public readonly auditKey: IKey;
  /** Encrypts the token records and the HS256 secret in SSM (SEC-2). */
  public readonly secretsKey: IKey;
  /**
   * The ES256 JWT signing key of the current `auth.jwt.signingKeyGeneration` (construct `SigningKey`, then
   * `SigningKey<n>`); only when `config.auth.jwt.mode` is `kms`. Output `SigningKeyArn`: the CLI signs with it.
   */
  public readonly signingKey?: IKey;
  /** The token records' layout and grants (SEC-4). */
  public readonly tokenStore: TokenStore;

  constructor(scope: Construct, id: string, props: KeysStackProps) {
    super(scope, id, props);
    const { config } = props;
    const stage = config.stage;

    this.auditKey = new AuditKey(this, 'AuditKey', { stage }).key;
    this.secretsKey = new SecretsKey(this, 'SecretsKey', { stage, operatorRoleArn: config.auth.operatorRoleArn }).key;
    if (config.auth.jwt?.mode === 'kms') {
      // A new generation is a new construct, so a new key (issue 15); the retired one is RETAINed by CloudFormation.
      const id = signingKeyConstructId(config.auth.jwt.signingKeyGeneration);
      this.signingKey = new SigningKey(this, id, { stage, operatorRoleArn: config.auth.operatorRoleArn }).key;
    }
    this.tokenStore = new TokenStore(this, 'TokenStore', { stage, key: this.secretsKey });

    new CfnOutput(this, 'TokenPath', { value: this.tokenStore.tokenPath, description: 'SSM path of the token records (one SecureString per token)' });
    new CfnOutput(this, 'HmacSecretParameterName', { value: this.tokenStore.hmacSecretParameterName, description: 'SSM name of the HS256 secret (jwt mode hs256)' });
    new CfnOutput(this, 'SecretsKeyArn', { value: this.secretsKey.keyArn, description: 'KMS key to encrypt token records with' });
    if (this.signingKey) {
      new CfnOutput(this, 'SigningKeyArn', { value: this.signingKey.keyArn, description: 'KMS key that signs JWTs (ES256)' });
    }
    // The CLI's `tokens create --jwt` reads these so that what it issues is what the authorizer checks.
    if (config.auth.jwt) {
      new CfnOutput(this, 'JwtIssuer', { value: config.auth.jwt.issuer, description: 'The iss claim the authorizer requires' });
      new CfnOutput(this, 'JwtAudience', { value: config.auth.jwt.audience, description: 'The aud claim the authorizer requires' });
    }
  }
}
