import type { PerimeterConfig } from '../../config';

/** The OAuth 2.0 protected resource metadata document (RFC 9728) MCP clients read to learn how to authenticate. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers?: string[];
  readonly bearer_methods_supported: ['header'];
  readonly scopes_supported?: string[];
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The metadata document of a config: the resource is `https://<apiDomainName>/mcp` (or the first route
 * path when there is no `/mcp`), the authorization servers are the configured ones, else the JWT issuer
 * when it is an https URL, else none; bearer tokens travel in a header only (AUTH-2, EDGE-3).
 */
export function protectedResourceMetadata(config: PerimeterConfig): ProtectedResourceMetadata {
  const paths = config.rbac.routes.map((r) => r.path);
  const resourcePath = paths.includes('/mcp') ? '/mcp' : paths[0];
  const jwt = config.auth.jwt;
  const servers = jwt?.authorizationServers ?? (jwt && isHttpsUrl(jwt.issuer) ? [jwt.issuer] : undefined);
  const scopes = config.rbac.scopes ? Object.keys(config.rbac.scopes) : undefined;
  return {
    resource: `https://${config.domain.apiDomainName}${resourcePath}`,
    ...(servers && servers.length > 0 ? { authorization_servers: servers } : {}),
    bearer_methods_supported: ['header'],
    ...(scopes && scopes.length > 0 ? { scopes_supported: scopes } : {}),
  };
}
