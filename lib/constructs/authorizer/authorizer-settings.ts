import type { AuthorizerSettings } from '../../../lambda/authorizer/settings';
import type { PerimeterConfig } from '../../config';

export type { AuthorizerSettings };

/** Where the authorizer finds its keys and records; resources of the keys stack. */
export interface AuthorizerResources {
  /** The SSM path of the token records, `/mcp-perimeter/<stage>/tokens`. */
  readonly tokenPath: string;
  /** The token table (issue 15). @default - `mcp-perimeter-<stage>-tokens`, the name the keys stack gives it */
  readonly tokenTable?: string;
  /** The signing key's id or ARN; required when `auth.jwt.mode` is `kms`. @default - none */
  readonly kmsKeyId?: string;
  /** The retired signing key's ARN during a key rotation (mode kms, `auth.jwt.previousSigningKeyArn`). @default - none */
  readonly previousKmsKeyId?: string;
  /** The SSM SecureString name of the HS256 secret; required when `auth.jwt.mode` is `hs256`. @default - none */
  readonly hmacSecretParameter?: string;
}

/** The path of the protected-resource metadata document (RFC 9728), public like the health check. */
export const PROTECTED_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

/**
 * The MCP endpoint (Streamable HTTP): reads travel as POSTs, so read-only mode keeps its methods and
 * leaves non-read tools to the MCP server's tool policy (RBAC-3).
 */
export const MCP_ENDPOINT_PATH = '/mcp';

const DEFAULT_ALGORITHMS = { jwks: ['RS256', 'ES256'], kms: ['ES256'], hs256: ['HS256'] } as const;

/**
 * The authorizer's settings for a config (typed by the Lambda's own settings schema, so the contract
 * cannot drift): a pure function, so tests and the local perimeter build the
 * same JSON the stack writes.
 * @throws when the JWT mode needs a resource that was not given
 */
export function authorizerSettingsFromConfig(config: PerimeterConfig, resources: AuthorizerResources): AuthorizerSettings {
  const jwt = config.auth.jwt;
  if (jwt?.mode === 'kms' && !resources.kmsKeyId) {
    throw new Error("kmsKeyId is required when auth.jwt.mode is 'kms' (the keys stack's signing key), got nothing");
  }
  if (jwt?.mode === 'hs256' && !resources.hmacSecretParameter) {
    throw new Error("hmacSecretParameter is required when auth.jwt.mode is 'hs256' (the token store's secret name), got nothing");
  }
  return {
    stage: config.stage,
    tokenPath: resources.tokenPath,
    ...(resources.tokenTable ? { tokenTable: resources.tokenTable } : {}),
    tokenPrefix: config.auth.tokenPrefix,
    minTokenLength: config.auth.minTokenLength,
    maxCredentialBytes: config.limits.maxCredentialBytes,
    credentialHeaders: [...config.auth.credentialHeaders],
    permissions: [...config.rbac.permissions],
    writePermissions: [...config.rbac.writePermissions],
    readOnly: config.auth.readOnly,
    mcpPaths: config.rbac.routes.some((r) => r.path === MCP_ENDPOINT_PATH) ? [MCP_ENDPOINT_PATH] : [],
    unscopedPermissions: [...config.rbac.unscopedPermissions],
    tokenMaxLifetimeDays: config.auth.tokenMaxLifetimeDays,
    roles: Object.fromEntries(Object.entries(config.rbac.roles).map(([role, ps]) => [role, [...ps]])),
    ...(config.rbac.scopes ? { scopes: Object.fromEntries(Object.entries(config.rbac.scopes).map(([s, ps]) => [s, [...ps]])) } : {}),
    routes: config.rbac.routes.map((r) => ({ path: r.path, methods: [...r.methods], permission: r.permission })),
    publicPaths: [config.service.healthPath, PROTECTED_RESOURCE_METADATA_PATH],
    refreshSeconds: config.auth.refreshSeconds,
    maxStaleSeconds: config.auth.maxStaleSeconds,
    usageIdentifier: config.auth.usagePlans,
    ...(jwt ? {
      jwt: {
        mode: jwt.mode,
        algorithms: [...(jwt.algorithms ?? DEFAULT_ALGORITHMS[jwt.mode])],
        issuer: jwt.issuer,
        audience: jwt.audience,
        ...(jwt.mode === 'jwks' ? { jwksUrl: jwt.jwksUrl } : {}),
        ...(jwt.mode === 'kms' ? { kmsKeyId: resources.kmsKeyId } : {}),
        ...(jwt.mode === 'kms' && resources.previousKmsKeyId ? { previousKmsKeyId: resources.previousKmsKeyId } : {}),
        ...(jwt.mode === 'hs256' ? { hmacSecretParameter: resources.hmacSecretParameter } : {}),
        maxLifetimeSeconds: jwt.maxLifetimeSeconds,
        clockSkewSeconds: jwt.clockSkewSeconds,
        claims: { ...jwt.claims },
      },
    } : {}),
  };
}
