/**
 * The statements of the kit's key policies (SEC-4: least privilege). No statement gives `kms:*`, and
 * administration is apart from use: the account administers every key (so it is never locked out and
 * CloudFormation can update it), and USING a key (sign, encrypt, decrypt, generate data keys) is
 * allowed only to the roles that must, named in the policy: the authorizer's role, the operators' role
 * the config names (`auth.operatorRoleArn`), and AWS services with their source conditions.
 *
 * The authorizer's role lives in the Edge stack, deployed after Keys: a key policy cannot reference it
 * without a cross-stack cycle. So it has a name fixed by the kit ({@link authorizerRoleName}) and the
 * key policies name it through the account principal with an `aws:PrincipalArn` condition: KMS does
 * not require that role to exist when the policy is written (a principal ARN would), the condition
 * matches every session of that role and no other principal, and the role still needs its own identity
 * policy (a grant), so both sides must agree.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
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
 * The physical name of the authorizer's role: `mcp-perimeter-<stage>-authorizer-<region>` (at most 60
 * characters: IAM role names are at most 64). Regional, so one stage name in two regions of an account
 * does not collide; not retained, so a destroyed stage can be created again.
 */
export function authorizerRoleName(stage: string, region: string): string {
  return `mcp-perimeter-${stage}-authorizer-${region}`;
}

/** The ARN of the authorizer's role in `stack`'s account and region. */
export function authorizerRoleArn(stack: Stack, stage: string): string {
  return stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: authorizerRoleName(stage, stack.region), arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

/** Who may use a key, by role ARN. */
export interface NamedKeyUsers {
  /** A statement id, unique in the policy. */
  readonly sid: string;
  /** The roles (ARNs), every session of which may use the key; the roles' own policies must allow it too. */
  readonly roleArns: readonly string[];
  /** The cryptographic actions. */
  readonly actions: readonly string[];
  /** Only through this AWS service (`ssm`): `kms:ViaService`. @default - direct calls */
  readonly viaService?: string;
  /** `roleArns` are patterns (`ArnLike`, `*` wildcards) rather than exact ARNs. @default false */
  readonly patterns?: boolean;
}

/**
 * Lets exactly the named roles use the key with `actions` (the account principal with an
 * `aws:PrincipalArn` condition, plus `kms:CallerAccount`, and `kms:ViaService` when given).
 */
export function useByNamedRolesStatement(stack: Stack, users: NamedKeyUsers): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: users.sid,
    principals: [new iam.AccountRootPrincipal()],
    actions: [...users.actions],
    resources: ['*'],
    conditions: {
      [users.patterns ? 'ArnLike' : 'ArnEquals']: { 'aws:PrincipalArn': [...users.roleArns] },
      StringEquals: {
        'kms:CallerAccount': stack.account,
        ...(users.viaService ? { 'kms:ViaService': `${users.viaService}.${stack.region}.amazonaws.com` } : {}),
      },
    },
  });
}

/**
 * The roles that deploy a stage's stacks: the CDK bootstrap's CloudFormation execution roles of this
 * account (`cdk-<qualifier>-cfn-exec-role-<account>-<region>`, the AWS CDK bootstrapping guide). They
 * create the token table, and DynamoDB creates the table's KMS grant as them.
 */
export function deploymentRolePattern(stack: Stack): string {
  return stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: `cdk-*-cfn-exec-role-${stack.account}-${stack.region}`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}
