import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { CfnValue, asArray, finding, fromFindings, rendered } from './resource-graph';

/** SSM actions that read or change parameter values (the token store). */
export const PARAMETER_ACTIONS: readonly string[] = [
  'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory',
  'ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:DeleteParameters', 'ssm:LabelParameterVersion',
];

/** KMS actions that turn ciphertext into plaintext. */
export const DECRYPT_ACTIONS: readonly string[] = ['kms:Decrypt', 'kms:ReEncryptFrom'];

function globMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(action);
}

function grants(statement: CfnValue, actions: readonly string[]): string[] {
  const patterns = asArray(statement?.Action).filter((a): a is string => typeof a === 'string');
  if (statement?.NotAction !== undefined) return [...actions]; // "everything but" reaches these too
  return patterns.filter((p) => actions.some((a) => globMatches(p, a)));
}

/** A resource as text, each token written `{token}`: `arn:{token}:ssm:…:parameter/mcp/{token}`. */
function asText(value: CfnValue): string {
  if (typeof value === 'string') return value;
  const join = value?.['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) return join[1].map(asText).join(String(join[0]));
  return '{token}';
}

/**
 * A resource is scoped to a parameter path when it names `parameter/<segment>` with no wildcard in the
 * first segment, or is a single token (a reference to one resource, never `*`).
 */
function scopedToParameterPath(resource: CfnValue): boolean {
  const text = asText(resource);
  return text === '{token}' || /:parameter\/[^/*?]+/.test(text);
}

function policyDocuments(type: string, properties: CfnValue): CfnValue[] {
  if (type === 'AWS::IAM::Role' || type === 'AWS::IAM::User' || type === 'AWS::IAM::Group') {
    return asArray(properties.Policies).map((p) => p?.PolicyDocument);
  }
  return [properties.PolicyDocument];
}

/**
 * IAM policies grant parameter and key access least-privilege (SEC-4): an Allow of SSM parameter reads
 * or writes (`ssm:GetParameter*`, `ssm:PutParameter`, `ssm:DeleteParameter` …) names parameter paths
 * (`…:parameter/mcp-perimeter/…`), never `*` or `parameter/*`; an Allow of `kms:Decrypt` on `*` carries
 * a condition (e.g. `kms:ViaService`). Key policies are not IAM policies and are not checked here.
 */
export function SecretAccessLeastPrivilege(node: CfnResource): NagRuleResult {
  const type = node.cfnResourceType;
  if (!['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(type)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const findings: string[] = [];
  for (const document of policyDocuments(type, rendered(node).properties)) {
    for (const statement of asArray(document?.Statement)) {
      if (statement?.Effect !== 'Allow') continue;
      const resources = asArray(statement.Resource);
      const parameterGrants = grants(statement, PARAMETER_ACTIONS);
      if (parameterGrants.length > 0 && (statement.NotResource !== undefined || resources.length === 0 || !resources.every(scopedToParameterPath))) {
        findings.push(...parameterGrants.map((action) => finding('ParameterAccess', action)));
      }
      const decryptGrants = grants(statement, DECRYPT_ACTIONS);
      const onEveryKey = statement.NotResource !== undefined || resources.some((r) => r === '*');
      if (decryptGrants.length > 0 && onEveryKey && statement.Condition === undefined) {
        findings.push(...decryptGrants.map((action) => finding('DecryptAnyKey', action)));
      }
    }
  }
  return fromFindings(findings);
}
