/**
 * What API Gateway does with a Lambda authorizer's answer, as pure functions: validate the answer's
 * shape, then evaluate its IAM policy against the request's method ARN (explicit Deny wins, then
 * Allow, else implicit deny). The local gateway uses this so that a policy that would fail in AWS
 * fails locally too.
 */

/** The execute-api actions a statement can name; matched case-insensitively, with wildcards. */
const INVOKE_ACTION = 'execute-api:Invoke';

/** One IAM policy statement as an authorizer returns it. */
export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
}

/** A validated authorizer answer. */
export interface AuthorizerResult {
  readonly principalId: string;
  readonly statements: readonly PolicyStatement[];
  /** The context map: only string, number and boolean values, as API Gateway requires. */
  readonly context: Readonly<Record<string, string | number | boolean>>;
  readonly usageIdentifierKey?: string;
}

/** The policy's verdict for one method ARN. */
export type PolicyDecision = 'allow' | 'explicit_deny' | 'implicit_deny';

/**
 * An authorizer answer API Gateway would reject with 500 (`AuthorizerConfigurationException`). The
 * message is for the developer's console only; the client gets a generic 500.
 */
export class AuthorizerConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthorizerConfigurationError';
  }
}

const STATEMENT_KEYS = new Set(['Effect', 'Action', 'Resource', 'Sid']);

/**
 * Validates an authorizer's answer as API Gateway does: a string `principalId`, a policy document
 * with `Statement` (one or a list), each with Effect Allow|Deny, Action and Resource; a context of
 * flat string/number/boolean values.
 * @throws AuthorizerConfigurationError naming the bad field and the value received.
 */
export function parseAuthorizerResult(answer: unknown): AuthorizerResult {
  if (!isObject(answer)) throw new AuthorizerConfigurationError(`authorizer answer must be an object, got ${describe(answer)}`);
  const { principalId, policyDocument, context, usageIdentifierKey } = answer;
  if (typeof principalId !== 'string' || principalId === '') {
    throw new AuthorizerConfigurationError(`principalId must be a non-empty string, got ${describe(principalId)}`);
  }
  if (!isObject(policyDocument)) throw new AuthorizerConfigurationError(`policyDocument must be an object, got ${describe(policyDocument)}`);
  const raw = policyDocument.Statement;
  const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) throw new AuthorizerConfigurationError('policyDocument.Statement must hold at least one statement');
  const statements = list.map((s, i) => parseStatement(s, i));

  const flat: Record<string, string | number | boolean> = {};
  if (context !== undefined && context !== null) {
    if (!isObject(context)) throw new AuthorizerConfigurationError(`context must be an object, got ${describe(context)}`);
    for (const [key, value] of Object.entries(context)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new AuthorizerConfigurationError(`context.${key} must be a string, number or boolean (API Gateway refuses objects and arrays), got ${describe(value)}`);
      }
      flat[key] = value;
    }
  }
  if (usageIdentifierKey !== undefined && typeof usageIdentifierKey !== 'string') {
    throw new AuthorizerConfigurationError(`usageIdentifierKey must be a string, got ${describe(usageIdentifierKey)}`);
  }
  return { principalId, statements, context: flat, ...(usageIdentifierKey !== undefined ? { usageIdentifierKey } : {}) };
}

function parseStatement(statement: unknown, index: number): PolicyStatement {
  const at = `policyDocument.Statement[${index}]`;
  if (!isObject(statement)) throw new AuthorizerConfigurationError(`${at} must be an object, got ${describe(statement)}`);
  for (const key of Object.keys(statement)) {
    if (!STATEMENT_KEYS.has(key)) {
      throw new AuthorizerConfigurationError(`${at}.${key} is not supported by the local gateway (allowed: ${[...STATEMENT_KEYS].join(', ')})`);
    }
  }
  const { Effect, Action, Resource } = statement;
  if (Effect !== 'Allow' && Effect !== 'Deny') throw new AuthorizerConfigurationError(`${at}.Effect must be Allow or Deny, got ${describe(Effect)}`);
  if (!isStringOrList(Action)) throw new AuthorizerConfigurationError(`${at}.Action must be a string or a list of strings, got ${describe(Action)}`);
  if (!isStringOrList(Resource)) throw new AuthorizerConfigurationError(`${at}.Resource must be a string or a list of strings, got ${describe(Resource)}`);
  return { Effect, Action, Resource };
}

/**
 * Evaluates statements for `execute-api:Invoke` on `methodArn`: any matching Deny gives
 * `explicit_deny`; otherwise any matching Allow gives `allow`; otherwise `implicit_deny`.
 * Resources match with IAM wildcards (`*` any run of characters, `/` included; `?` one character),
 * case-sensitively; actions match case-insensitively.
 */
export function evaluatePolicy(statements: readonly PolicyStatement[], methodArn: string): PolicyDecision {
  const matching = statements.filter(
    (s) => list(s.Action).some((a) => wildcardMatch(a, INVOKE_ACTION, true)) && list(s.Resource).some((r) => wildcardMatch(r, methodArn, false)),
  );
  if (matching.some((s) => s.Effect === 'Deny')) return 'explicit_deny';
  if (matching.some((s) => s.Effect === 'Allow')) return 'allow';
  return 'implicit_deny';
}

/** IAM-style wildcard match of the whole `value` against `pattern`. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'is' : 's').test(value);
}

function list(v: string | readonly string[]): readonly string[] {
  return typeof v === 'string' ? [v] : v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringOrList(v: unknown): v is string | string[] {
  return typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));
}

function describe(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
