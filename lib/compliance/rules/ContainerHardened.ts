import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CfnValue, asArray, finding, fromFindings, rendered } from './resource-graph';

/** True when the container's `User` names a non-root user (`1000`, `1000:1000`, `node`), never root or uid 0. */
export function nonRootUser(user: CfnValue): boolean {
  if (typeof user !== 'string' || user.trim() === '') return false;
  const name = user.split(':')[0].trim();
  return name !== 'root' && name !== '0';
}

/**
 * Every container of every ECS task definition runs as a non-root user (`User` set, not root/0), with a
 * read-only root filesystem, and not privileged (WORK-1).
 */
export function ContainerHardened(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::ECS::TaskDefinition') return NagRuleCompliance.NOT_APPLICABLE;
  return fromFindings(asArray(rendered(node).properties.ContainerDefinitions).flatMap((container) => {
    const name = String(container?.Name ?? 'container');
    const findings: string[] = [];
    if (!nonRootUser(container?.User)) findings.push(finding('User', name));
    if (container?.ReadonlyRootFilesystem !== true && container?.ReadonlyRootFilesystem !== 'true') findings.push(finding('ReadonlyRootFilesystem', name));
    if (container?.Privileged === true || container?.Privileged === 'true') findings.push(finding('Privileged', name));
    return findings;
  }));
}
