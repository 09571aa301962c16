import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TOKEN_ID_INDEX, TOKEN_ITEM, tokenTableName } from '../../../lambda/authorizer/token-item';

/** The root of every SSM parameter the kit reads or writes. */
export const PARAMETER_ROOT = '/mcp-perimeter';

/** Properties of a {@link TokenStore}. */
export interface TokenStoreProps {
  /** The stage (environment) name; the second level of every parameter name. */
  readonly stage: string;
  /** The customer-managed key that encrypts every SecureString of the store (SEC-2). */
  readonly key: IKey;
}

/**
 * Where the token records live (SEC-2).
 *
 * Since issue 15: the table `mcp-perimeter-<stage>-tokens` (DynamoDB, on demand, encrypted with the
 * secrets key, point-in-time recovery, deletion protection, kept when the stack is deleted), one item per
 * token keyed by its digest (lambda/authorizer/token-item.ts), so the authorizer reads only the tokens
 * presented to it. The version-1 SSM layout below stays for the HS256 secrets and for `tokens migrate`,
 * which copies old records into the table.
 *
 * Before issue 15: one SSM SecureString per token at
 * `/mcp-perimeter/<stage>/tokens/<tokenId>`, and the HS256 secret (jwt mode `hs256`) at
 * `/mcp-perimeter/<stage>/jwt/hs256-secret`, all encrypted with the secrets key.
 *
 * CloudFormation cannot create SecureStrings, so this construct creates no parameter: the operators'
 * CLI writes them. It owns the layout and the grants (SEC-4): the authorizer reads, operators manage,
 * and the key can be used only through SSM and only for parameters of this store (kms:ViaService and
 * the `PARAMETER_ARN` encryption context). Grants are identity policies only, so a later stack can
 * grant without editing this stack's key policy.
 */
export class TokenStore extends Construct {
  /** The path under which each token is one parameter, without a trailing slash: `/mcp-perimeter/<stage>/tokens`. */
  public readonly tokenPath: string;
  /** The key that encrypts the token records and the HS256 secret. */
  public readonly key: IKey;
  /** The name of the HS256 verification secret: `/mcp-perimeter/<stage>/jwt/hs256-secret`. */
  public readonly hmacSecretParameterName: string;
  /** The previous HS256 secret during a rotation: `/mcp-perimeter/<stage>/jwt/hs256-secret-previous` (may not exist). */
  public readonly hmacPreviousSecretParameterName: string;
  /** The token table. */
  public readonly table: dynamodb.Table;
  /** Its name, `mcp-perimeter-<stage>-tokens` (fixed, so the CLI and the authorizer's settings need no lookup). */
  public readonly tableName: string;

  constructor(scope: Construct, id: string, props: TokenStoreProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{0,19}$/.test(props.stage)) {
      throw new Error(`stage must be 1-20 lowercase letters, digits or -, starting with a letter, got '${props.stage}'`);
    }
    this.key = props.key;
    this.tokenPath = `${PARAMETER_ROOT}/${props.stage}/tokens`;
    this.hmacSecretParameterName = `${PARAMETER_ROOT}/${props.stage}/jwt/hs256-secret`;
    this.hmacPreviousSecretParameterName = `${this.hmacSecretParameterName}-previous`;
    this.tableName = tokenTableName(props.stage);
    // `Table`, not `TableV2`: TableV2 cannot render a customer-managed key in a region-agnostic stack.
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: this.tableName,
      partitionKey: { name: TOKEN_ITEM.digest, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: TOKEN_ITEM.ttl,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TOKEN_ID_INDEX,
      partitionKey: { name: TOKEN_ITEM.id, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
  }

  /**
   * Lets the grantee (the authorizer) look tokens up: `dynamodb:GetItem` on the table only (no Query, no
   * Scan: it can read the token it was shown, never list them) and `kms:Decrypt` on the key through
   * DynamoDB only.
   */
  public grantLookup(grantee: iam.IGrantable): iam.Grant {
    return this.grantOnTable(grantee, ['dynamodb:GetItem'], [this.table.tableArn], ['kms:Decrypt', 'kms:DescribeKey']);
  }

  /**
   * Lets the grantee (operators, the CLI) issue, list, rotate, revoke and migrate tokens: item reads and
   * writes on the table and its `byId` index, and the key's encrypt/decrypt through DynamoDB only.
   */
  public grantManageTable(grantee: iam.IGrantable): iam.Grant {
    return this.grantOnTable(
      grantee,
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:DescribeTable'],
      [this.table.tableArn, `${this.table.tableArn}/index/*`],
      ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
    );
  }

  private grantOnTable(grantee: iam.IGrantable, actions: string[], resourceArns: string[], kmsActions: string[]): iam.Grant {
    const table = iam.Grant.addToPrincipal({ grantee, actions, resourceArns });
    const kms = iam.Grant.addToPrincipal({
      grantee,
      actions: kmsActions,
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
    });
    return table.combine(kms);
  }

  /** The parameter name of one token record. */
  public tokenParameterName(tokenId: string): string {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(tokenId)) {
      throw new Error(`tokenId must be 1-128 letters, digits, '_', '.' or '-', got '${tokenId}'`);
    }
    return `${this.tokenPath}/${tokenId}`;
  }

