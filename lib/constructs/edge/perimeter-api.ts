import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { API_STAGE_NAME } from './api-stage';
import { EXPOSED_RESPONSE_HEADERS, GATEWAY_SECURITY_HEADERS, staticHeaderValue } from './security-headers';

/** The identity headers the backend receives, from the authorizer's context (AUTH-7). */
export const IDENTITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Mcp-Agent-Id': 'agentId',
  'X-Mcp-Agent-Type': 'agentType',
  'X-Mcp-Role': 'role',
  'X-Mcp-Scopes': 'scopes',
  'X-Mcp-Permissions': 'permissions',
};

/**
 * Credential headers the private integration never forwards (AUTH-2, AUDIT-2): whatever the client
 * sent, the load balancer and the container receive this fixed, non-secret value instead. Integration
 * request parameters override the client's headers on a proxy integration; a static value is written
 * in single quotes (API Gateway Developer Guide, "x-amazon-apigateway-integration.requestParameters
 * object" and "Parameter mapping for REST APIs").
 */
export const CREDENTIAL_HEADERS_REMOVED: readonly string[] = ['Authorization', 'X-Access-Token', 'X-API-Key'];

/** The value the backend sees in place of a credential header. */
export const REMOVED_CREDENTIAL_VALUE = 'removed-at-edge';

/** The access log line: one JSON object per request, with the caller's identity and never a credential. */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  agentId: '$context.authorizer.agentId',
  agentType: '$context.authorizer.agentType',
  role: '$context.authorizer.role',
  tokenId: '$context.authorizer.tokenId',
  authorizerStatus: '$context.authorizer.status',
  authorizerLatency: '$context.authorizer.latency',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
  errorType: '$context.error.responseType',
  wafStatus: '$context.waf.status',
  xrayTraceId: '$context.xrayTraceId',
};

/** A route of the API: its path, and whether responses stream (MCP Streamable HTTP answers with SSE). */
export interface ApiRoute {
  /** The path, like `/mcp`; `ANY <path>` and `ANY <path>/{proxy+}` are created. */
  readonly path: string;
  /** Whether the integration streams the response. @default false */
  readonly streaming?: boolean;
}

/** Properties of a {@link PerimeterApi}. */
export interface PerimeterApiProps {
  /** The public custom domain. */
  readonly domainName: string;
  /** Its ACM certificate ARN, in the API's region (TLS-4). */
  readonly certificateArn: string;
  /** The Route 53 zone for the alias record. @default - no record */
  readonly hostedZone?: { readonly id: string; readonly name: string };
  /** The internal load balancer's name; API Gateway verifies its certificate against it (TLS-3). */
  readonly internalDomainName: string;
  /** The internal load balancer (the integration target). */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** The VPC link V2 to it. */
  readonly vpcLink: apigatewayv2.IVpcLink;
  /** The REQUEST authorizer on every route but the public ones (AUTH-1). */
  readonly authorizer: apigateway.IAuthorizer;
  /** The authorized routes. */
  readonly routes: readonly ApiRoute[];
  /** The unauthenticated health path, proxied to the service (WORK-2). */
  readonly healthPath: string;
  /** The RFC 9728 document served at `/.well-known/oauth-protected-resource`. */
  readonly protectedResourceMetadata: object;
  /** Where JSON access logs go (AUDIT-4). */
  readonly accessLogGroup: ILogGroup;
  /** Stage throttling: steady requests per second. */
  readonly throttlingRateLimit: number;
  /** Stage throttling: burst. */
  readonly throttlingBurstLimit: number;
  /** Browser origins allowed by CORS (never `*`, EDGE-5). @default - no CORS */
  readonly corsAllowedOrigins?: readonly string[];
  /** How long a browser caches a preflight answer. @default Duration.minutes(10) */
  readonly corsMaxAge?: Duration;
  /** Request headers browsers may send when CORS is on. @default - the MCP headers */
  readonly corsAllowedHeaders?: readonly string[];
  /** Per-client usage plans keyed by the authorizer's usage identifier. @default false */
  readonly usagePlans?: boolean;
  /** The API's name (not unique, shown in the console). @default 'mcp-perimeter' */
  readonly restApiName?: string;
  /** The integration timeout. @default Duration.seconds(29) */
  readonly integrationTimeout?: Duration;
  /**
   * The authorizer context key holding the `WWW-Authenticate` challenge of a 403 (RFC 6750 `insufficient_scope`
   * with the scopes that would help); mapped into the ACCESS_DENIED response.
   * @default - a fixed `Bearer error="insufficient_scope"` challenge without scopes
   */
  readonly insufficientScopeContextKey?: string;
  /**
   * The integration timeout of streaming routes, 29 s to 15 minutes (API Gateway Developer Guide, "Set up an
   * HTTP proxy integration with payload response streaming": "you can configure the integration timeout up to
   * 15 minutes"). @default Duration.minutes(5)
   */
  readonly streamingTimeout?: Duration;
}

