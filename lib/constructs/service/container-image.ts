import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { parseImageReference } from '../../config/checks/image-reference';
import { CpuArchitecture, imageAssetPlatform } from './cpu-architecture';

export { parseImageReference, type ImageReference } from '../../config/checks/image-reference';

/** The image settings of a config (`service.image`, `service.cpuArchitecture`, `service.registryCredentialsSecretArn`). */
export interface ContainerImageSettings {
  /** A folder with a Dockerfile (built by `cdk deploy`) or a registry reference. */
  readonly image: { readonly kind: 'directory'; readonly path: string } | { readonly kind: 'registry'; readonly name: string };
  /** The architecture the folder is built for. */
  readonly cpuArchitecture: CpuArchitecture;
  /** A Secrets Manager secret with `username` and `password` for a private registry other than ECR. @default - none */
  readonly registryCredentialsSecretArn?: string;
}

/**
 * The container image of the MCP service, with exactly the pull permissions it needs on the task
 * execution role (which the task definition creates when the image binds):
 * - a folder: built for `cpuArchitecture` (`docker build --platform`) and pushed to the CDK assets
 *   repository; the execution role may pull from that repository only;
 * - a private ECR image: the repository imported by ARN, so the execution role may pull from that
 *   repository only (`ecr:BatchCheckLayerAvailability`, `ecr:GetDownloadUrlForLayer`, `ecr:BatchGetImage`,
 *   and `ecr:GetAuthorizationToken`, which IAM does not scope); a repository of another account must
 *   also allow this account in its repository policy;
 * - any other registry: pulled by reference, with the ECS `repositoryCredentials` secret when given
 *   (the execution role may read that one secret).
 */
export function containerImage(scope: Construct, settings: ContainerImageSettings): ecs.ContainerImage {
  const image = settings.image;
  if (image.kind === 'directory') {
    return ecs.ContainerImage.fromAsset(image.path, { platform: imageAssetPlatform(settings.cpuArchitecture) });
  }
  const reference = parseImageReference(image.name);
  if (reference.kind === 'ecr') {
    const repositoryArn = Stack.of(scope).formatArn({
      service: 'ecr',
      account: reference.account,
      region: reference.region,
      resource: 'repository',
      resourceName: reference.repositoryName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const repository = ecr.Repository.fromRepositoryAttributes(scope, 'ImageRepository', { repositoryArn, repositoryName: reference.repositoryName });
    return ecs.ContainerImage.fromEcrRepository(repository, reference.tagOrDigest);
  }
  const credentials = settings.registryCredentialsSecretArn
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, 'RegistryCredentials', settings.registryCredentialsSecretArn)
    : undefined;
  return ecs.ContainerImage.fromRegistry(image.name, credentials ? { credentials } : undefined);
}
