import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { PerimeterConfig } from '../config';
import { AuditLog } from '../constructs/audit/audit-log';
import { authorizerSettingsFromConfig } from '../constructs/authorizer/authorizer-settings';
import { PerimeterAuthorizer } from '../constructs/authorizer/perimeter-authorizer';
import { PerimeterApi } from '../constructs/edge/perimeter-api';
import { protectedResourceMetadata } from '../constructs/edge/protected-resource-metadata';
import { mcpRoutePaths } from '../constructs/edge/mcp-routes';
import { FirewallTarget, WebFirewall } from '../constructs/edge/web-firewall';
import { authorizerRoleName } from '../constructs/keys/key-policy';
import { writeToolPatterns } from '../config/checks/tools';
import { TokenStore } from '../constructs/keys/token-store';
import { workloadSubnets } from '../constructs/service/workload-subnets';

/** Properties of the {@link EdgeStack}. */
export interface EdgeStackProps extends StackProps {
  /** The validated config. */
  readonly config: PerimeterConfig;
  /** The network stack's VPC. */
  readonly vpc: ec2.IVpc;
  /** The audit stack's log destinations. */
  readonly auditLog: AuditLog;
  /** The service stack's internal load balancer. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** Its HTTPS listener. */
  readonly listener: elbv2.IApplicationListener;
  /** The service stack's VPC link V2 to the load balancer. */
  readonly vpcLink: apigatewayv2.IVpcLink;
  /** The keys stack's token store. */
  readonly tokenStore: TokenStore;
  /** The keys stack's JWT signing key (only when `auth.jwt.mode` is `kms`). @default - none */
  readonly signingKey?: kms.IKey;
  /** The authorizer handler's source file. @default - lambda/authorizer/index.ts */
  readonly authorizerEntry?: string;
}


/**
 * The public edge: the REST API with its custom domain, the Lambda REQUEST authorizer and the stage's
 * WAF web ACL.
 */
export class EdgeStack extends Stack {
  /** The REST API. */
  public readonly api: apigateway.IRestApi;
  /** The authorizer. */
  public readonly authorizer: PerimeterAuthorizer;
  /** The stage's web ACL. */
  public readonly firewall: WebFirewall;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config, auditLog, tokenStore } = props;
    const jwtMode = config.auth.jwt?.mode;
    if (jwtMode === 'kms' && !props.signingKey) {
      throw new Error("signingKey is required when auth.jwt.mode is 'kms' (the keys stack's signing key), got nothing");
    }

    const hmacSecretParameter = jwtMode === 'hs256' ? tokenStore.hmacSecretParameterName : undefined;
    // During a signing key rotation the retired key (no longer in the Keys stack's template, retained in the
    // account, its own key policy unchanged) still verifies: GetPublicKey on both, current tried first.
    const previousArn = jwtMode === 'kms' ? config.auth.jwt?.previousSigningKeyArn : undefined;
    const previousSigningKey = previousArn ? kms.Key.fromKeyArn(this, 'PreviousSigningKey', previousArn) : undefined;
    this.authorizer = new PerimeterAuthorizer(this, 'Authorizer', {
      vpc: props.vpc,
      subnets: workloadSubnets(config.network.egress),
      settings: authorizerSettingsFromConfig(config, {
        tokenPath: tokenStore.tokenPath,
        tokenTable: tokenStore.tableName,
        kmsKeyId: jwtMode === 'kms' ? props.signingKey?.keyArn : undefined,
        previousKmsKeyId: previousSigningKey?.keyArn,
        hmacSecretParameter,
      }),
      logGroup: auditLog.authorizerLogGroup,
      tokenStore,
      signingKey: jwtMode === 'kms' ? props.signingKey : undefined,
      previousSigningKey,
      readHmacSecret: jwtMode === 'hs256',
      internetEgress: jwtMode === 'jwks',
      resultsCacheTtl: Duration.seconds(config.auth.cacheTtlSeconds),
      entry: props.authorizerEntry,
      roleName: authorizerRoleName(config.stage, this.region),
    });

    const routePaths = [...new Set(config.rbac.routes.map((r) => r.path))];
    // The MCP routes stream (Streamable HTTP answers with server-sent events).
    const streamingPaths = new Set(mcpRoutePaths(routePaths));
    const api = new PerimeterApi(this, 'Api', {
      restApiName: `mcp-perimeter-${config.stage}`,
      domainName: config.domain.apiDomainName,
      certificateArn: config.domain.apiCertificateArn,
      hostedZone: config.domain.hostedZone,
      internalDomainName: config.domain.internalDomainName,
      loadBalancer: props.loadBalancer,
      vpcLink: props.vpcLink,
      authorizer: this.authorizer.authorizer,
      routes: routePaths.map((path) => ({ path, streaming: streamingPaths.has(path) })),
      streamingTimeout: Duration.seconds(config.service.streamingTimeoutSeconds),
      healthPath: config.service.healthPath,
      protectedResourceMetadata: protectedResourceMetadata(config),
      accessLogGroup: auditLog.apiAccessLogGroup,
      throttlingRateLimit: config.rateLimits.stageRatePerSecond,
      throttlingBurstLimit: config.rateLimits.stageBurst,
      corsAllowedOrigins: config.cors.allowedOrigins,
      corsMaxAge: Duration.seconds(config.cors.maxAgeSeconds),
      corsAllowedHeaders: ['content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id', ...config.auth.credentialHeaders],
      usagePlans: config.auth.usagePlans,
      // The authorizer puts the 403's insufficient_scope challenge in its context (lambda/authorizer/insufficient-scope.ts).
      insufficientScopeContextKey: 'wwwAuthenticate',
    });
    this.api = api.api;

    const writePermissions = new Set(config.rbac.writePermissions);
    this.firewall = new WebFirewall(this, 'Firewall', {
      target: FirewallTarget.API_GATEWAY,
      resourceArn: api.stage.stageArn,
      logGroup: auditLog.wafLogGroup,
      credentialHeaders: config.auth.credentialHeaders,
      maxCredentialBytes: config.limits.maxCredentialBytes,
      tokenPrefix: config.auth.tokenPrefix,
      maxBodyBytes: config.limits.maxBodyBytes,
      mcpPaths: [...streamingPaths],
      allowedOrigins: config.cors.allowedOrigins,
      rateLimits: {
        perIpPerMinute: config.rateLimits.perIpPerMinute,
        perCredentialPerMinute: config.rateLimits.perCredentialPerMinute,
        writesPerCredentialPerMinute: config.rateLimits.writesPerCredentialPerMinute,
        writePaths: [...new Set(config.rbac.routes.filter((r) => writePermissions.has(r.permission)).map((r) => r.path))],
        unauthenticatedPerIpPerMinute: config.rateLimits.unauthenticatedPerIpPerMinute,
      },
      toolCallLimit: { writeToolPatterns: writeToolPatterns(config.rbac.tools), perCredentialPerMinute: config.rateLimits.writesPerCredentialPerMinute },
    });
    // The stage ARN is a formatted string, not a reference: wait for the stage explicitly.
    this.firewall.association.node.addDependency(api.stage);
  }
}
