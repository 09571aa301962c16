import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
    const stackNames = stackNamesOf(context.templatePaths);
    const templates = context.templatePaths.map((path) => ({
      path,
      stack: stackNames.get(basename(path)) ?? basename(path).replace(/\.template\.json$/, ''),
      template: JSON.parse(readFileSync(path, 'utf8')) as CfnTemplate,
      bytes: statSync(path).size,
    }));
    const pathOf = new Map(templates.map((t) => [t.stack, t.path]));
    this.breaches = checkTemplates(templates);
    const violations: PolicyViolation[] = this.breaches.map((b) => ({
      ruleName: b.limit,
      description: b.message,
      fix: 'change the config value named in the message, or the construct that builds the resource, to stay within the limit',
      severity: 'error',
      violatingResources: [{
        resourceLogicalId: b.logicalId ?? Object.keys(templates.find((t) => t.stack === b.stack)?.template.Resources ?? {})[0] ?? 'Template',
        templatePath: pathOf.get(b.stack),
        locations: [b.location ?? 'Template'],
      }],
    }));
    return { success: violations.length === 0, violations, pluginVersion: this.version };
  }
}

/** Template file name -> stack name, from the cloud assembly manifest next to the templates (if any). */
function stackNamesOf(templatePaths: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const dir of new Set(templatePaths.map((p) => dirname(p)))) {
    const manifest = join(dir, 'manifest.json');
    if (!existsSync(manifest)) continue;
    const artifacts = (JSON.parse(readFileSync(manifest, 'utf8')) as { artifacts?: Record<string, { type?: string; properties?: { templateFile?: string; stackName?: string } }> }).artifacts ?? {};
    for (const a of Object.values(artifacts)) {
      if (a.type === 'aws:cloudformation:stack' && a.properties?.templateFile && a.properties.stackName) names.set(a.properties.templateFile, a.properties.stackName);
    }
  }
  return names;
}
