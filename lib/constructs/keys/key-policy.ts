/**
 * The statements of the kit's key policies (SEC-4: least privilege). No statement gives `kms:*`:
 * the account administers the keys, and uses them only in the ways each key's construct adds.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * What the account (its IAM administrators, CloudFormation) may do to manage a key: describe, tag,
 * rotate, enable/disable, change the policy, schedule or cancel deletion. No cryptographic use and no
 * `kms:CreateGrant`, so nobody can grant themselves decrypt around the policy.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:ListKeyPolicies',
  'kms:GetKeyRotationStatus',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:ListKeyRotations',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:UpdateKeyDescription',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
] as const;

/** The account may administer the key (never use it): {@link KEY_ADMINISTRATION_ACTIONS}. */
export function keyAdministrationStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'KeyAdministrationByTheAccount',
    principals: [new iam.AccountRootPrincipal()],
    actions: [...KEY_ADMINISTRATION_ACTIONS],
    resources: ['*'],
  });
}

/**
 * The account's IAM policies may grant `actions` on the key, but only for calls made through
 * `service` (for example `ssm`): `kms:ViaService` and `kms:CallerAccount` pin both.
 */
export function useThroughServiceStatement(stack: Stack, service: string, actions: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: `UseThrough${service.toUpperCase()}ByAccountPrincipals`,
    principals: [new iam.AccountRootPrincipal()],
    actions,
    resources: ['*'],
    conditions: {
      StringEquals: {
        'kms:ViaService': `${service}.${stack.region}.amazonaws.com`,
        'kms:CallerAccount': stack.account,
      },
    },
  });
}
