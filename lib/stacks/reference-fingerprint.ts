import { createHash } from 'node:crypto';
import { CfnElement, CfnResource, Lazy, Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

type Json = unknown;
type Template = { Resources?: Record<string, { Type: string; Properties?: Json }>; Outputs?: Record<string, { Value: Json }> };

/** The construct id of the fingerprint in each consuming stack. */
export const REFERENCE_FINGERPRINT_ID = 'ReferencedResourcesFingerprint';

/**
 * Keeps a stack's weak cross-stack references (`Fn::GetStackOutput`, the stage's reference strength) from
 * going stale. CloudFormation resolves them when the consuming stack is created or updated, and the CDK
 * CLI skips a stack whose template did not change: so when a producer replaces a resource (a new id under
 * the same logical id and output), the consumer would keep the old id.
 *
 * This adds one standard SSM String parameter to the consuming stack (no name, free tier) whose value is a
 * SHA-256 over the definitions (type and properties) of every producer resource the stack references,
 * closed over what those resources reference in turn, across stacks. Any change that can replace a
 * referenced resource changes a definition in that closure, so the consumer's template changes, the CLI
 * deploys it, and CloudFormation reads every `Fn::GetStackOutput` again. A change that does not touch the
 * closure leaves the value, and the consumer, alone.
 *
 * Hand-written: CDK has no option that ties a consumer's template to its producers' definitions.
 */
export class ReferenceFingerprint extends Construct {
  /** The parameter that carries the fingerprint. */
  public readonly parameter: ssm.CfnParameter;

  /**
   * @param consumer the stack whose references are fingerprinted
   * @param producers every stack it may reference (earlier stacks of the stage)
   */
  constructor(consumer: Stack, producers: readonly Stack[]) {
    super(consumer, REFERENCE_FINGERPRINT_ID);
    const byName = new Map(producers.map((s) => [s.stackName, s]));
    this.parameter = new ssm.CfnParameter(this, 'Resource', {
      type: 'String',
      description: 'mcp-perimeter: fingerprint of the resources this stack reads from other stacks (Fn::GetStackOutput); a change redeploys this stack so they are read again',
      // Uncached: the references become Fn::GetStackOutput only after CDK's prepare phase, which resolves this once before.
      value: Lazy.uncachedString({ produce: () => fingerprintOf(consumer, byName, this.parameter) }),
    });
  }
}

/** The consumer's own resources (without the fingerprint), resolved: where its `Fn::GetStackOutput`s are. */
function resolvedResources(stack: Stack, except?: CfnResource): Json[] {
  return stack.node.findAll()
    .filter((c): c is CfnElement => CfnElement.isCfnElement(c) && c !== except)
    .map((e) => stack.resolve((e as unknown as { _toCloudFormation(): Json })._toCloudFormation()));
}

function fingerprintOf(consumer: Stack, producers: Map<string, Stack>, self: CfnResource): string {
  const templates = new Map<string, Template>();
  const template = (name: string): Template | undefined => {
    if (!templates.has(name)) {
      const stack = producers.get(name);
      if (!stack) return undefined;
      templates.set(name, stack.resolve((stack as unknown as { _toCloudFormation(): Json })._toCloudFormation()) as Template);
    }
    return templates.get(name);
  };
  const memo = new Map<string, string>();
  const outputs = new Set<string>();
  for (const element of resolvedResources(consumer, self)) collectStackOutputs(element, (s, o) => outputs.add(`${s}\u0000${o}`));
  const parts = [...outputs].sort().map((key) => {
    const [stackName, outputName] = key.split('\u0000');
    return `${stackName}.${outputName}=${outputFingerprint(stackName, outputName, template, memo)}`;
  });
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

function outputFingerprint(stackName: string, outputName: string, template: (name: string) => Template | undefined, memo: Map<string, string>): string {
  const key = `${stackName}.${outputName}`;
  const known = memo.get(key);
  if (known) return known;
  const t = template(stackName);
  const output = t?.Outputs?.[outputName];
  // A stack outside the stage, or an output not there: its name is all we can pin.
  if (!t || !output) return key;
  const seen = new Set<string>();
  const definitions: string[] = [];
  const visit = (value: Json): void => {
    collectLocalTargets(value, (logicalId) => {
      if (seen.has(logicalId) || !t.Resources?.[logicalId]) return;
      seen.add(logicalId);
      const resource = t.Resources[logicalId];
      definitions.push(`${logicalId}:${resource.Type}:${canonical(resource.Properties ?? {})}`);
      visit(resource.Properties ?? {});
    });
    collectStackOutputs(value, (s, o) => definitions.push(`${s}.${o}=${outputFingerprint(s, o, template, memo)}`));
  };
  visit(output.Value);
  const hash = createHash('sha256').update(definitions.sort().join('\n')).digest('hex');
  memo.set(key, hash);
  return hash;
}

/** Calls `found` for each `Ref` / `Fn::GetAtt` target (logical ids; pseudo parameters are skipped later). */
function collectLocalTargets(value: Json, found: (logicalId: string) => void): void {
  walk(value, (o) => {
    if (typeof o.Ref === 'string') found(o.Ref);
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') found(getAtt[0]);
    if (typeof getAtt === 'string') found(getAtt.split('.')[0]);
  });
}

function collectStackOutputs(value: Json, found: (stackName: string, outputName: string) => void): void {
  walk(value, (o) => {
    const ref = o['Fn::GetStackOutput'] as { StackName?: unknown; OutputName?: unknown } | undefined;
    if (ref && typeof ref.StackName === 'string' && typeof ref.OutputName === 'string') found(ref.StackName, ref.OutputName);
  });
}

function walk(value: Json, visit: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value !== null && typeof value === 'object') {
    visit(value as Record<string, unknown>);
    Object.values(value).forEach((v) => walk(v, visit));
  }
}

/** JSON with sorted keys. */
function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, Json>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
