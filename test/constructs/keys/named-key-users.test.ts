import { presetConfig, resourcesOf, synthesize } from '../../presets/preset-harness';

test('SEC-4: the role the key policies name is the authorizer\'s own role in the Edge stack (no cross-stack cycle), and the operators\' role comes from auth.operatorRoleArn', () => {
  // GIVEN a stage with the kit's signing key and an operators' role
  const operatorRoleArn = 'arn:aws:iam::111111111111:role/mcp-operators';
  const t = synthesize(presetConfig('docker-mcp', { auth: { jwt: { mode: 'kms', issuer: 'i', audience: 'a' }, operatorRoleArn } }));
  // WHEN
  const keys = resourcesOf(t.keys, 'AWS::KMS::Key').map(([, k]) => k.Properties.KeyPolicy.Statement as any[]);
  const named = new Set(keys.flat().flatMap((s) => [s.Condition?.ArnEquals?.['aws:PrincipalArn'] ?? []].flat()).map((a) => JSON.stringify(a)));
  // (ArnLike: the deployment roles that create the token table's grant, by the CDK bootstrap's name pattern)
  const patterns = new Set(keys.flat().flatMap((s) => [s.Condition?.ArnLike?.['aws:PrincipalArn'] ?? []].flat()).map((a) => JSON.stringify(a)));
  expect([...patterns].map((a) => JSON.parse(a)).map((a) => (typeof a === 'string' ? a : a['Fn::Join'][1].map((p: any) => (p.Ref ? `<${p.Ref}>` : p)).join('')))).toEqual(['arn:aws:iam::<AWS::AccountId>:role/cdk-*-cfn-exec-role-<AWS::AccountId>-eu-west-1']);
  const authorizerRoles = resourcesOf(t.edge, 'AWS::IAM::Role').filter(([id]) => id.startsWith('AuthorizerServiceRole'));
  // THEN
  expect(authorizerRoles).toHaveLength(1);
  const roleName = authorizerRoles[0][1].Properties.RoleName;
  expect(roleName).toMatch(/^mcp-perimeter-[a-z0-9-]+-authorizer-/);
  // An environment-agnostic stack names its own account as a reference: read it as the operators' account.
  const rendered = [...named].map((a) => JSON.parse(a)).map((a) => (typeof a === 'string' ? a : a['Fn::Join'][1].map((p: any) => (p.Ref === 'AWS::AccountId' ? '111111111111' : p)).join('')));
  expect(rendered.sort()).toEqual([`arn:aws:iam::111111111111:role/${roleName}`, operatorRoleArn].sort());
  // AND no use statement names the whole account without a role condition
  for (const s of keys.flat().filter((x) => x.Sid !== 'KeyAdministrationByTheAccount' && x.Principal.AWS)) {
    expect(s.Condition.ArnEquals?.['aws:PrincipalArn'] ?? s.Condition.ArnLike?.['aws:PrincipalArn']).toBeDefined();
  }
});
