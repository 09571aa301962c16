/**
 * The kit's one configuration: a zod schema, validated once at the edge (bin/), with errors that name
 * the field and what is allowed. Every other module receives the parsed, typed `PerimeterConfig`.
 */
import { z } from 'zod';
import { findInexpressibleRoutes } from '../../lambda/authorizer/settings';
import { checkAwsLimits } from './checks/aws-limits';
import { checkDeployment } from './checks/deploy';
import { checkAuthorization } from './checks/authorization';
import { checkJwtKeys, KMS_KEY_ARN } from './checks/jwt-keys';
import { checkTraffic } from './checks/traffic';
import { checkToolPolicy, ToolPolicySchema } from './checks/tools';

/** The prefix of the public well-known documents (RFC 9728 protected-resource metadata). */
const WELL_KNOWN_PREFIX = '/.well-known';

/** CloudWatch Logs' allowed retention values of 90 days or more (AUDIT-3: never fewer than 90). */
export const ALLOWED_RETENTION_DAYS = [90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Credential headers the authorizer can read (AUTH-2). Lowercase, as HTTP/2 sends them. */
export const CREDENTIAL_HEADERS = ['authorization', 'x-access-token', 'x-api-key'] as const;

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const ROUTE_PATH = /^\/[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/;
const HTTP_METHODS = ['ANY', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const hostname = (what: string) =>
  z.string().regex(HOSTNAME, `must be a lowercase DNS name for ${what}, like mcp.example.com`);
const acmArn = z.string().regex(ACM_ARN, 'must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)');
const name = z.string().regex(NAME, 'must be a lowercase name: a letter, then letters, digits, _ or - (at most 64)');

const ImageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('directory'),
    /** A folder with a Dockerfile, relative to the project root; built and pushed by `cdk deploy`. */
    path: z.string().min(1, 'must name a folder with a Dockerfile'),
  }).strict(),
  z.object({
    kind: z.literal('registry'),
    /** A registry image reference; pin it by digest (`name@sha256:…`) in production. */
    name: z.string().regex(/^[a-z0-9][a-z0-9._\/:@-]{0,254}$/, 'must be an image reference like public.ecr.aws/org/image:tag or …@sha256:<digest>'),
  }).strict(),
]);

const BackendSchema = z.object({
  /** The backend's name: its target group and container port mapping are named after it. */
  name,
  /** The container port this backend listens on. */
  containerPort: z.number().int().min(1024, 'must be an unprivileged port (1024-65535): the container runs as non-root').max(65535),
  /** Route paths (from `rbac.routes`) served by this backend; the ALB forwards them here. */
  paths: z.array(z.string().regex(ROUTE_PATH, 'must be a path like /mcp')).min(1),
  /** The backend's health check path on the ALB. */
  healthPath: z.string().regex(/^\/[A-Za-z0-9._\/-]*$/, 'must be an absolute path like /health'),
}).strict();

const RouteSchema = z.object({
  /** A path prefix: it matches itself and every subpath. */
  path: z.string().regex(ROUTE_PATH, 'must be a lowercase path like /mcp or /api/v1'),
  /** HTTP methods; `ANY` matches every method. */
  methods: z.array(z.enum(HTTP_METHODS)).min(1),
  /** The permission a caller needs for these methods on this path. */
  permission: name,
}).strict();

