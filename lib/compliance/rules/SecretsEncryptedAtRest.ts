import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { finding, rendered } from './resource-graph';
import { secretReason } from './secret-shapes';

/**
 * Secrets are encrypted at rest by customer-managed keys that rotate (SEC-2): symmetric KMS keys have
 * rotation on (asymmetric and HMAC keys cannot rotate and are not applicable); a plain `String`/
 * `StringList` SSM parameter holds nothing secret-looking (CloudFormation cannot create SecureString
 * parameters: secrets are written by the operators' CLI); Secrets Manager secrets name a KMS key.
 */
export function SecretsEncryptedAtRest(node: CfnResource): NagRuleResult {
  switch (node.cfnResourceType) {
    case 'AWS::KMS::Key': {
      const { KeySpec, KeyUsage, EnableKeyRotation } = rendered(node).properties;
      const symmetric = (KeySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT' && (KeyUsage ?? 'ENCRYPT_DECRYPT') === 'ENCRYPT_DECRYPT';
      if (!symmetric) return NagRuleCompliance.NOT_APPLICABLE;
      return EnableKeyRotation === true || EnableKeyRotation === 'true' ? NagRuleCompliance.COMPLIANT : [finding('EnableKeyRotation')];
    }
    case 'AWS::SSM::Parameter': {
      const { Name, Value } = rendered(node).properties;
      const reason = secretReason(typeof Name === 'string' ? Name : '', Value);
      return reason ? [finding('Value', reason)] : NagRuleCompliance.COMPLIANT;
    }
    case 'AWS::SecretsManager::Secret':
      return rendered(node).properties.KmsKeyId !== undefined ? NagRuleCompliance.COMPLIANT : [finding('KmsKeyId')];
    default:
      return NagRuleCompliance.NOT_APPLICABLE;
  }
}
