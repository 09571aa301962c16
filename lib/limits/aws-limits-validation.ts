import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { AWS_LIMITS } from './aws-limits';
import { checkTemplates, CfnTemplate, LimitBreach } from './template-limits';

/** The plugin's name: findings read `AwsLimits::<limit>`. */
export const AWS_LIMITS_PLUGIN = 'AwsLimits';

/**
 * A CDK validation plugin that fails synthesis when a synthesized template breaks one of AWS's
 * deploy-time limits (lib/limits/aws-limits.ts): the templates are read as written to the cloud
 * assembly, so the check holds whatever construct built them. Registered on every PerimeterStage
 * (lib/stage.ts); a finding fails `cdk synth` like a nag error, never a warning, because AWS would
 * refuse the deployment.
 */
export class AwsLimitsValidation implements IPolicyValidationPlugin {
  public readonly name = AWS_LIMITS_PLUGIN;
  public readonly version = '1.0.0';
  public readonly ruleIds = [...Object.keys(AWS_LIMITS), 'fargateTaskSize', 'wafEvaluationWindow', 'wafManagedRuleGroupWcu'];

  /** The breaches of the last `validate()`. */
  public breaches: readonly LimitBreach[] = [];

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const templates = context.templatePaths.map((path) => ({
      path,
      stack: basename(path).replace(/\.template\.json$/, ''),
      template: JSON.parse(readFileSync(path, 'utf8')) as CfnTemplate,
      bytes: statSync(path).size,
    }));
    const pathOf = new Map(templates.map((t) => [t.stack, t.path]));
    this.breaches = checkTemplates(templates);
    const byLimit = new Map<string, LimitBreach[]>();
    for (const b of this.breaches) byLimit.set(b.limit, [...(byLimit.get(b.limit) ?? []), b]);
    const violations: PolicyViolation[] = [...byLimit].map(([limit, breaches]) => ({
      ruleName: limit,
      description: breaches.map((b) => b.message).join('\n'),
      fix: 'change the config value named in the message, or the construct that builds the resource, to stay within the limit',
      severity: 'error',
      violatingResources: breaches.map((b) => ({
        resourceLogicalId: b.logicalId ?? Object.keys(templates.find((t) => t.stack === b.stack)?.template.Resources ?? {})[0] ?? 'Template',
        templatePath: pathOf.get(b.stack),
        locations: [b.location ?? 'Template'],
      })),
    }));
    return { success: violations.length === 0, violations, pluginVersion: this.version };
  }
}