const JwtSchema = z.object({
  /**
   * Where the verification key comes from: an external IdP's JWKS (`jwks`, needs `network.egress: nat`),
   * the kit's own KMS asymmetric key (`kms`), or an HS256 secret in SSM SecureString (`hs256`).
   */
  mode: z.enum(['jwks', 'kms', 'hs256']),
  /** Accepted algorithms, pinned: `none` is never accepted. @default - ES256 for kms, RS256+ES256 for jwks, HS256 for hs256 */
  algorithms: z.array(z.enum(['ES256', 'RS256', 'HS256'])).min(1).optional(),
  issuer: z.string().min(1, 'must name the token issuer (the iss claim)'),
  audience: z.string().min(1, 'must name the audience (the aud claim)'),
  /** The IdP's JWKS URL (mode jwks). */
  jwksUrl: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
  /** Longest accepted token lifetime (exp - iat). @default 86400 (24 h) */
  maxLifetimeSeconds: z.number().int().min(60).max(86400, 'must be at most 86400 (24 h)').default(86400),
  /** Accepted clock skew. @default 60 */
  clockSkewSeconds: z.number().int().min(0).max(60, 'must be at most 60 seconds').default(60),
  /** Claims that carry the identity. */
  claims: z.object({
    agentId: z.string().min(1).default('sub'),
    agentType: z.string().min(1).default('agent_type'),
    role: z.string().min(1).default('role'),
    scopes: z.string().min(1).default('scope'),
  }).strict().prefault({}),
  /** Authorization servers advertised in the protected-resource metadata (RFC 9728). @default - the issuer */
  authorizationServers: z.array(z.url({ protocol: /^https$/, error: 'must be an https:// URL' })).optional(),
  /**
   * Mode kms: the generation of the kit's signing key. Raising it creates a new key in the Keys stack
   * (construct `SigningKey<n>`; generation 1 is `SigningKey`) that signs from then on; the old key leaves
   * the template and stays in the account (retained). Checks: lib/config/checks/jwt-keys.ts. @default 1
   */
  signingKeyGeneration: z.number().int().min(1, 'must be 1 or more (1 is the first key)').optional(),
  /**
   * Mode kms, during a key rotation: the ARN of the retired signing key whose JWTs the authorizer still
   * accepts, until `maxLifetimeSeconds` after the rotation. @default - none: only the current key
   */
  previousSigningKeyArn: z.string().regex(KMS_KEY_ARN, "must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>), the retired key's SigningKeyArn output").optional(),
}).strict();

