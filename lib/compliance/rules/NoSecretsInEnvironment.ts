import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { asArray, finding, fromFindings, rendered } from './resource-graph';
import { secretReason } from './secret-shapes';

/**
 * No Lambda environment variable and no container environment value looks like a secret (a known
 * credential format, a long high-entropy string, or a literal under a name with TOKEN, SECRET or
 * PASSWORD in it); references such as ARNs, parameter names and tokens are fine (SEC-1). Secrets reach
 * the code through SSM SecureString or the container's `Secrets`, never its environment.
 */
export function NoSecretsInEnvironment(node: CfnResource): NagRuleResult {
  switch (node.cfnResourceType) {
    case 'AWS::Lambda::Function': {
      const variables: Record<string, unknown> = rendered(node).properties.Environment?.Variables ?? {};
      return fromFindings(Object.entries(variables)
        .filter(([name, value]) => secretReason(name, value) !== undefined)
        .map(([name]) => finding('Environment', name)));
    }
    case 'AWS::ECS::TaskDefinition': {
      const containers = asArray(rendered(node).properties.ContainerDefinitions);
      return fromFindings(containers.flatMap((container) => asArray(container?.Environment)
        .filter((variable) => secretReason(String(variable?.Name ?? ''), variable?.Value) !== undefined)
        .map((variable) => finding('Environment', `${container?.Name}.${variable?.Name}`))));
    }
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
}
