/**
 * Reading the credential of a request (AUTH-2, EDGE-3): only from the configured headers, never from
 * the query string, exactly one credential per request, bounded in size before any real work.
 */
import { QueryCredentialCheck } from './query-credentials';
import type { CredentialHeaderName } from './settings';

/** Why a request carries no usable credential; each is a 401 and an audit event. */
export type CredentialRefusal =
  | 'credential_missing'
  | 'credential_in_query'
  | 'credential_repeated'
  | 'credential_conflict'
  | 'credential_oversize'
  | 'credential_malformed'
  | 'credential_too_short';

/** The outcome of reading the credential. */
export type CredentialReading =
  | { readonly ok: true; readonly credential: string; readonly header: CredentialHeaderName }
  | { readonly ok: false; readonly reason: CredentialRefusal; readonly source?: string };

/** The parts of a REST REQUEST authorizer event the credential is read from. */
export interface CredentialCarrier {
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly multiValueHeaders?: Readonly<Record<string, readonly string[] | undefined>> | null;
  readonly queryStringParameters?: Readonly<Record<string, string | undefined>> | null;
  readonly multiValueQueryStringParameters?: Readonly<Record<string, readonly string[] | undefined>> | null;
}

/** How credentials are read. */
export interface CredentialRules {
  /** The headers a credential may come from. */
  readonly headers: readonly CredentialHeaderName[];
  /** Longest header value read (characters); longer is refused unparsed. */
  readonly maxBytes: number;
  /** Shortest credential accepted. */
  readonly minLength: number;
  /** The issued token prefix; a query value starting with it is a credential in the query string. */
  readonly tokenPrefix: string;
}

/**
 * The one spelling of a bearer credential in `Authorization` (RFC 6750 section 2.1): `Bearer`, exactly
 * one space, the token, nothing else. RFC 9110 lets a scheme be written in any case and lets OWS vary,
 * but every variant the authorizer accepted would be another WAF rate-limit key for the same token
 * (EDGE-2): the edge accepts this spelling only, so one token is one counter. (HTTP parsers drop
 * leading and trailing whitespace of a field value before either the WAF or the authorizer sees it.)
 */
const BEARER = /^Bearer ([\x21-\x7e]+)$/;
/** A credential in `X-Access-Token` / `X-API-Key`: visible ASCII, nothing around it. */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

const QUERY_CHECKS = new Map<string, QueryCredentialCheck>();

function queryCheck(tokenPrefix: string): QueryCredentialCheck {
  let check = QUERY_CHECKS.get(tokenPrefix);
  if (!check) {
    check = new QueryCredentialCheck(tokenPrefix);
    QUERY_CHECKS.set(tokenPrefix, check);
  }
  return check;
}

/**
 * Whether a decoded query parameter carries a credential (its name, or a name or value shaped like a
 * token): the shared definition of `query-credentials.ts`, the one the WAF rule applies.
 */
export function isQueryCredential(name: string, value: string | undefined, tokenPrefix: string): boolean {
  return queryCheck(tokenPrefix).carries(name, value);
}

/**
 * Reads the one credential of a request. Header names are matched case-insensitively; `headers` may be
 * null. Refuses a credential in the query string, a repeated credential header, two headers with
 * different credentials, an oversize value (before parsing it) and a malformed or short one.
 */
export function readCredential(event: CredentialCarrier, rules: CredentialRules): CredentialReading {
  const query = queryRefusal(event, rules.tokenPrefix);
  if (query) return query;

  let found: { credential: string; header: CredentialHeaderName } | undefined;
  const seen = new Set<string>();
  const headers = event.headers ?? {};
  for (const key in headers) {
    const name = key.toLowerCase() as CredentialHeaderName;
    if (!rules.headers.includes(name)) continue;
    if (seen.has(name)) return { ok: false, reason: 'credential_repeated', source: name };
    seen.add(name);
    const values = multiValues(event.multiValueHeaders, name);
    if (values > 1) return { ok: false, reason: 'credential_repeated', source: name };
    const value = headers[key];
    if (value === undefined || value === null) continue;
    if (value.length > rules.maxBytes) return { ok: false, reason: 'credential_oversize', source: name };
    const credential = parseHeaderValue(name, value);
    if (credential === undefined) return { ok: false, reason: 'credential_malformed', source: name };
    if (found && found.credential !== credential) return { ok: false, reason: 'credential_conflict', source: name };
    found ??= { credential, header: name };
  }
  if (!found) return { ok: false, reason: 'credential_missing' };
  if (found.credential.length < rules.minLength) return { ok: false, reason: 'credential_too_short', source: found.header };
  return { ok: true, credential: found.credential, header: found.header };
}

function parseHeaderValue(name: CredentialHeaderName, value: string): string | undefined {
  if (name === 'authorization') {
    const match = BEARER.exec(value);
    return match ? match[1] : undefined;
  }
  return TOKEN_CHARS.test(value) ? value : undefined;
}

function multiValues(multi: CredentialCarrier['multiValueHeaders'], name: string): number {
  if (!multi) return 0;
  let count = 0;
  for (const key in multi) {
    if (key.toLowerCase() === name) count += multi[key]?.length ?? 0;
  }
  return count;
}

function queryRefusal(event: CredentialCarrier, tokenPrefix: string): CredentialReading | undefined {
  for (const params of [event.queryStringParameters, event.multiValueQueryStringParameters]) {
    if (!params) continue;
    for (const name in params) {
      const raw = params[name];
      const values = Array.isArray(raw) ? raw : [raw as string | undefined];
      if (values.length === 0 ? isQueryCredential(name, undefined, tokenPrefix) : values.some((v) => isQueryCredential(name, v, tokenPrefix))) {
        // Only a known parameter name is reported: an unknown name may itself be the secret.
        const known = queryCheck(tokenPrefix).isCredentialName(name);
        return { ok: false, reason: 'credential_in_query', source: known ? `query:${name.toLowerCase()}` : 'query:(token-shaped)' };
      }
    }
  }
  return undefined;
}
