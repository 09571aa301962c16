/**
 * Upgrade rehearsals, offline: synthesize a stage for config A and for config B (each once), and diff the
 * templates with @aws-cdk/cloudformation-diff, the library behind `cdk diff`, which knows from the
 * CloudFormation resource specification which property changes replace a resource.
 */
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import type { PerimeterConfig } from '../../lib/config';
import { REFERENCE_FINGERPRINT_ID } from '../../lib/stacks/reference-fingerprint';
import { PerimeterStage } from '../../lib/stage';
import { TEST_ENV, testApp } from '../fixtures/test-app';

/** The five stacks of a stage, by concern. */
export const CONCERNS = ['Keys', 'Audit', 'Network', 'Service', 'Edge'] as const;
export type Concern = (typeof CONCERNS)[number];

/** A synthesized stage: each stack's name and template. */
export interface Synthesized {
  readonly stackNames: Record<Concern, string>;
  readonly templates: Record<Concern, any>;
}

/** Synthesizes the stage of `config` once (authorizer bundling off: its code is not what is rehearsed). */
export function synthesize(config: PerimeterConfig): Synthesized {
  const stage = new PerimeterStage(testApp({ bundling: false }), config.stage, { config, env: TEST_ENV });
  const assembly = stage.synth();
  const stacks = { Keys: stage.keys, Audit: stage.audit, Network: stage.network, Service: stage.service, Edge: stage.edge };
  const stackNames = {} as Record<Concern, string>;
  const templates = {} as Record<Concern, any>;
  for (const concern of CONCERNS) {
    stackNames[concern] = stacks[concern].stackName;
    templates[concern] = assembly.getStackArtifact(stacks[concern].artifactId).template;
  }
  return { stackNames, templates };
}

/** What a deployment of B over A does to a resource that it does not just update in place. */
export type Disruption = 'replace' | 'may-replace' | 'destroy' | 'orphan';

const DISRUPTIONS: Partial<Record<ResourceImpact, Disruption>> = {
  [ResourceImpact.WILL_REPLACE]: 'replace',
  [ResourceImpact.MAY_REPLACE]: 'may-replace',
  [ResourceImpact.WILL_DESTROY]: 'destroy',
  [ResourceImpact.WILL_ORPHAN]: 'orphan',
};

/** One resource a deployment of B over A replaces, destroys or orphans: `<stack>/<type>/<disruption>`. */
export interface Disrupted {
  readonly stack: Concern;
  readonly logicalId: string;
  readonly type: string;
  readonly disruption: Disruption;
}

/** The resources a deployment of `b` over `a` would replace, destroy or orphan, in every stack. */
export function disruptions(a: Synthesized, b: Synthesized): Disrupted[] {
  const out: Disrupted[] = [];
  for (const stack of CONCERNS) {
    const diff = fullDiff(a.templates[stack], b.templates[stack]);
    diff.resources.forEachDifference((logicalId, change) => {
      const disruption = DISRUPTIONS[change.changeImpact];
      if (disruption) out.push({ stack, logicalId, type: (change.oldResourceType ?? change.newResourceType)!, disruption });
    });
  }
  return out;
}

/** The resources that are updated in place or created (for reports of what a change touches). */
export function changedResources(a: Synthesized, b: Synthesized): string[] {
  const out: string[] = [];
  for (const stack of CONCERNS) {
    fullDiff(a.templates[stack], b.templates[stack]).resources.forEachDifference((_logicalId, change) => {
      if (change.changeImpact !== ResourceImpact.NO_CHANGE) out.push(`${stack}/${change.newResourceType ?? change.oldResourceType}/${change.changeImpact}`);
    });
  }
  return out;
}

/** The value of a stack's reference fingerprint (undefined for the Keys stack, which reads no other). */
export function fingerprint(s: Synthesized, stack: Concern): string | undefined {
  const resources = s.templates[stack].Resources as Record<string, any>;
  const id = Object.keys(resources).find((k) => k.startsWith(REFERENCE_FINGERPRINT_ID));
  return id ? resources[id].Properties.Value : undefined;
}

/**
 * The producer resources a consumer stack reads through `Fn::GetStackOutput`, as `<producer stack>/<logical id>`
 * (the direct targets of the outputs it reads).
 */
export function referencedResources(s: Synthesized, consumer: Concern): string[] {
  const byName = new Map(CONCERNS.map((c) => [s.stackNames[c], c]));
  const found = new Set<string>();
  walk(s.templates[consumer].Resources, (o) => {
    const ref = o['Fn::GetStackOutput'];
    if (!ref) return;
    const producer = byName.get(ref.StackName)!;
    const value = s.templates[producer].Outputs[ref.OutputName].Value;
    walk(value, (v) => {
      if (typeof v.Ref === 'string' && s.templates[producer].Resources[v.Ref]) found.add(`${producer}/${v.Ref}`);
      if (Array.isArray(v['Fn::GetAtt'])) found.add(`${producer}/${v['Fn::GetAtt'][0]}`);
    });
  });
  return [...found].sort();
}

function walk(value: any, visit: (o: any) => void): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value !== null && typeof value === 'object') {
    visit(value);
    Object.values(value).forEach((v) => walk(v, visit));
  }
}
