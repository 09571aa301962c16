import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { explicitChoice, rendered } from './resource-graph';

/** The tag (on the service or its stack) or CDK context key that allows ECS Exec when its value is `enabled`. */
export const EXEC_CHOICE_KEY = 'mcp-perimeter:ecs-exec';

/**
 * ECS services have ECS Exec (operator shell access) off, unless it was asked for: the tag
 * `mcp-perimeter:ecs-exec` = `enabled` on the service or its stack, or the CDK context of the same
 * name (WORK-3).
 */
export function ExecCommandDisabled(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::ECS::Service') return NagRuleCompliance.NOT_APPLICABLE;
  const service = rendered(node);
  const enabled = service.properties.EnableExecuteCommand === true || service.properties.EnableExecuteCommand === 'true';
  if (!enabled) return NagRuleCompliance.COMPLIANT;
  return explicitChoice(service, EXEC_CHOICE_KEY) === 'enabled' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
