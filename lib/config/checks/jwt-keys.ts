/**
 * The config's checks of a KMS signing key rotation (issue 15, point 6), called with one line from the
 * schema's superRefine. The sequence they allow (README "Token rotation", rehearsed by
 * test/stacks/signing-key-rotation.test.ts):
 *   1. `signingKeyGeneration: n` (1 when absent): the key `SigningKey` (n = 1) or `SigningKey<n>` signs;
 *   2. `signingKeyGeneration: n + 1` and `previousSigningKeyArn: <the generation-n key's ARN>`: a new key
 *      signs, the old one leaves the template (retained: it stays in the account) and still verifies;
 *   3. after `maxLifetimeSeconds`, drop `previousSigningKeyArn`: only the new key verifies.
 */
import type { z } from 'zod';
import type { PerimeterConfig } from '../schema';

/**
 * A KMS key ARN of a single-Region key, the only kind the kit creates (`lib/constructs/keys/signing-key.ts`).
 * Format from the AWS KMS Developer Guide, "Key identifiers (KeyId)":
 * `arn:aws:kms:<region>:<account>:key/<key id>`, the key id a UUID like 1234abcd-12ab-34cd-56ef-1234567890ab.
 */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The construct id of the signing key of a generation: `SigningKey` for 1 (its logical id since the start), `SigningKey<n>` after. */
export function signingKeyConstructId(generation = 1): string {
  return generation === 1 ? 'SigningKey' : `SigningKey${generation}`;
}

/** Adds one zod issue per problem of the signing key rotation fields of `c` (the schema's superRefine calls it). */
export function checkJwtKeys(c: PerimeterConfig, ctx: z.RefinementCtx): void {
  const jwt = c.auth.jwt;
  if (!jwt) return;
  const at = (field: string) => ['auth', 'jwt', field];
  if (jwt.mode !== 'kms') {
    if (jwt.signingKeyGeneration !== undefined) {
      ctx.addIssue({ code: 'custom', path: at('signingKeyGeneration'), message: `is only for auth.jwt.mode kms (the kit's own signing key), not ${jwt.mode}` });
    }
    if (jwt.previousSigningKeyArn !== undefined) {
      ctx.addIssue({ code: 'custom', path: at('previousSigningKeyArn'), message: `is only for auth.jwt.mode kms (the kit's own signing key), not ${jwt.mode}${jwt.mode === 'hs256' ? ': rotate the HS256 secret with its -previous parameter (README "Token rotation")' : ''}` });
    }
    return;
  }
  const previous = jwt.previousSigningKeyArn;
  if (previous === undefined) return;
  // (its format is the schema field's own check: KMS_KEY_ARN)
  const [, region, account] = KMS_KEY_ARN.exec(previous) ?? [];
  if (c.env.account && account !== c.env.account) {
    ctx.addIssue({ code: 'custom', path: at('previousSigningKeyArn'), message: `must be a key of the stage's account ${c.env.account} (its key policy names the stage's authorizer role), got account ${account}` });
  }
  if (c.env.region && region !== c.env.region) {
    ctx.addIssue({ code: 'custom', path: at('previousSigningKeyArn'), message: `must be a key of the stage's region ${c.env.region} (the authorizer calls KMS in its own region), got ${region}` });
  }
  // Only a generation bump retires a key: with generation 1 the ARN can only be the current key or a key
  // the kit did not create (whose policy does not let the authorizer read it).
  if ((jwt.signingKeyGeneration ?? 1) < 2) {
    ctx.addIssue({ code: 'custom', path: at('previousSigningKeyArn'), message: 'needs auth.jwt.signingKeyGeneration 2 or more: the previous key is the one the last generation bump retired' });
  }
}