/** REST API response streaming lasts 15 minutes at most (API Gateway Developer Guide, "Stream the integration response"). */
export const MAX_STREAMING_TIMEOUT_SECONDS = 900;

/**
 * The CORS headers of a gateway response (mapping expressions): none without origins; a static origin for
 * one; the request's `Origin` (with `Vary: Origin`) for several, which needs the web ACL's origin check.
 */
export function corsResponseHeaders(origins: readonly string[]): Record<string, string> {
  if (origins.length === 0) return {};
  return {
    'Access-Control-Allow-Origin': origins.length === 1 ? staticHeaderValue(origins[0]) : 'method.request.header.Origin',
    'Access-Control-Expose-Headers': staticHeaderValue(EXPOSED_RESPONSE_HEADERS.join(', ')),
    'Vary': staticHeaderValue('Origin'),
  };
}

/** The path of the protected-resource metadata document. */
const WELL_KNOWN_PATH = '/.well-known/oauth-protected-resource';

/**
 * The authorizer-protected proxy resources of a route table: one per top-level path segment (`/api` for
 * `/api/v1/tools` and `/api/admin`), streaming when any route under it streams.
 */
export function proxyPrefixes(routes: readonly ApiRoute[]): ApiRoute[] {
  const prefixes = new Map<string, boolean>();
  for (const route of routes) {
    const prefix = `/${route.path.split('/')[1]}`;
    prefixes.set(prefix, (prefixes.get(prefix) ?? false) || (route.streaming ?? false));
  }
  return [...prefixes].map(([path, streaming]) => ({ path, streaming }));
}

/**
 * The public REST API of the perimeter: regional, reachable only through its custom domain (the
 * execute-api endpoint is off) with a TLS 1.3 policy in strict endpoint access mode (TLS-2), X-Ray
 * tracing, metrics, stage throttling and JSON access logs. Every authorized route goes through the
 * REQUEST authorizer and a private HTTPS integration over the VPC link V2 to the internal load balancer
 * (TLS-3); the identity headers the backend trusts are set from the authorizer's context and override
 * whatever the client sent (AUTH-7). The gateway's own responses are generic JSON with the security
 * headers (EDGE-4, EDGE-7); the 401 tells MCP clients where the protected-resource metadata is (RFC 9728).
 */
export class PerimeterApi extends Construct {
  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The custom domain. */
  public readonly domain: apigateway.DomainName;
  /** The deployed stage. */
  public readonly stage: apigateway.Stage;

  private readonly props: PerimeterApiProps;
  private readonly vpcLinkV1View: apigateway.IVpcLink;
  private readonly parameterValidator: apigateway.RequestValidator;

