/**
 * The KMS signing key rotation of README "Token rotation", rehearsed on the synthesized templates of a
 * whole stage (issue 15, point 6): generation 1 -> generation 2 with the generation-1 key as previous ->
 * generation 2 alone. Each step is one config, synthesized once; each deployment is diffed with
 * @aws-cdk/cloudformation-diff (test/upgrade/rehearsal.ts), as `cdk diff` would.
 */
import { AUTHORIZER_SETTINGS_METADATA } from '../../lib/constructs/authorizer/perimeter-authorizer';
import { disruptions, Synthesized, synthesize } from '../upgrade/rehearsal';
import { testConfig } from '../fixtures/test-app';

const JWT = { mode: 'kms', issuer: 'https://issuer.example.com', audience: 'mcp' };
const OPERATORS = 'arn:aws:iam::111111111111:role/platform-operators';
/** The generation-1 key's ARN as the deployed Keys stack's `SigningKeyArn` output would print it. */
const GEN1_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const step = (jwt: Record<string, unknown>) => synthesize(testConfig({ auth: { operatorRoleArn: OPERATORS, jwt: { ...JWT, ...jwt } } }));
const gen1 = step({});
const gen2WithPrevious = step({ signingKeyGeneration: 2, previousSigningKeyArn: GEN1_ARN });
const gen2 = step({ signingKeyGeneration: 2 });

/** The signing keys of the Keys stack (ES256), by logical id. */
function signingKeys(s: Synthesized): Record<string, any> {
  const resources = s.templates.Keys.Resources as Record<string, any>;
  return Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === 'AWS::KMS::Key' && r.Properties.KeyUsage === 'SIGN_VERIFY'));
}

/** What the Edge stack's authorizer verifies JWTs with: its settings' key ids and its GetPublicKey grant. */
function verification(s: Synthesized) {
  const resources = Object.values(s.templates.Edge.Resources as Record<string, any>);
  const fn = resources.find((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[AUTHORIZER_SETTINGS_METADATA]);
  const jwt = fn.Metadata[AUTHORIZER_SETTINGS_METADATA].jwt;
  const env = fn.Properties.Environment.Variables as Record<string, unknown>;
  /** A settings value: a literal, or the deploy-time value its environment variable holds. */
  const value = (v: unknown) => (v && typeof v === 'object' && '$env' in v ? env[(v as { $env: string }).$env] : v);
  const grants = resources.filter((r) => r.Type === 'AWS::IAM::Policy')
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .filter((st: any) => ([] as string[]).concat(st.Action).includes('kms:GetPublicKey'));
  return { current: value(jwt.kmsKeyId), previous: value(jwt.previousKmsKeyId), grantedKeys: grants.flatMap((st: any) => [].concat(st.Resource)) };
}

/** The Edge stack's reference to the Keys stack output that holds a key's ARN (a weak reference). */
function keyArnOutput(s: Synthesized, logicalId: string): Record<string, unknown> {
  const outputs = s.templates.Keys.Outputs as Record<string, any>;
  const name = Object.keys(outputs).find((o) => o !== 'SigningKeyArn' && JSON.stringify(outputs[o].Value) === JSON.stringify({ 'Fn::GetAtt': [logicalId, 'Arn'] }));
  expect(name).toBeDefined();
  return { 'Fn::GetStackOutput': expect.objectContaining({ StackName: s.stackNames.Keys, OutputName: name }) };
}

test('SEC-3: generation 1 is the first signing key, under its original logical id; the authorizer verifies with it alone', () => {
  // GIVEN / WHEN the first generation (signingKeyGeneration absent)
  const keys = signingKeys(gen1);
  // THEN one key, under the logical id stages deployed before the field existed, retained, and the CLI signs with it
  expect(Object.keys(keys)).toEqual(['SigningKey159D907F']);
  expect(gen1.templates.Keys.Outputs.SigningKeyArn.Value).toEqual({ 'Fn::GetAtt': ['SigningKey159D907F', 'Arn'] });
  const v = verification(gen1);
  expect(v.current).toEqual({ 'Fn::GetStackOutput': expect.objectContaining({ StackName: gen1.stackNames.Keys }) });
  expect(v.previous).toBeUndefined();
  expect(v.grantedKeys).toEqual([v.current]);
});

test('SEC-3: generation 2 with the generation-1 key as previous: a new key signs, both verify, the old key is retained, not deleted', () => {
  // GIVEN generation 1 deployed, WHEN generation 2 with previousSigningKeyArn is deployed over it
  const keys = signingKeys(gen2WithPrevious);
  const [newKey] = Object.keys(keys);
  // THEN the Keys stack holds one new signing key, the SigningKeyArn output (what `jwt issue` signs with) is it
  expect(Object.keys(keys)).toHaveLength(1);
  expect(newKey).toMatch(/^SigningKey2/);
  expect(gen2WithPrevious.templates.Keys.Outputs.SigningKeyArn.Value).toEqual({ 'Fn::GetAtt': [newKey, 'Arn'] });
  // and the new key's policy is the one the first key had: the authorizer's role reads it, the operators sign
  const sids = (k: any) => k.Properties.KeyPolicy.Statement.map((st: any) => st.Sid).sort();
  expect(sids(keys[newKey])).toEqual(sids(signingKeys(gen1).SigningKey159D907F));
  expect(sids(keys[newKey])).toEqual(expect.arrayContaining(['AuthorizerReadsThePublicKey', 'OperatorsSign']));
  // and the old key leaves the template but stays in the account: RETAIN makes the removal an orphaning
  expect(signingKeys(gen1).SigningKey159D907F).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  const disrupted = disruptions(gen1, gen2WithPrevious).map((d) => `${d.stack}/${d.logicalId}/${d.disruption}`);
  expect(disrupted).toEqual(['Keys/SigningKey159D907F/orphan']);
  // and the authorizer verifies with the new key (tried first, key-rotation.test.ts) and the old one, and may fetch both public keys
  const v = verification(gen2WithPrevious);
  expect(v.current).toEqual(keyArnOutput(gen2WithPrevious, newKey));
  expect(v.previous).toBe(GEN1_ARN);
  expect(v.grantedKeys).toHaveLength(2);
  expect(v.grantedKeys).toEqual(expect.arrayContaining([v.current, GEN1_ARN]));
});

test('SEC-3: dropping previousSigningKeyArn leaves only the new key; nothing in the Keys stack changes', () => {
  // GIVEN the rotation deployed, WHEN the previous key is dropped after the longest JWT lifetime
  const v = verification(gen2);
  // THEN only the new key verifies, and the Keys stack is the same template (the new key is untouched)
  expect(v.previous).toBeUndefined();
  expect(v.grantedKeys).toEqual([v.current]);
  expect(v.current).toEqual(keyArnOutput(gen2, Object.keys(signingKeys(gen2))[0]));
  expect(gen2.templates.Keys).toEqual(gen2WithPrevious.templates.Keys);
  expect(disruptions(gen2WithPrevious, gen2).filter((d) => d.type === 'AWS::KMS::Key')).toEqual([]);
  expect(JSON.stringify(gen2.templates.Edge)).not.toContain(GEN1_ARN);
});
