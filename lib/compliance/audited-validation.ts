/**
 * A validation plugin of our own that wraps one pack and remembers what it found compliant.
 *
 * cdk-nag 3 reports only violations: the cloud assembly's validation report says nothing about what a
 * rule checked and passed, which is half of what an auditor asks ("enforced, where?"). `AuditedValidation`
 * registers under the pack's own name (so `<pack>::<rule>` acknowledgments keep working), delegates
 * `validate()` to the pack, and while the pack runs it observes every rule evaluation of a cdk-nag
 * `NagPack`: a COMPLIANT result, or a finding list that came back empty, is recorded with the rule id and
 * the construct path. Non-NagPack plugins (none today) are delegated to unchanged and record nothing.
 */
import { CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, IPolicyValidationPluginBeta1, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagPack, NagRuleCompliance, NagRuleResult } from 'cdk-nag';

/** One rule of one pack that checked one resource and found it compliant. */
export interface CompliantResult {
  /** The pack's plugin name, e.g. `AwsSolutions`, `McpPerimeter`. */
  readonly pack: string;
  /** The rule id as the pack reports it, e.g. `AwsSolutions-S1`. */
  readonly ruleId: string;
  /** The construct path of the checked L1 resource, e.g. `Prod/Edge/Api/Resource`. */
  readonly constructPath: string;
}

/** The parameters cdk-nag passes to its (protected) `applyRule`. */
interface ApplyRuleParams {
  readonly ruleSuffixOverride?: string;
  readonly node: CfnResource;
  rule(node: CfnResource): NagRuleResult;
}

type ApplyRule = (params: ApplyRuleParams) => void;

/** A validation plugin of either generation of CDK's interface (cdk-nag packs implement the current one). */
export type ValidationPlugin = IPolicyValidationPlugin | IPolicyValidationPluginBeta1;

/**
 * Wraps a validation plugin; after synthesis, `compliantResults` lists what it found compliant.
 *
 * Register the wrapper instead of the pack: `Validations.of(app).addPlugins(...packs.map((p) => new AuditedValidation(p)))`.
 */
export class AuditedValidation implements IPolicyValidationPlugin {
  /** Wraps every plugin of a list. */
  public static wrapAll(plugins: readonly ValidationPlugin[]): AuditedValidation[] {
    return plugins.map((p) => (p instanceof AuditedValidation ? p : new AuditedValidation(p)));
  }

  /** The wrapped plugin's name: acknowledgments are namespaced by it. */
  public readonly name: string;
  /** The wrapped plugin's version. */
  public readonly version?: string;
  /** The wrapped plugin's rule ids. */
  public readonly ruleIds?: string[];
  /** The wrapped plugin. */
  public readonly plugin: ValidationPlugin;
  private results: CompliantResult[] = [];
  private ran = false;

  constructor(plugin: ValidationPlugin) {
    this.plugin = plugin;
    this.name = plugin.name;
    this.version = plugin.version;
    this.ruleIds = plugin.ruleIds;
  }

  /** Whether the wrapped plugin is a cdk-nag pack, whose compliant results can be observed. */
  public get observesCompliance(): boolean {
    return this.plugin instanceof NagPack;
  }

  /** Whether `validate()` has run (synthesis reached validation). */
  public get hasRun(): boolean {
    return this.ran;
  }

  /** What the last `validate()` found compliant, one entry per rule and resource. */
  public get compliantResults(): readonly CompliantResult[] {
    return this.results;
  }

  /** Delegates to the wrapped plugin and records the compliant rule evaluations of a NagPack. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.results = [];
    this.ran = true;
    // Both generations of the interface take and return the same shapes at run time.
    const delegate = () => (this.plugin as IPolicyValidationPlugin).validate(context);
    if (!(this.plugin instanceof NagPack)) return delegate();

    const pack = this.plugin as unknown as { applyRule: ApplyRule; readPackName: string };
    const original = pack.applyRule;
    const hadOwn = Object.prototype.hasOwnProperty.call(pack, 'applyRule');
    const seen = new Set<string>();
    const record = (ruleId: string, constructPath: string) => {
      const key = `${ruleId}\u0000${constructPath}`;
      if (seen.has(key)) return;
      seen.add(key);
      this.results.push({ pack: this.name, ruleId, constructPath });
    };
    pack.applyRule = function observedApplyRule(this: unknown, params: ApplyRuleParams): void {
      // The rule id is `<packName>-<suffix>`, the suffix being the override or the rule function's name.
      const ruleId = `${pack.readPackName}-${params.ruleSuffixOverride ?? params.rule.name}`;
      const rule = (node: CfnResource): NagRuleResult => {
        const result = params.rule(node);
        const compliant = result === NagRuleCompliance.COMPLIANT || (Array.isArray(result) && result.length === 0);
        if (compliant) record(ruleId, node.node.path);
        return result;
      };
      original.call(this, { ...params, ruleSuffixOverride: params.ruleSuffixOverride ?? params.rule.name, rule });
    };
    try {
      return delegate();
    } finally {
      if (hadOwn) pack.applyRule = original;
      else delete (pack as { applyRule?: ApplyRule }).applyRule;
    }
  }
}
