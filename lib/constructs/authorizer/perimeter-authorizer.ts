import { join } from 'node:path';
import { Duration, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { validateAuthorizerSettings } from '../../../lambda/authorizer/settings';
import { TokenStore } from '../keys/token-store';
import { AuthorizerSettings } from './authorizer-settings';
import { DynamoDbPrefixList } from './dynamodb-prefix-list';
import { BUNDLED_SETTINGS_GLOBAL, deliverSettings } from './settings-delivery';

/** Properties of a {@link PerimeterAuthorizer}. */
export interface PerimeterAuthorizerProps {
  /** The VPC the function runs in (it reaches SSM and KMS through the VPC endpoints). */
  readonly vpc: ec2.IVpc;
  /** The function's subnets. */
  readonly subnets: ec2.SubnetSelection;
  /**
   * The settings (no secret: SEC-1), bundled into the code as JSON; values known only at deploy time go
   * to `AUTHORIZER_SETTING_<n>` environment variables the JSON refers to (see settings-delivery.ts).
   */
  readonly settings: AuthorizerSettings;
  /** The audit log group of the authorizer's decisions (AUDIT-1, AUDIT-3). */
  readonly logGroup: ILogGroup;
  /** The token records the function reads (SEC-4). */
  readonly tokenStore: TokenStore;
  /** The KMS signing key whose public key verifies JWTs (mode kms). @default - no KMS access */
  readonly signingKey?: kms.IKey;
  /** The previous KMS signing key during a key rotation (mode kms). @default - none */
  readonly previousSigningKey?: kms.IKey;
  /**
   * The id of the region's DynamoDB managed prefix list (`com.amazonaws.<region>.dynamodb`, `pl-…`), to
   * narrow the function's HTTPS egress to the token table's service.
   * @default - looked up at deploy time (`DynamoDbPrefixList`, EC2 DescribeManagedPrefixLists)
   */
  readonly tokenTablePrefixListId?: string;
  /** Whether the function reads the token store's HS256 secret (mode hs256). @default false */
  readonly readHmacSecret?: boolean;
  /**
   * Whether the function may open HTTPS connections outside the VPC (an IdP's JWKS).
   * @default false - HTTPS to the VPC's endpoints only
   */
  readonly internetEgress?: boolean;
  /**
   * How long API Gateway caches a decision per credential. Only used when exactly one credential
   * header is accepted: a cached authorizer needs every identity source present, and a client sends
   * one credential header, not all of them.
   * @default Duration.seconds(60)
   */
  readonly resultsCacheTtl?: Duration;
  /** Concurrent executions reserved for the authorizer. @default 25 */
  readonly reservedConcurrentExecutions?: number;
  /** The handler's source file. @default - lambda/authorizer/index.ts of this project */
  readonly entry?: string;
  /**
   * The physical name of the function's role; the keys stack's key policies name this role
   * (`authorizerRoleName`, SEC-4). @default - a generated name
   */
  readonly roleName?: string;
}

/** The template metadata key on the function that shows the bundled settings. */
export const AUTHORIZER_SETTINGS_METADATA = 'McpPerimeter::AuthorizerSettings';

/** The authorizer handler's source, next to its infrastructure. */
export const AUTHORIZER_ENTRY = join(__dirname, '..', '..', '..', 'lambda', 'authorizer', 'index.ts');

/**
 * The identity sources and cache TTL of the REQUEST authorizer for the accepted credential headers.
 * With one header, that header is the identity source and decisions are cached per credential. With
 * several, API Gateway would refuse (401, without calling the function) every request that lacks one
 * of them, so the cache is off, no identity source is listed, and the function itself answers 401 when
 * no credential is present.
 */
export function authorizerIdentity(credentialHeaders: readonly string[], cacheTtl: Duration): { identitySources: string[]; resultsCacheTtl: Duration } {
  if (credentialHeaders.length === 1 && cacheTtl.toSeconds() > 0) {
    return { identitySources: [apigateway.IdentitySource.header(credentialHeaders[0])], resultsCacheTtl: cacheTtl };
  }
  return { identitySources: [], resultsCacheTtl: Duration.seconds(0) };
}

/**
 * The Lambda REQUEST authorizer of the perimeter (AUTH-1 … AUTH-7, RBAC-*): a Node.js function (arm64,
 * bundled and minified with source maps, the AWS SDK left to the runtime) in the VPC with its own
 * security group, reserved concurrency, X-Ray tracing and its logs in the audit log group. It may get
 * one token item at a time from the token table (GetItem, decrypted through DynamoDB), in KMS mode fetch
 * the signing keys' public keys, in HS256 mode read the current and previous secret parameters: nothing
 * else. Every grant is an identity policy, so the
 * keys stack's key policies are never edited from here (no cross-stack cycle).
 */
export class PerimeterAuthorizer extends Construct {
  /** The function. */
  public readonly function: nodejs.NodejsFunction;
  /** The REQUEST authorizer to put on methods. */
  public readonly authorizer: apigateway.RequestAuthorizer;
  /** The function's security group. */
  public readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PerimeterAuthorizerProps) {
    super(scope, id);
    // The Lambda's own schema, at synth: a bad route table fails here, not on the first request.
    // The token table's name is generated by CloudFormation at deploy time (always a valid DynamoDB name),
    // so a stand-in takes its place in this check only; the function gets the real one (settings-delivery.ts).
    const tokenTable = props.settings.tokenTable;
    const checkable = tokenTable !== undefined && Token.isUnresolved(tokenTable) ? { ...props.settings, tokenTable: 'generated-at-deploy' } : props.settings;
    if (!Token.isUnresolved(props.settings.tokenPath)) validateAuthorizerSettings(checkable);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'mcp-perimeter authorizer: HTTPS to the VPC endpoints',
      allowAllOutbound: false,
    });
    this.securityGroup.addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints (SSM, KMS)');
    if (props.internetEgress) {
      // Covers DynamoDB too.
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the identity provider (JWKS)');
    } else {
      // The token table (issue 15) is reached through the VPC's DynamoDB gateway endpoint, whose addresses
      // are the regional DynamoDB managed prefix list: the given id, else the id looked up at deploy time
      // (no synth-time lookup, no credentials at synth).
      const prefixListId = props.tokenTablePrefixListId ?? new DynamoDbPrefixList(this, 'DynamoDbPrefixList', props.logGroup).prefixListId;
      const peer = ec2.Peer.prefixList(prefixListId);
      this.securityGroup.addEgressRule(peer, ec2.Port.tcp(443), 'HTTPS to DynamoDB (token table) through the gateway endpoint');
    }

    const delivery = deliverSettings(props.settings);
    this.function = new nodejs.NodejsFunction(this, 'Resource', {
      entry: props.entry ?? AUTHORIZER_ENTRY,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? 25,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: props.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [this.securityGroup],
      description: 'mcp-perimeter REQUEST authorizer: tokens, JWTs, RBAC, audit events',
      environment: {
        ...delivery.environment,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        // The bench measures a node22 bundle; the Node 24 runtime runs it unchanged.
        target: 'node22',
        format: nodejs.OutputFormat.CJS,
        externalModules: ['@aws-sdk/*'],
        // The settings travel in the code, not the 4 KB environment: a route table of any size deploys.
        define: { [BUNDLED_SETTINGS_GLOBAL]: JSON.stringify(delivery.bundled) },
      },
    });
    // The bundled settings, readable in the template for reviewers and tests (CloudFormation metadata).
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata(AUTHORIZER_SETTINGS_METADATA, JSON.parse(delivery.bundled));

    if (props.roleName) (this.function.role!.node.defaultChild as iam.CfnRole).roleName = props.roleName;
    props.tokenStore.grantLookup(this.function);
    const signingKeys = [props.signingKey, props.previousSigningKey].filter((k): k is kms.IKey => k !== undefined);
    if (signingKeys.length > 0) {
      iam.Grant.addToPrincipal({ grantee: this.function, actions: ['kms:GetPublicKey'], resourceArns: signingKeys.map((k) => k.keyArn) });
    }
    if (props.readHmacSecret) props.tokenStore.grantReadHmacSecret(this.function);

    const requested = props.resultsCacheTtl ?? Duration.seconds(60);
    const identity = authorizerIdentity(props.settings.credentialHeaders, requested);
    // (with several credential headers the cache is off: README's config reference says so, and the synth
    // summary prints the cache state; no annotation, which would ask to be acknowledged)
    this.authorizer = new apigateway.RequestAuthorizer(this, 'RequestAuthorizer', {
      handler: this.function,
      identitySources: identity.identitySources,
      resultsCacheTtl: identity.resultsCacheTtl,
    });
    if (identity.identitySources.length === 0) {
      // No identity source at all (not an empty string): the function sees every request.
      (this.authorizer.node.defaultChild as apigateway.CfnAuthorizer).addPropertyDeletionOverride('IdentitySource');
    }
  }
}
