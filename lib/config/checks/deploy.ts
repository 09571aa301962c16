/**
 * Config checks of what a deployment needs beyond each field's own rule: that the tasks can pull their
 * image, and that the VPC's CIDR holds the subnets the config asks for. Called once from the schema's
 * superRefine; each problem is one issue naming the field, the limit and what is allowed.
 */
import type { z } from 'zod';
import { layoutProblem } from '../../constructs/network/subnet-layout';
import { parseImageReference } from './image-reference';

/** The slice of the config these checks read (the schema's output type, without importing the schema). */
export interface DeployCheckedConfig {
  readonly env: { readonly region?: string };
  readonly service: {
    readonly image: { readonly kind: 'directory'; readonly path: string } | { readonly kind: 'registry'; readonly name: string };
    readonly registryCredentialsSecretArn?: string;
  };
  readonly network: { readonly egress: 'none' | 'nat'; readonly cidr: string };
}

/** Adds an issue for each deployment problem of `c`. */
export function checkDeployment(c: DeployCheckedConfig, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const image = c.service.image;
  const credentials = c.service.registryCredentialsSecretArn;

  if (image.kind === 'registry') {
    let reference;
    try {
      reference = parseImageReference(image.name);
    } catch (e) {
      issue(['service', 'image', 'name'], (e as Error).message);
      return;
    }
    if (reference.kind === 'ecr') {
      if (credentials) {
        issue(['service', 'registryCredentialsSecretArn'], 'is only for private registries other than ECR: ECR images are pulled with the task execution role, which the kit grants that one repository');
      }
      // Interface endpoints serve their own region only (AWS PrivateLink: "endpoint services are regional"),
      // so with no internet route the tasks reach the ECR of the stage's region and no other.
      if (c.network.egress === 'none' && c.env.region && reference.region !== c.env.region) {
        issue(['service', 'image', 'name'], `is an ECR image in ${reference.region}, but with network.egress 'none' the tasks reach ECR only through the VPC endpoints of ${c.env.region}: replicate the repository to ${c.env.region} (ECR replication) or set network.egress to 'nat'`);
      }
    } else if (c.network.egress === 'none') {
      issue(['service', 'image', 'name'], `is on ${reference.registry}, which the tasks cannot reach with network.egress 'none' (VPC endpoints reach only the stage's private ECR): use an ECR repository in the stage's account and region (an ECR pull-through cache rule mirrors public.ecr.aws, Docker Hub and GHCR) or set network.egress to 'nat'`);
    }
  } else if (credentials) {
    issue(['service', 'registryCredentialsSecretArn'], 'is only for registry images (service.image.kind registry): a directory image is pushed to the CDK assets repository in ECR');
  }

  const problem = layoutProblem(c.network.cidr, c.network.egress);
  if (problem) issue(['network', 'cidr'], problem);
}
