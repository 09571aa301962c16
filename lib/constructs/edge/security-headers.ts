/**
 * The security response headers of the perimeter (EDGE-4), in one place so that the load balancer, the
 * gateway responses and the gateway's own MOCK responses say the same thing.
 *
 * API Gateway static header values are written between single quotes and cannot contain one, so the
 * Content-Security-Policy the gateway sends is `sandbox` (no quoted keywords): for a JSON body it blocks
 * scripts, forms, plugins and popups, and X-Frame-Options DENY forbids framing. The load balancer has no
 * such limit and sends the stricter `default-src 'none'; frame-ancestors 'none'; sandbox`.
 */

/** HSTS: two years, subdomains included. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

/** Headers on every response the gateway makes itself (401, 403, 429, 4xx, 5xx, well-known). */
export const GATEWAY_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Strict-Transport-Security': STRICT_TRANSPORT_SECURITY,
  'Content-Security-Policy': 'sandbox',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'Cache-Control': 'no-store',
};

/**
 * The load balancer's response header attributes (`routing.http.response.<name>.header_value`). The ALB
 * has keys for these four and the CORS headers only; Referrer-Policy and Permissions-Policy are set on
 * the gateway's own responses.
 */
export const LOAD_BALANCER_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  strict_transport_security: STRICT_TRANSPORT_SECURITY,
  content_security_policy: "default-src 'none'; frame-ancestors 'none'; sandbox",
  x_content_type_options: 'nosniff',
  x_frame_options: 'DENY',
};

/** Response headers a browser MCP client must read (Access-Control-Expose-Headers): the auth challenge, the session, the retry hint. */
export const EXPOSED_RESPONSE_HEADERS: readonly string[] = ['WWW-Authenticate', 'Mcp-Session-Id', 'Retry-After'];

/** Quotes a static value for an API Gateway header mapping (`'value'`). @throws when the value holds a quote */
export function staticHeaderValue(value: string): string {
  if (value.includes("'")) {
    throw new Error(`header value must not contain a single quote (API Gateway static values cannot escape it), got ${value}`);
  }
  return `'${value}'`;
}
