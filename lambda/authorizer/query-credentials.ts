/**
 * Credentials in the query string (EDGE-3): ONE definition, shared by the WAF rule
 * (`BlockCredentialsInQuery`), the authorizer and the local gateway, so that what the edge blocks and
 * what the authorizer refuses cannot drift.
 *
 * The definition is a list of regular expressions over a query string that has been URL-decoded and
 * lowercased (WAF's `URL_DECODE` then `LOWERCASE` text transformations). A query string carries a
 * credential when any of them matches:
 * - a parameter NAMED like a credential (`access_token`, `accessToken`, `x-api-key`, `auth_token`,
 *   `credentials`, `client_secret` …: see {@link CREDENTIAL_NAME_ALTERNATIVES}), with or without a
 *   value, with or without `[]`;
 * - a parameter name or value SHAPED like a token: the issued token prefix followed by 16 or more
 *   base64url characters (`?state=mcp_…`), or a JWT (`eyJ….….`).
 *
 * The authorizer applies the same expressions, case-insensitively, to each decoded parameter written
 * as `name=value`. Every such string is a substring of the WAF's decoded query string bounded by `&`
 * or its ends, and every expression is anchored on `^`, `&` or `=` and ends on `=`, `&` or `$` (or
 * is open-ended), so whatever the authorizer refuses the WAF blocks too: the check holds when the
 * authorizer's decision comes from API Gateway's cache, because WAF inspects every request.
 *
 * Each expression is at most {@link MAX_WAF_REGEX_CHARS} characters: AWS WAF quotas, "Maximum number
 * of characters allowed in a regex pattern: 200" (a fixed quota; the API schema's 512 is not what WAF
 * accepts), https://docs.aws.amazon.com/waf/latest/developerguide/limits.html.
 */

/**
 * The longest regular expression WAF accepts, in characters. Source: AWS WAF Developer Guide, "AWS WAF
 * quotas" (https://docs.aws.amazon.com/waf/latest/developerguide/limits.html), fixed quota "Maximum
 * number of characters allowed in a regex pattern": 200.
 */
export const MAX_WAF_REGEX_CHARS = 200;

/**
 * Credential parameter names as regular expression alternatives over a lowercased name; `[-_]?` stands
 * for an optional separator, so `access_token`, `access-token` and `accessToken` are one name.
 */
export const CREDENTIAL_NAME_ALTERNATIVES: readonly string[] = [
  '(x[-_]?)?((access|id|refresh|auth|bearer|session)[-_]?)?token',
  '(x[-_]?)?(api[-_]?)?key',
  'auth(orization)?',
  'bearer',
  'jwt',
  'password',
  '(client[-_]?)?secret',
  'credentials?',
];

/** Characters of an issued token after its prefix (base64url), lowercased; 16 of them make a token shape. */
const TOKEN_BODY = '[a-z0-9_-]{16}';
/** A JWT's first two segments (`eyJ` lowercased by the transformation). */
const JWT_SHAPE = 'eyj[a-z0-9_-]*\\.[a-z0-9_-]*\\.';

/**
 * The regular expressions (over the URL-decoded, lowercased query string) that find a credential, each
 * at most {@link MAX_WAF_REGEX_CHARS} characters. Names are packed greedily into as few expressions as
 * fit; the token-shape expression comes last.
 * @param tokenPrefix the issued token prefix, like `mcp_` (2-8 lowercase letters and `_`).
 * @throws Error when the prefix is not of that form or one alternative alone cannot fit.
 */
export function queryCredentialPatterns(tokenPrefix: string): string[] {
  if (!/^[a-z]{2,8}_$/.test(tokenPrefix)) throw new Error(`tokenPrefix must be 2-8 lowercase letters and _ like mcp_, got ${tokenPrefix}`);
  const names = (alternatives: readonly string[]) => `(^|&)(${alternatives.join('|')})(\\[\\])?(=|&|$)`;
  const patterns: string[] = [];
  let pending: string[] = [];
  for (const alternative of CREDENTIAL_NAME_ALTERNATIVES) {
    if (names([...pending, alternative]).length <= MAX_WAF_REGEX_CHARS) {
      pending.push(alternative);
      continue;
    }
    if (pending.length === 0) throw new Error(`credential name ${alternative} alone exceeds ${MAX_WAF_REGEX_CHARS} characters`);
    patterns.push(names(pending));
    pending = [alternative];
  }
  if (pending.length > 0) patterns.push(names(pending));
  patterns.push(`(^|[&=])(${tokenPrefix}${TOKEN_BODY}|${JWT_SHAPE})`);
  for (const p of patterns) {
    if (p.length > MAX_WAF_REGEX_CHARS) throw new Error(`query credential pattern is ${p.length} characters, WAF accepts at most ${MAX_WAF_REGEX_CHARS}: ${p}`);
  }
  return patterns;
}

/** The compiled patterns for one token prefix, as the authorizer and the local gateway apply them. */
export class QueryCredentialCheck {
  private readonly name: RegExp;
  private readonly all: readonly RegExp[];

  constructor(tokenPrefix: string) {
    const patterns = queryCredentialPatterns(tokenPrefix);
    this.all = patterns.map((p) => new RegExp(p, 'i'));
    this.name = new RegExp(`^(${CREDENTIAL_NAME_ALTERNATIVES.join('|')})(\\[\\])?$`, 'i');
  }

  /** Whether one decoded query parameter (`value` undefined: the name alone) carries a credential. */
  carries(name: string, value: string | undefined): boolean {
    const subject = value === undefined ? name : `${name}=${value}`;
    return this.all.some((p) => p.test(subject));
  }

  /** Whether `name` is a credential parameter name (safe to report: it is not itself a secret). */
  isCredentialName(name: string): boolean {
    return this.name.test(name);
  }

  /**
   * Whether a raw query string (as on the wire, `a=1&b=2`, without `?`) carries a credential: decoded
   * and lowercased as WAF does, then matched. Undecodable `%` sequences are matched as they are.
   */
  carriedBy(rawQuery: string): boolean {
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawQuery.replace(/\+/g, ' '));
    } catch {
      decoded = rawQuery;
    }
    const lower = decoded.toLowerCase();
    return this.all.some((p) => p.test(lower));
  }
}
