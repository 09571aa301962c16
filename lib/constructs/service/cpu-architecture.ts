import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/**
 * The CPU architecture of a Fargate task and of the image it runs (`service.cpuArchitecture`). One value
 * decides both, so a task never starts an image built for the other architecture (an `exec format error`
 * that fails every task of the deployment).
 */
export type CpuArchitecture = 'x86_64' | 'arm64';

/** The architectures Fargate runs Linux tasks on (ECS RuntimePlatform `cpuArchitecture`: X86_64, ARM64). */
export const CPU_ARCHITECTURES: readonly CpuArchitecture[] = ['x86_64', 'arm64'];

/**
 * The kit's default: `x86_64`. Most CI runners (GitHub-hosted `ubuntu-latest`, most GitLab and
 * CodeBuild images) are x86_64 and build an x86_64 image natively; an `arm64` image built there needs
 * QEMU emulation (slow, and often not set up). `arm64` (Graviton) costs about 20% less per vCPU-hour
 * and GB-hour on Fargate (AWS Fargate pricing page): choose it when the machine that runs `cdk deploy`
 * is arm64 (Apple silicon, Graviton runners) or has emulation set up.
 */
export const DEFAULT_CPU_ARCHITECTURE: CpuArchitecture = 'x86_64';

/** The task definition's runtime platform for `arch`: Linux on that architecture. */
export function taskRuntimePlatform(arch: CpuArchitecture): ecs.RuntimePlatform {
  return {
    operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
    cpuArchitecture: arch === 'arm64' ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64,
  };
}

/** The `docker build --platform` of an image asset for `arch`: linux/arm64 or linux/amd64. */
export function imageAssetPlatform(arch: CpuArchitecture): Platform {
  return arch === 'arm64' ? Platform.LINUX_ARM64 : Platform.LINUX_AMD64;
}