  /**
   * Lets the grantee (the authorizer) read every token record: `ssm:GetParametersByPath`,
   * `ssm:GetParameter` and `ssm:GetParameters` on the token path only, and `kms:Decrypt` on the key
   * through SSM for those parameters only.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grantOnParameters(grantee, this.tokenPathArns(), READ_ACTIONS, ['kms:Decrypt'], this.tokenContext());
  }

  /**
   * Lets the grantee (the authorizer, jwt mode `hs256`) read the HS256 secrets: `ssm:GetParameter` on
   * the current and the previous one (rotation) and `kms:Decrypt` through SSM for them.
   */
  public grantReadHmacSecret(grantee: iam.IGrantable): iam.Grant {
    const arns = [this.parameterArn(this.hmacSecretParameterName), this.parameterArn(this.hmacPreviousSecretParameterName)];
    return this.grantOnParameters(grantee, arns, ['ssm:GetParameter'], ['kms:Decrypt'], arns);
  }

  /**
   * Lets the grantee (operators, the CLI) issue, rotate and revoke tokens and set the HS256 secret:
   * put, delete, tag and read on the token path and the secret, and `kms:Encrypt`, `kms:Decrypt`,
   * `kms:GenerateDataKey` on the key through SSM for those parameters only.
   */
  public grantManage(grantee: iam.IGrantable): iam.Grant {
    const secretArns = [this.parameterArn(this.hmacSecretParameterName), this.parameterArn(this.hmacPreviousSecretParameterName)];
    const ssm = this.grantOnParameters(
      grantee,
      [...this.tokenPathArns(), ...secretArns],
      [...READ_ACTIONS, 'ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:DeleteParameters', 'ssm:AddTagsToResource', 'ssm:ListTagsForResource'],
      ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
      [...this.tokenContext(), ...secretArns],
    );
    return ssm.combine(this.grantManageTable(grantee));
  }

  private grantOnParameters(grantee: iam.IGrantable, parameterArns: string[], ssmActions: string[], kmsActions: string[], contextArns: string[]): iam.Grant {
    const region = Stack.of(this).region;
    const ssm = iam.Grant.addToPrincipal({ grantee, actions: ssmActions, resourceArns: parameterArns });
    const kms = iam.Grant.addToPrincipal({
      grantee,
      actions: kmsActions,
      resourceArns: [this.key.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `ssm.${region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': contextArns },
      },
    });
    return ssm.combine(kms);
  }

  /** The path itself (GetParametersByPath is authorized on it) and every parameter below it. */
  private tokenPathArns(): string[] {
    const path = this.parameterArn(this.tokenPath);
    return [path, `${path}/*`];
  }

  private tokenContext(): string[] {
    return [`${this.parameterArn(this.tokenPath)}/*`];
  }

  private parameterArn(name: string): string {
    return Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: name.slice(1),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }
}

const READ_ACTIONS = ['ssm:GetParametersByPath', 'ssm:GetParameter', 'ssm:GetParameters'];