  constructor(scope: Construct, id: string, props: PerimeterApiProps) {
    super(scope, id);
    this.props = props;
    this.validate(props);

    const origins = props.corsAllowedOrigins ?? [];
    this.api = new apigateway.RestApi(this, 'Resource', {
      restApiName: props.restApiName ?? 'mcp-perimeter',
      description: `mcp-perimeter API (${props.domainName})`.replace(/[()]/g, ''),
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      disableExecuteApiEndpoint: true,
      cloudWatchRole: true,
      // The CloudWatch role is an account-wide API Gateway setting: other APIs may rely on it.
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      apiKeySourceType: props.usagePlans ? apigateway.ApiKeySourceType.AUTHORIZER : undefined,
      deployOptions: {
        stageName: API_STAGE_NAME,
        tracingEnabled: true,
        metricsEnabled: true,
        // Execution logs at ERROR only, never request data: headers carry credentials (AUDIT-2).
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(props.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
      defaultCorsPreflightOptions: origins.length > 0 ? {
        allowOrigins: [...origins],
        allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        allowHeaders: [...(props.corsAllowedHeaders ?? ['content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id', 'authorization'])],
        exposeHeaders: [...EXPOSED_RESPONSE_HEADERS],
        maxAge: props.corsMaxAge ?? Duration.minutes(10),
        allowCredentials: false,
      } : undefined,
    });
    this.stage = this.api.deploymentStage;
    // Bodies pass through to the MCP server, which validates JSON-RPC; the gateway checks parameters.
    this.parameterValidator = this.api.addRequestValidator('ParameterValidator', { validateRequestParameters: true, validateRequestBody: false });
    this.vpcLinkV1View = apigateway.VpcLink.fromVpcLinkId(this, 'VpcLinkV2', props.vpcLink.vpcLinkId);
    this.api.latestDeployment?.addToLogicalId({ integrationTarget: props.loadBalancer.loadBalancerArn, vpcLink: props.vpcLink.vpcLinkId });

    this.addHealthRoute();
    this.addProtectedResourceMetadata();
    for (const prefix of proxyPrefixes(props.routes)) this.addAuthorizedRoute(prefix);
    this.addGatewayResponses();
    if (props.usagePlans) {
      this.api.addUsagePlan('UsagePlan', {
        description: 'mcp-perimeter per-client usage plan; keys are issued by the CLI',
        throttle: { rateLimit: props.throttlingRateLimit, burstLimit: props.throttlingBurstLimit },
        apiStages: [{ api: this.api, stage: this.stage }],
      });
    }

    this.domain = new apigateway.DomainName(this, 'Domain', {
      domainName: props.domainName,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      endpointType: apigateway.EndpointType.REGIONAL,
      securityPolicy: apigateway.SecurityPolicy.TLS13_1_2_PFS_PQ_2025_09,
      endpointAccessMode: apigateway.EndpointAccessMode.STRICT,
      mapping: this.api,
    });
    if (props.hostedZone) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZone.id, zoneName: props.hostedZone.name });
      new route53.ARecord(this, 'Alias', {
        zone,
        recordName: props.domainName,
        target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(this.domain)),
      });
    }
  }

  /** `GET <healthPath>`: no authorizer, proxied to the service (WORK-2). */
  private addHealthRoute(): void {
    const resource = this.api.root.resourceForPath(this.props.healthPath);
    this.addPrivateMethod(resource, 'GET', this.props.healthPath, { authorizer: false, proxy: false, streaming: false });
  }

  /**
   * `GET /.well-known/oauth-protected-resource`: no authorizer, a MOCK answering the RFC 9728 document,
   * readable cross-origin by the allowed origins (browser MCP clients discover the authorization server
   * here). With several origins the template echoes `Origin` only when it is one of them.
   */
  private addProtectedResourceMetadata(): void {
    const origins = this.props.corsAllowedOrigins ?? [];
    const cors = corsResponseHeaders(origins);
    const staticHeaders: Record<string, string> = { ...Object.fromEntries(Object.entries(GATEWAY_SECURITY_HEADERS).map(([name, value]) => [name, staticHeaderValue(value)])), 'Cache-Control': staticHeaderValue('max-age=300') };
    for (const [name, value] of Object.entries(cors)) if (value.startsWith("'")) staticHeaders[name] = value;
    const echoOrigin = origins.length > 1
      ? [
        '#set($origin = $input.params().header.get("Origin"))',
        '#if($origin == "")#set($origin = $input.params().header.get("origin"))#end',
        `#if(${origins.map((o) => `$origin == "${o}"`).join(' || ')})`,
        '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
        '#end',
      ].join('\n') + '\n'
      : '';
    const resource = this.api.root.resourceForPath(WELL_KNOWN_PATH);
    resource.addMethod('GET', new apigateway.MockIntegration({
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
      integrationResponses: [{
        statusCode: '200',
        responseTemplates: { 'application/json': echoOrigin + JSON.stringify(this.props.protectedResourceMetadata) },
        responseParameters: Object.fromEntries(Object.entries(staticHeaders).map(([name, value]) => [`method.response.header.${name}`, value])),
      }],
    }), {
      authorizationType: apigateway.AuthorizationType.NONE,
      methodResponses: [{
        statusCode: '200',
        responseParameters: Object.fromEntries([...new Set([...Object.keys(staticHeaders), ...Object.keys(cors)])].map((name) => [`method.response.header.${name}`, true])),
        responseModels: { 'application/json': apigateway.Model.EMPTY_MODEL },
      }],
    });
  }

  /**
   * `ANY <prefix>` and `ANY <prefix>/{proxy+}` through the authorizer, one pair per top-level prefix of
   * the route table: the API stays at four resources per prefix whatever the number of routes (API
   * Gateway's 300 resources per API, CloudFormation's 500 per stack), and the authorizer's policy allows
   * exactly the route table's paths and methods inside the prefix (lambda/authorizer/route-policy.ts).
   */
  private addAuthorizedRoute(route: ApiRoute): void {
    const resource = this.api.root.resourceForPath(route.path);
    const streaming = route.streaming ?? false;
    this.addPrivateMethod(resource, 'ANY', route.path, { authorizer: true, proxy: false, streaming });
    this.addPrivateMethod(resource.addResource('{proxy+}'), 'ANY', `${route.path}/{proxy}`, { authorizer: true, proxy: true, streaming });
  }

  private addPrivateMethod(resource: apigateway.IResource, httpMethod: string, backendPath: string, options: { authorizer: boolean; proxy: boolean; streaming: boolean }): apigateway.Method {
    const requestParameters: Record<string, string> = {};
    if (options.proxy) requestParameters['integration.request.path.proxy'] = 'method.request.path.proxy';
    // Credentials stop at the edge; the request id is the gateway's own, never the client's (AUDIT-1).
    for (const header of CREDENTIAL_HEADERS_REMOVED) requestParameters[`integration.request.header.${header}`] = `'${REMOVED_CREDENTIAL_VALUE}'`;
    requestParameters['integration.request.header.X-Request-Id'] = 'context.requestId';
    if (options.authorizer) {
      for (const [header, key] of Object.entries(IDENTITY_HEADERS)) {
        requestParameters[`integration.request.header.${header}`] = `context.authorizer.${key}`;
      }
    }
    const integration = new apigateway.Integration({
      type: apigateway.IntegrationType.HTTP_PROXY,
      integrationHttpMethod: httpMethod,
      uri: `https://${this.props.internalDomainName}${backendPath}`,
      options: {
        connectionType: apigateway.ConnectionType.VPC_LINK,
        vpcLink: this.vpcLinkV1View,
        requestParameters,
        timeout: options.streaming ? this.props.streamingTimeout ?? Duration.minutes(5) : this.props.integrationTimeout ?? Duration.seconds(29),
        responseTransferMode: options.streaming ? apigateway.ResponseTransferMode.STREAM : undefined,
      },
    });
    const method = resource.addMethod(httpMethod, integration, {
      authorizer: options.authorizer ? this.props.authorizer : undefined,
      authorizationType: options.authorizer ? apigateway.AuthorizationType.CUSTOM : apigateway.AuthorizationType.NONE,
      apiKeyRequired: options.authorizer && this.props.usagePlans ? true : undefined,
      requestParameters: options.proxy ? { 'method.request.path.proxy': true } : undefined,
      requestValidator: this.parameterValidator,
    });
    // No L2 for a VPC link V2 to an ALB: the integration target is the load balancer's ARN.
    (method.node.defaultChild as apigateway.CfnMethod).addPropertyOverride('Integration.IntegrationTarget', this.props.loadBalancer.loadBalancerArn);
    return method;
  }

  /**
   * The gateway's own answers: generic JSON bodies with the security headers (EDGE-4, EDGE-7), readable by
   * the allowed browser origins with the headers an MCP client needs exposed. Gateway responses cannot
   * compute a header: with one origin it is a static value; with several the request's `Origin` is echoed,
   * which is safe only because the web ACL refuses every request whose `Origin` is not allowed
   * (`BlockDisallowedOrigin`), so no other origin ever reaches a gateway response.
   */
  private addGatewayResponses(): void {
    const metadataUrl = `https://${this.props.domainName}${WELL_KNOWN_PATH}`;
    const headers: Record<string, string> = { ...Object.fromEntries(Object.entries(GATEWAY_SECURITY_HEADERS).map(([name, value]) => [name, staticHeaderValue(value)])), ...corsResponseHeaders(this.props.corsAllowedOrigins ?? []) };
    const body = (message: string) => ({ 'application/json': `{"message":"${message}","requestId":"$context.requestId"}` });
    const insufficientScope = this.props.insufficientScopeContextKey
      ? `context.authorizer.${this.props.insufficientScopeContextKey}`
      : staticHeaderValue(`Bearer error="insufficient_scope", resource_metadata="${metadataUrl}"`);
    const responses: Array<[string, apigateway.ResponseType, string, string, Record<string, string>?]> = [
      ['Unauthorized', apigateway.ResponseType.UNAUTHORIZED, '401', 'Unauthorized', { 'WWW-Authenticate': staticHeaderValue(`Bearer resource_metadata="${metadataUrl}"`) }],
      ['AccessDenied', apigateway.ResponseType.ACCESS_DENIED, '403', 'Forbidden', { 'WWW-Authenticate': insufficientScope }],
      // Stage throttling refills every second.
      ['Throttled', apigateway.ResponseType.THROTTLED, '429', 'Too Many Requests', { 'Retry-After': staticHeaderValue('1') }],
      ['NotFound', apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', 'Not Found'],
      ['Default4xx', apigateway.ResponseType.DEFAULT_4XX, '', 'Request refused'],
      ['Default5xx', apigateway.ResponseType.DEFAULT_5XX, '', 'Internal error'],
    ];
    for (const [id, type, statusCode, message, extra] of responses) {
      this.api.addGatewayResponse(id, {
        type,
        statusCode: statusCode || undefined,
        responseHeaders: { ...headers, ...extra },
        templates: body(message),
      });
    }
  }

  private validate(props: PerimeterApiProps): void {
    const paths = props.routes.map((r) => r.path);
    const duplicate = paths.find((p, i) => paths.indexOf(p) !== i);
    if (duplicate) throw new Error(`routes must name each path once, got ${duplicate} twice`);
    if (paths.includes(props.healthPath) || paths.includes(WELL_KNOWN_PATH)) {
      throw new Error(`routes must not include the public paths ${props.healthPath} and ${WELL_KNOWN_PATH}, got ${paths.join(', ')}`);
    }
    for (const origin of props.corsAllowedOrigins ?? []) {
      if (origin === '*') throw new Error("corsAllowedOrigins must list origins, '*' is not allowed (EDGE-5)");
    }
    const streaming = props.streamingTimeout?.toSeconds();
    if (streaming !== undefined && (streaming < 29 || streaming > MAX_STREAMING_TIMEOUT_SECONDS)) {
      throw new Error(`streamingTimeout must be 29 to ${MAX_STREAMING_TIMEOUT_SECONDS} seconds (REST API response streaming lasts 15 minutes at most), got ${streaming}`);
    }
  }
}
