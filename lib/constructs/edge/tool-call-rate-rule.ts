/**
 * The fleet-wide write limit on MCP tool calls (EDGE-2, RBAC-2): WAF rate-based rules, one per
 * credential header, keyed on the credential, counting only the requests whose JSON body is a
 * `tools/call` (`/method`) of a configured write tool (`/params/name`). WAF counts across every task of
 * the service, so the bound holds with any number of tasks; over the limit WAF answers 429.
 *
 * Limits of what WAF can see, covered by the enforcement point (enforcement-point/):
 * - tools classified only by the server's annotations at run time are unknown at synth: the
 *   enforcement point's per-task write limit covers them (N tasks allow up to N x the limit);
 * - JSON-RPC batches (arrays) have no `/method`: the enforcement point refuses write tool calls in a batch;
 * - a glob is matched as a superset (`a*b*c` counts names starting `a`, containing `b`, ending `c`).
 *
 * Sources: AWS WAF Developer Guide, "Rate-based rule statement" (scope-down statements; custom
 * aggregation keys; limit 10 to 2,000,000,000 per evaluation window of 60-600 s) and "JSON body"
 * (JsonBody field to match with IncludedPaths JSON pointers, MatchScope VALUE,
 * InvalidFallbackBehavior); CloudFormation AWS::WAFv2::WebACL ByteMatchStatement (SearchString of at
 * most 200 bytes; MCP tool names are at most 128).
 */
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { globParts, isGlob } from '../../../enforcement-point/src/policy';

type Statement = wafv2.CfnWebACL.StatementProperty;

/** The write tool calls to count. */
export interface ToolCallLimit {
  /** Write tool names or globs (`*`), as in `rbac.tools.permissions`. */
  readonly writeToolPatterns: readonly string[];
  /** Write tool calls per minute per credential (`rateLimits.writesPerCredentialPerMinute`, at least 10). */
  readonly perCredentialPerMinute: number;
}

const NO_TRANSFORM = [{ priority: 0, type: 'NONE' }];

/** A byte match on one JSON pointer of the body; a body that is not JSON does not match. */
function jsonValue(pointer: string, positionalConstraint: 'EXACTLY' | 'STARTS_WITH' | 'ENDS_WITH' | 'CONTAINS', searchString: string): Statement {
  return {
    byteMatchStatement: {
      fieldToMatch: { jsonBody: { matchPattern: { includedPaths: [pointer] }, matchScope: 'VALUE', invalidFallbackBehavior: 'NO_MATCH', oversizeHandling: 'CONTINUE' } },
      positionalConstraint,
      searchString,
      textTransformations: NO_TRANSFORM,
    },
  };
}

function all(statements: Statement[]): Statement {
  return statements.length === 1 ? statements[0] : { andStatement: { statements } };
}

function any(statements: Statement[]): Statement {
  return statements.length === 1 ? statements[0] : { orStatement: { statements } };
}

/** The statements that match `/params/name` against a tool name or glob; empty for `*` (every tool). */
export function toolNameMatch(pattern: string): Statement[] {
  if (!isGlob(pattern)) return [jsonValue('/params/name', 'EXACTLY', pattern)];
  const parts = globParts(pattern);
  const out: Statement[] = [];
  if (parts[0] !== '') out.push(jsonValue('/params/name', 'STARTS_WITH', parts[0]));
  for (const middle of parts.slice(1, -1)) if (middle !== '') out.push(jsonValue('/params/name', 'CONTAINS', middle));
  if (parts.length > 1 && parts[parts.length - 1] !== '') out.push(jsonValue('/params/name', 'ENDS_WITH', parts[parts.length - 1]));
  return out;
}

/** The scope-down statement: a `tools/call` of one of the write tools. */
export function writeToolCallStatement(writeToolPatterns: readonly string[]): Statement {
  const isCall = jsonValue('/method', 'EXACTLY', 'tools/call');
  const names = writeToolPatterns.map(toolNameMatch);
  if (names.some((n) => n.length === 0)) return isCall;
  return { andStatement: { statements: [isCall, any(names.map(all))] } };
}

/**
 * The rules (without priority, action and visibility, which the web ACL sets): one per credential
 * header, named `ToolWritesPerCredential-<header>`; none when there is no write tool to count.
 */
export function toolCallRateRules(credentialHeaders: readonly string[], limit: ToolCallLimit | undefined): Array<{ name: string; statement: Statement }> {
  if (!limit || limit.writeToolPatterns.length === 0) return [];
  if (limit.perCredentialPerMinute < 10) throw new Error(`toolCallLimit.perCredentialPerMinute must be at least 10 (the WAF minimum), got ${limit.perCredentialPerMinute}`);
  const scopeDownStatement = writeToolCallStatement(limit.writeToolPatterns);
  return credentialHeaders.map((header) => ({
    name: `ToolWritesPerCredential-${header}`,
    statement: {
      rateBasedStatement: {
        aggregateKeyType: 'CUSTOM_KEYS',
        customKeys: [{ header: { name: header, textTransformations: NO_TRANSFORM } }],
        limit: limit.perCredentialPerMinute,
        evaluationWindowSec: 60,
        scopeDownStatement,
      },
    },
  }));
}