export const PerimeterConfigSchema = z.object({
  /** The stage (environment) name; part of every stack and resource name. */
  stage: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, 'must be 1-20 lowercase letters, digits or -, starting with a letter'),
  /** The AWS account and region to deploy to. @default - environment-agnostic (the CLI's credentials decide) */
  env: z.object({
    account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id').optional(),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region like eu-west-1').optional(),
  }).strict().default({}),
  /** Names and certificates. */
  domain: z.object({
    /** The public name of the MCP endpoint (the API's custom domain). */
    apiDomainName: hostname('the API custom domain'),
    /** ACM certificate for `apiDomainName`, in the deployment region (TLS-4: ACM renews it). */
    apiCertificateArn: acmArn,
    /** Route 53 hosted zone to create the alias record in. @default - no record; point DNS yourself */
    hostedZone: z.object({ id: z.string().regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route 53 hosted zone id like Z0123456789ABC'), name: hostname('the hosted zone') }).strict().optional(),
    /** The internal load balancer's name; API Gateway verifies the ALB's certificate against it (TLS-3). */
    internalDomainName: hostname('the internal load balancer'),
    /** A publicly trusted ACM certificate for `internalDomainName`. */
    internalCertificateArn: acmArn,
  }).strict(),
  /** The MCP server. */
  service: z.object({
    image: ImageSchema.default({ kind: 'directory', path: 'reference-server' }),
    /** Backends behind one perimeter. @default - one backend `mcp` on 8080 serving every route */
    backends: z.array(BackendSchema).min(1).optional(),
    cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)], { error: 'must be one of 256, 512, 1024, 2048, 4096' }).default(256),
    memoryMiB: z.number().int().min(512).max(30720).default(512),
    desiredCount: z.number().int().min(1).max(100).default(2),
    maxCount: z.number().int().min(1).max(100).default(6),
    /** Numeric non-root user the container runs as (WORK-1). */
    user: z.string().regex(/^[1-9]\d{0,9}(:[1-9]\d{0,9})?$/, 'must be a numeric non-root uid or uid:gid, like 1000 or 1000:1000').default('1000:1000'),
    /** Operator shell access with ECS Exec (WORK-3). @default false */
    enableExec: z.boolean().default(false),
    /**
     * Why operators need a shell (required with `enableExec: true`): the reason of the WORK-3 exception in
     * the nag report and the auditor report. At least 20 characters.
     */
    execReason: z.string().trim().min(20, 'must say in at least 20 characters why operators need a shell (WORK-3)').max(500).optional(),
    /** The health path (unauthenticated, WORK-2). */
    healthPath: z.string().regex(/^\/[A-Za-z0-9._\/-]*$/, 'must be an absolute path like /health').default('/health'),
    /** The version the health check reports. */
    version: z.string().regex(/^[A-Za-z0-9._+-]{1,40}$/).default('0.1.0'),
    /**
     * The CPU architecture of the tasks (ECS runtimePlatform) and of the image built from a `directory`
     * (`docker build --platform`): one value for both, so image and task always agree. A `registry` image
     * must be built for it (or be a multi-architecture image). Default `x86_64`: most CI runners build it
     * without emulation; `arm64` (Graviton) is about 20% cheaper on Fargate (AWS Fargate pricing) and builds
     * natively on Apple silicon and arm64 runners. See lib/constructs/service/cpu-architecture.ts.
     */
    cpuArchitecture: z.enum(['x86_64', 'arm64']).default('x86_64'),
    /**
     * For a `registry` image in a private registry other than ECR: the ARN of a Secrets Manager secret
     * holding `{"username": …, "password": …}` (ECS `repositoryCredentials`); the execution role may read it.
     * Refused with ECR images (the execution role pulls those) and with `directory` images.
     * @default - none: ECR, or a public registry
     */
    registryCredentialsSecretArn: z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/, 'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>)').optional(),
    /**
     * How long a streaming MCP response (a long tool call answered with server-sent events) may last, in
     * seconds: the gateway's integration timeout on the MCP routes, the load balancer's idle timeout and
     * the server's keep-alive follow it. At most 900: REST API response streaming lasts 15 minutes at most
     * (API Gateway Developer Guide, "Stream the integration response for your proxy integrations").
     * Regional endpoints also close a stream idle for 5 minutes, so long tool calls should send progress.
     * @default 300
     */
    streamingTimeoutSeconds: z.number().int().min(30, 'must be at least 30 (non-streaming routes keep 29)').max(900, 'must be at most 900 (REST API response streaming lasts 15 minutes at most)').default(300),
    /**
     * Whether the MCP server keeps sessions in a task's memory (`stateful`: an `Mcp-Session-Id` is valid
     * only on the task that issued it) or answers every request on its own (`stateless`, the reference
     * server). A stateful server runs one task unless `sessionSharingReason` says how the tasks share sessions.
     * @default 'stateless'
     */
    sessions: z.enum(['stateless', 'stateful']).default('stateless'),
    /** Why a stateful server may run more than one task (how its tasks share session state), at least 20 characters. @default - none */
    sessionSharingReason: z.string().min(20, 'must say in 20 characters or more how the tasks share session state').max(500).optional(),
  }).strict().prefault({}),
  network: z.object({
    /** Outbound internet: `none` (VPC endpoints only) or `nat` (a NAT gateway per AZ). NET-4. */
    egress: z.enum(['none', 'nat']).default('none'),
    maxAzs: z.number().int().min(2, 'must be at least 2 (high availability)').max(6).default(2),
    cidr: z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-4])$/, 'must be an IPv4 CIDR between /16 and /24').default('10.40.0.0/16'),
  }).strict().prefault({}),
  cors: z.object({
    /** Browser origins allowed to call the API (EDGE-5). `*` is refused. */
    allowedOrigins: z.array(
      z.string().refine((o) => o !== '*', { message: "'*' is not allowed: list each origin (EDGE-5)" })
        .pipe(z.url({ protocol: /^https?$/, error: 'must be an origin like https://app.example.com' }))
        .refine((o) => new URL(o).origin === o, { message: 'must be an origin only (scheme://host[:port]), no path' }),
    ).default([]),
    maxAgeSeconds: z.number().int().min(0).max(86400).default(600),
  }).strict().prefault({}),
  rateLimits: z.object({
    /**
     * Requests per minute from one source IP before WAF answers 429. Hosted MCP clients and office NATs
     * send many agents from one address: the default lets 20 agents, each at the default per-credential
     * limit (60), share one IP (20 x 60 = 1200). Seed 002 (mcp-typescript) sets 30.
     */
    perIpPerMinute: z.number().int().min(10, 'must be at least 10 (the WAF minimum)').max(2_000_000_000).default(1200),
    /** Requests per minute with one credential (seed 000: 60 queries/min per agent). */
    perCredentialPerMinute: z.number().int().min(10, 'must be at least 10 (the WAF minimum)').default(60),
    /** Writes (methods other than GET/HEAD/OPTIONS on write routes) per minute per credential (seed 000: 30). */
    writesPerCredentialPerMinute: z.number().int().min(10, 'must be at least 10 (the WAF minimum)').default(30),
    /** Stage throttling: steady requests per second and burst. */
    stageRatePerSecond: z.number().min(1).default(50),
    stageBurst: z.number().int().min(1).default(100),
    /** Requests per minute from one source IP that carry no credential header (a separate, tighter WAF rule). */
    unauthenticatedPerIpPerMinute: z.number().int().min(10, 'must be at least 10 (the WAF minimum)').max(2_000_000_000).default(30),
  }).strict().prefault({}),
  limits: z.object({
    /** Largest request body accepted at the edge (EDGE-6); seed 000's 10,000 tokens ≈ 40 KB. */
    maxBodyBytes: z.number().int().min(1024).max(65536, 'must be at most 65536 (WAF inspects 64 KB of an API Gateway body)').default(40960),
    /** Largest single credential header accepted (AUTH, EDGE-6). */
    maxCredentialBytes: z.number().int().min(64).max(8192).default(4096),
  }).strict().prefault({}),
  auth: z.object({
    /**
     * The headers a credential may come in (AUTH-2). With one header it is the authorizer's identity source
     * and API Gateway caches decisions for `cacheTtlSeconds`; with several the cache is off, because a cached
     * REQUEST authorizer needs every identity source on every request (API Gateway API reference, Authorizer
     * `identitySource`: unless every one is present and non-empty, a 401 without calling the authorizer).
     * @default ['authorization']
     */
    credentialHeaders: z.array(z.enum(CREDENTIAL_HEADERS)).min(1).default(['authorization']),
    /** Prefix of issued opaque tokens (seed 001: sct_). */
    tokenPrefix: z.string().regex(/^[a-z]{2,8}_$/, 'must be 2-8 lowercase letters and _ like mcp_').default('mcp_'),
    /** Shortest credential accepted (seed 002: 32). */
    minTokenLength: z.number().int().min(32, 'must be at least 32 (AUTH-4)').default(32),
    /** Longest lifetime of an issued opaque token. @default 90 */
    tokenMaxLifetimeDays: z.number().int().min(1).max(365).default(90),
    /** How often the authorizer reloads token records (SEC-3: bounds revocation). */
    refreshSeconds: z.number().int().min(5).max(900).default(60),
    /** How long the last good token snapshot serves when SSM or KMS fail; then every request is refused. */
    maxStaleSeconds: z.number().int().min(60).max(3600).default(900),
    /** API Gateway's authorizer result cache TTL; 0 turns the cache off. */
    cacheTtlSeconds: z.number().int().min(0).max(3600).default(60),
    /** Turns every write permission off (RBAC-3). */
    readOnly: z.boolean().default(false),
    jwt: JwtSchema.optional(),
    /** Per-client usage plans keyed by the authorizer's usageIdentifierKey. @default false */
    usagePlans: z.boolean().default(false),
    /**
     * The IAM role operators (the CLI) use: the only principal besides the authorizer that the key
     * policies let encrypt token records and sign JWTs (SEC-4). @default - none: nobody can issue,
     * rotate or sign until it is set (the account still administers every key)
     */
    operatorRoleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/, 'must be an IAM role ARN like arn:aws:iam::123456789012:role/mcp-operators').optional(),
  }).strict().prefault({}),
  rbac: z.object({
    permissions: z.array(name).min(1).default(['read', 'write', 'admin']),
    /** Permissions that read-only mode removes. */
    writePermissions: z.array(name).default(['write']),
    /**
     * With a scope vocabulary (`scopes`), the permissions a token issued WITHOUT scopes gets (within its
     * role). Deny by default (RBAC-4): none. Ignored without a vocabulary.
     */
    unscopedPermissions: z.array(name).default([]),
    roles: z.record(name, z.array(name)).default({ reader: ['read'], agent: ['read', 'write'], admin: ['read', 'write', 'admin'] }),
    /** Optional scope vocabulary: scope -> permissions (seed 004's TOKEN_SCOPES). */
    scopes: z.record(z.string().regex(/^[A-Za-z0-9._:*-]{1,64}$/), z.array(name)).optional(),
    routes: z.array(RouteSchema).min(1).default([
      { path: '/mcp', methods: ['ANY'], permission: 'read' },
      { path: '/api', methods: ['GET', 'HEAD'], permission: 'read' },
      { path: '/api', methods: ['ANY'], permission: 'write' },
      { path: '/admin', methods: ['ANY'], permission: 'admin' },
    ]),
    /** Tool-level policy of the MCP enforcement point (RBAC-2), see lib/config/checks/tools.ts. */
    tools: ToolPolicySchema.prefault({}),
  }).strict().prefault({}),
  audit: z.object({
    /** Days audit logs are kept (AUDIT-3): 90 or more, a CloudWatch Logs value. */
    logRetentionDays: z.number().refine((d) => (ALLOWED_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `must be one of ${ALLOWED_RETENTION_DAYS.join(', ')} (90 days or more)`,
    }).default(90),
    /** Days ALB access logs are kept in S3. */
    accessLogBucketDays: z.number().int().min(90, 'must be 90 days or more').default(365),
    /** Who the alarms email. @default - no subscription; subscribe to the topic yourself */
    alarmEmail: z.email({ error: 'must be an email address' }).optional(),
    /** Failed authentications per 5 minutes that raise the alarm. */
    authFailureThreshold: z.number().int().min(1).default(20),
  }).strict().prefault({}),
}).strict().superRefine((c, ctx) => {
  // The cross-field checks below read every field as valid (a token prefix builds regexes, routes build
  // policies): they run once every field is, so a bad field gets its own line and nothing else breaks.
  if (ctx.issues.length > 0) return;
  const perms = new Set(c.rbac.permissions);
  for (const [role, ps] of Object.entries(c.rbac.roles)) {
    ps.forEach((p, i) => {
      if (!perms.has(p)) ctx.addIssue({ code: 'custom', path: ['rbac', 'roles', role, i], message: `unknown permission '${p}': must be one of ${[...perms].join(', ')}` });
    });
  }
  for (const [scope, ps] of Object.entries(c.rbac.scopes ?? {})) {
    ps.forEach((p, i) => {
      if (!perms.has(p)) ctx.addIssue({ code: 'custom', path: ['rbac', 'scopes', scope, i], message: `unknown permission '${p}': must be one of ${[...perms].join(', ')}` });
    });
  }
  c.rbac.routes.forEach((r, i) => {
    if (!perms.has(r.permission)) ctx.addIssue({ code: 'custom', path: ['rbac', 'routes', i, 'permission'], message: `unknown permission '${r.permission}': must be one of ${[...perms].join(', ')}` });
  });
  checkAuthorization(c, ctx);
  c.rbac.writePermissions.forEach((p, i) => {
    if (!perms.has(p)) ctx.addIssue({ code: 'custom', path: ['rbac', 'writePermissions', i], message: `unknown permission '${p}': must be one of ${[...perms].join(', ')}` });
  });
  if (c.service.enableExec && !c.service.execReason) {
    ctx.addIssue({ code: 'custom', path: ['service', 'execReason'], message: 'is required when service.enableExec is true: say why operators need a shell; it is the reason of the WORK-3 exception in the reports' });
  }
  // Fargate's cpu/memory pairs: checkAwsLimits (lib/config/checks/aws-limits.ts, lib/limits/aws-limits.ts).
  if (c.service.maxCount < c.service.desiredCount) {
    ctx.addIssue({ code: 'custom', path: ['service', 'maxCount'], message: `must be at least service.desiredCount (${c.service.desiredCount}), got ${c.service.maxCount}` });
  }
  const routePaths = new Set(c.rbac.routes.map((r) => r.path));
  const served = new Map<string, string>();
  (c.service.backends ?? []).forEach((b, i) => {
    b.paths.forEach((p, j) => {
      if (!routePaths.has(p)) ctx.addIssue({ code: 'custom', path: ['service', 'backends', i, 'paths', j], message: `'${p}' is not a path in rbac.routes (${[...routePaths].join(', ')})` });
      if (served.has(p)) ctx.addIssue({ code: 'custom', path: ['service', 'backends', i, 'paths', j], message: `'${p}' is already served by backend '${served.get(p)}'` });
      served.set(p, b.name);
    });
  });
  if (c.service.backends && served.size !== routePaths.size) {
    const missing = [...routePaths].filter((p) => !served.has(p));
    ctx.addIssue({ code: 'custom', path: ['service', 'backends'], message: `every route path needs a backend; none serves ${missing.join(', ')}` });
  }
  // The authorizer's own checks of the route table, run here so that a bad table fails at the config edge.
  const inexpressible = findInexpressibleRoutes(c.rbac.routes);
  if (inexpressible) ctx.addIssue({ code: 'custom', path: ['rbac', 'routes'], message: inexpressible });
  c.rbac.routes.forEach((r, i) => {
    const publicPath = [c.service.healthPath, WELL_KNOWN_PREFIX].find((p) => r.path === p || r.path.startsWith(`${p}/`));
    if (publicPath) {
      ctx.addIssue({ code: 'custom', path: ['rbac', 'routes', i, 'path'], message: `'${r.path}' is public (it is, or lies inside, '${publicPath}', which never reaches the authorizer) and cannot be an authorized route` });
    }
  });
  checkAwsLimits(c, ctx);
  checkDeployment(c, ctx);
  checkTraffic(c, ctx);
  checkToolPolicy(c, ctx);
  checkJwtKeys(c, ctx);
  const jwt = c.auth.jwt;
  if (jwt) {
    if (jwt.mode === 'jwks' && !jwt.jwksUrl) ctx.addIssue({ code: 'custom', path: ['auth', 'jwt', 'jwksUrl'], message: 'is required when auth.jwt.mode is jwks' });
    if (jwt.mode === 'jwks' && c.network.egress !== 'nat') ctx.addIssue({ code: 'custom', path: ['network', 'egress'], message: "must be 'nat' when auth.jwt.mode is jwks: the authorizer fetches the IdP's keys over the internet" });
    const allowed = { jwks: ['ES256', 'RS256'], kms: ['ES256'], hs256: ['HS256'] }[jwt.mode];
    (jwt.algorithms ?? []).forEach((a, i) => {
      if (!allowed.includes(a)) ctx.addIssue({ code: 'custom', path: ['auth', 'jwt', 'algorithms', i], message: `'${a}' is not allowed with mode ${jwt.mode}: use ${allowed.join(' or ')} (no algorithm confusion, AUTH-5)` });
    });
  }
});

/** The config as written in a JSON file (defaults optional). */
export type PerimeterConfigInput = z.input<typeof PerimeterConfigSchema>;
/** The validated config every construct receives. */
export type PerimeterConfig = z.output<typeof PerimeterConfigSchema>;
