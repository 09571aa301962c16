/**
 * The synthesized resources of one environment as the McpPerimeter rules see them: every resource
 * rendered exactly as CloudFormation receives it (PascalCase properties, raw overrides applied,
 * tokens resolved), and the references between resources, also across the stacks of one Stage.
 *
 * Rules read the rendered form rather than the typed L1 properties so that a rule holds however the
 * resource was written: L2, L1, a raw `CfnResource` or an `addPropertyOverride`.
 */
import { CfnResource, Stack, Stage } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** A CloudFormation value after token resolution: literals, arrays, objects and intrinsic functions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CfnValue = any;

/** One resource as CloudFormation receives it. */
export interface RenderedResource {
  /** The L1 construct. */
  readonly node: CfnResource;
  /** The resource type, e.g. `AWS::EC2::SecurityGroup`. */
  readonly type: string;
  /** The logical ID in its stack's template. */
  readonly logicalId: string;
  /** The stack that holds it. */
  readonly stack: Stack;
  /** The resolved `Properties` (empty when none). */
  readonly properties: Record<string, CfnValue>;
  /** The resolved `DeletionPolicy`. @default - none (CloudFormation deletes) */
  readonly deletionPolicy?: string;
  /** The resolved `UpdateReplacePolicy`. @default - none (CloudFormation deletes) */
  readonly updateReplacePolicy?: string;
}

let renderedByNode = new WeakMap<CfnResource, RenderedResource>();
let resourcesByScope = new WeakMap<IConstruct, RenderedResource[]>();

/**
 * Forgets what was rendered: the pack calls it at the start of every validation so that a tree
 * changed between two validations is read afresh.
 */
export function forgetRenderedResources(): void {
  renderedByNode = new WeakMap();
  resourcesByScope = new WeakMap();
}

/** The resource as CloudFormation receives it (cached until {@link forgetRenderedResources}). */
export function rendered(node: CfnResource): RenderedResource {
  const cached = renderedByNode.get(node);
  if (cached) return cached;
  const stack = Stack.of(node);
  const template = stack.resolve(node._toCloudFormation()) as { Resources: Record<string, CfnValue> };
  const [logicalId, body] = Object.entries(template.Resources)[0];
  const result: RenderedResource = {
    node,
    type: body.Type,
    logicalId,
    stack,
    properties: body.Properties ?? {},
    deletionPolicy: body.DeletionPolicy,
    updateReplacePolicy: body.UpdateReplacePolicy,
  };
  renderedByNode.set(node, result);
  return result;
}

/** The Stage (or App) whose stacks are deployed together with `node`'s stack. */
function environmentOf(node: IConstruct): IConstruct {
  return Stage.of(node) ?? node.node.root;
}

function collect(scope: IConstruct, environment: IConstruct, into: RenderedResource[]): void {
  for (const child of scope.node.children) {
    if (Stage.isStage(child) && child !== environment) continue; // another environment
    if (CfnResource.isCfnResource(child)) into.push(rendered(child));
    collect(child, environment, into);
  }
}

/**
 * Every resource of `type` in the same environment (Stage, or App when there is no Stage) as `node`,
 * across its stacks; nested Stages are other environments and are left out.
 */
export function resourcesOfType(node: IConstruct, ...types: string[]): RenderedResource[] {
  const environment = environmentOf(node);
  let all = resourcesByScope.get(environment);
  if (!all) {
    all = [];
    collect(environment, environment, all);
    resourcesByScope.set(environment, all);
  }
  return all.filter((r) => types.includes(r.type));
}

/** True when `value` is a CloudFormation intrinsic function or a `Ref`. */
export function isIntrinsic(value: CfnValue): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/**
 * True when `value`, a property of `from`, references `target`: a `Ref`, `Fn::GetAtt` or `Fn::Sub`
 * variable in the same stack, or a `Fn::ImportValue` of an export of the target's stack.
 */
export function refersTo(from: RenderedResource, value: CfnValue, target: RenderedResource): boolean {
  if (value === null || value === undefined || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => refersTo(from, v, target));
  const sameStack = from.stack === target.stack;
  if (sameStack && value.Ref === target.logicalId) return true;
  const getAtt = value['Fn::GetAtt'];
  if (sameStack && Array.isArray(getAtt) && getAtt[0] === target.logicalId) return true;
  if (sameStack && typeof getAtt === 'string' && getAtt.split('.')[0] === target.logicalId) return true;
  const sub = value['Fn::Sub'];
  const subText = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
  if (sameStack && subText && new RegExp(`\\$\\{${target.logicalId}(\\.[A-Za-z.]+)?\\}`).test(subText)) return true;
  const imported = value['Fn::ImportValue'];
  if (typeof imported === 'string' && !sameStack) {
    return imported.startsWith(`${target.stack.stackName}:`) && imported.includes(target.logicalId);
  }
  return Object.values(value).some((v) => refersTo(from, v, target));
}

/** `value` as an array: `[]` for undefined, `[value]` for a single value. */
export function asArray<T = CfnValue>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The literal beginning of a string value: the string itself, or the leading literal parts of a
 * `Fn::Join` with an empty delimiter, up to the first token. `undefined` when it starts with a token.
 */
export function literalPrefix(value: CfnValue): string | undefined {
  if (typeof value === 'string') return value;
  const join = value?.['Fn::Join'];
  if (Array.isArray(join) && join[0] === '' && Array.isArray(join[1])) {
    let prefix = '';
    for (const part of join[1]) {
      if (typeof part !== 'string') break;
      prefix += part;
    }
    return prefix.length > 0 ? prefix : undefined;
  }
  return undefined;
}

/** The value of a tag in a rendered `Tags` property, list (`[{Key, Value}]`) or map form. */
export function tagValue(tags: CfnValue, key: string): string | undefined {
  if (Array.isArray(tags)) return tags.find((t) => t?.Key === key)?.Value;
  if (tags && typeof tags === 'object' && typeof tags[key] === 'string') return tags[key];
  return undefined;
}

/**
 * An explicit opt-in of the app, read from (first found) the resource's own tag `key`, its stack's tag
 * `key`, or the CDK context `key`. Tags are read after synthesis, so a `Tags.of(stage).add(key, ...)`
 * counts for every stack of the stage.
 */
export function explicitChoice(resource: RenderedResource, key: string): string | undefined {
  const own = tagValue(resource.properties.Tags, key);
  if (own !== undefined) return own;
  const stackTag = resource.stack.tags.tagValues()[key];
  if (stackTag !== undefined) return stackTag;
  const context = resource.node.node.tryGetContext(key);
  return context === undefined ? undefined : String(context);
}

/** COMPLIANT when there are no findings, else the findings (each reported as `<rule id>[<finding>]`). */
export function fromFindings(findings: readonly string[]): NagRuleResult {
  return findings.length === 0 ? NagRuleCompliance.COMPLIANT : [...new Set(findings)];
}

/** A finding id: `Kind::detail`, with characters cdk-nag's `[...]` suffix cannot hold replaced. */
export function finding(kind: string, detail?: string | number): string {
  const text = detail === undefined ? kind : `${kind}::${detail}`;
  return text.replace(/[[\]\s]/g, '_');
}
