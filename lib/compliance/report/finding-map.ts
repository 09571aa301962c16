/**
 * How a finding of any pack maps to checklist items, so that no unacknowledged finding can leave an
 * item it concerns `enforced`. A finding (rule R on resource P) concerns item I when any of these holds:
 *
 * 1. I declares R among its rules (lib/compliance/checklist.ts): the item's own rule evidence;
 * 2. R is the kit's `McpPerimeter-<ITEM>` rule for I (e.g. `McpPerimeter-WORK3` -> WORK-3);
 * 3. R's family (the rule name after the pack prefix, e.g. `IAM5`, `IAMNoInlinePolicy`) is in
 *    {@link RULE_FAMILIES}: every IAM finding concerns SEC-4 (least privilege), every KMS finding SEC-2 …;
 * 4. I covers P: one of I's declared rules evaluated P in this synthesis (found it compliant, or reported
 *    a finding on it). The construct paths are compared in full (stage prefix included).
 *
 * A finding that maps to no item is listed by the report as unmapped (it fails its pack all the same).
 */

/** One family of rules and the items it concerns. */
export interface RuleFamily {
  /** The family's name, as the report shows it (`IAM`). */
  readonly family: string;
  /** Matches the rule name after the pack prefix and without a `[finding]` suffix (`IAM5`, `IAMNoInlinePolicy`). */
  readonly pattern: RegExp;
  /** The checklist items its findings concern. */
  readonly items: readonly string[];
}

/**
 * The rule families of the cdk-nag packs (AwsSolutions, NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1,
 * Serverless), in match order: the first family that matches is used, so specific rules come before
 * their family. Rule names: https://github.com/cdklabs/cdk-nag/blob/main/RULES.md
 */
export const RULE_FAMILIES: readonly RuleFamily[] = [
  { family: 'IAM', pattern: /^IAM/, items: ['SEC-4'] },
  { family: 'KMS and secrets', pattern: /^(KMS|SecretsManager|SSM|SMG)/, items: ['SEC-2'] },
  { family: 'CloudWatch alarms', pattern: /^CloudWatchAlarm/, items: ['AUDIT-5'] },
  { family: 'SNS (alarm topic)', pattern: /^SNS/, items: ['AUDIT-5'] },
  { family: 'CloudWatch log groups', pattern: /^(CloudWatchLogGroup|CWL|CloudWatch)/, items: ['AUDIT-3'] },
  // The kit's only buckets hold logs (load balancer access logs, server access logs).
  { family: 'S3 (log buckets)', pattern: /^S3/, items: ['AUDIT-4'] },
  { family: 'WAF', pattern: /^WAF/, items: ['EDGE-1'] },
  { family: 'API Gateway request validation', pattern: /^APIG2$/, items: ['EDGE-6'] },
  { family: 'API Gateway authorization', pattern: /^(APIG4|COG4)$/, items: ['AUTH-1'] },
  { family: 'API Gateway logging', pattern: /^(APIG1|APIG6|APIGWExecutionLoggingEnabled|APIGWAccessLogging)$/, items: ['AUDIT-4'] },
  { family: 'API Gateway TLS', pattern: /^APIGWSSLEnabled$/, items: ['TLS-3'] },
  { family: 'API Gateway', pattern: /^(APIG|APIGW|API)/, items: ['EDGE-1'] },
  { family: 'Cognito', pattern: /^COG/, items: ['AUTH-1'] },
  { family: 'load balancers', pattern: /^(ELB|ALB)/, items: ['TLS-1'] },
  { family: 'certificates', pattern: /^ACM/, items: ['TLS-4'] },
  { family: 'VPC', pattern: /^VPC/, items: ['NET-1'] },
  { family: 'EC2 and security groups', pattern: /^EC2/, items: ['NET-2'] },
  { family: 'ECS', pattern: /^ECS/, items: ['WORK-1'] },
  // The kit's functions are the request authorizer and CDK's own custom-resource handlers.
  { family: 'Lambda', pattern: /^Lambda/, items: ['AUTH-1'] },
];

/** `ns::Rule-1[finding]` -> `Rule-1`. */
export function bareRuleId(ruleId: string): string {
  // The finding suffix may itself hold `::` (`[Resource::*]`): cut it first.
  const bracket = ruleId.indexOf('[');
  const rule = bracket === -1 ? ruleId : ruleId.slice(0, bracket);
  const at = rule.indexOf('::');
  return at === -1 ? rule : rule.slice(at + 2);
}

/** The rule name after its pack's prefix: `NIST.800.53.R5-IAMNoInlinePolicy` -> `IAMNoInlinePolicy`. */
export function ruleNameOf(ruleId: string, pack: string): string {
  const bare = bareRuleId(ruleId);
  if (bare.startsWith(`${pack}-`)) return bare.slice(pack.length + 1);
  const dash = bare.lastIndexOf('-');
  return dash === -1 ? bare : bare.slice(dash + 1);
}

/** The item a `McpPerimeter-<ITEM>` rule is for (`McpPerimeter-WORK3` -> `WORK-3`), if it names one of `itemIds`. */
export function itemOfKitRule(ruleId: string, itemIds: readonly string[]): string | undefined {
  const m = /^McpPerimeter-([A-Z]+)(\d+)$/.exec(bareRuleId(ruleId));
  if (!m) return undefined;
  const id = `${m[1]}-${m[2]}`;
  return itemIds.includes(id) ? id : undefined;
}

/** The items a rule maps to by rule id (routes 2 and 3 above), each with how. */
export function itemsOfRuleId(ruleId: string, pack: string, itemIds: readonly string[]): { item: string; via: string }[] {
  const out: { item: string; via: string }[] = [];
  const kit = itemOfKitRule(ruleId, itemIds);
  if (kit) out.push({ item: kit, via: `the kit's rule for ${kit}` });
  const name = ruleNameOf(ruleId, pack);
  const family = RULE_FAMILIES.find((f) => f.pattern.test(name));
  if (family) for (const item of family.items) if (itemIds.includes(item)) out.push({ item, via: `rule family ${family.family}` });
  return out;
}
