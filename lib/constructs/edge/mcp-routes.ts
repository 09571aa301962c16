/**
 * Which routes carry MCP (JSON-RPC over Streamable HTTP): the WAF's body rules count there instead of
 * blocking, and their responses stream. A route is an MCP route when its path is `/mcp` or lies under it,
 * the path MCP clients are given (the protected-resource metadata's `resource`).
 */

/** The MCP endpoint's path. */
export const MCP_PATH = '/mcp';

/** The route paths among `routePaths` that serve MCP: `/mcp` and its subpaths. */
export function mcpRoutePaths(routePaths: readonly string[]): string[] {
  return [...new Set(routePaths.filter((p) => p === MCP_PATH || p.startsWith(`${MCP_PATH}/`)))];
}

/** The same paths as the load balancer sees them: as sent, and with the API stage name in front (API Gateway may add it). */
export function mcpPathsBehindStage(routePaths: readonly string[], stageName: string): string[] {
  const paths = mcpRoutePaths(routePaths);
  return [...paths, ...paths.map((p) => `/${stageName}${p}`)];
}
