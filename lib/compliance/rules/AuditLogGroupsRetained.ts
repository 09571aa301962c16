import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { finding, fromFindings, rendered } from './resource-graph';

/** The shortest retention allowed, in days. */
export const MIN_RETENTION_DAYS = 90;

const RETAINED = ['Retain', 'RetainExceptOnCreate'];

/**
 * Every log group keeps its events at least 90 days (or never expires), is encrypted with a
 * customer-managed KMS key, and survives stack deletion and replacement (DeletionPolicy and
 * UpdateReplacePolicy Retain) (AUDIT-3).
 */
export function AuditLogGroupsRetained(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Logs::LogGroup') return NagRuleCompliance.NOT_APPLICABLE;
  const { properties, deletionPolicy, updateReplacePolicy } = rendered(node);
  const findings: string[] = [];
  const retention = properties.RetentionInDays;
  if (retention !== undefined && !(Number(retention) >= MIN_RETENTION_DAYS)) findings.push(finding('RetentionInDays', String(retention)));
  if (properties.KmsKeyId === undefined) findings.push(finding('KmsKeyId'));
  if (!RETAINED.includes(String(deletionPolicy))) findings.push(finding('DeletionPolicy', deletionPolicy ?? 'Delete'));
  if (!RETAINED.includes(String(updateReplacePolicy))) findings.push(finding('UpdateReplacePolicy', updateReplacePolicy ?? 'Delete'));
  return fromFindings(findings);
}
