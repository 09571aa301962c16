import { existsSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { AUTHORIZER_ENTRY } from '../../lib/constructs/authorizer/perimeter-authorizer';
import { buildPerimeter } from '../fixtures/perimeter';
import { testConfig, withCloudFormationValidation } from '../fixtures/test-app';

test('the five stacks synthesize together: no reference cycle, every template passes CloudFormation validation', () => {
  // GIVEN the default config
  const { app, edge, service } = buildPerimeter(testConfig());
  // WHEN
  const assembly = withCloudFormationValidation(() => app.synth());
  // THEN every stack is in the assembly and the edge depends on the service, never the reverse
  expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(
    ['Audit', 'Edge', 'Keys', 'Network', 'Service'].map((c) => `McpPerimeter-dev-${c}`).sort(),
  );
  expect(edge.dependencies).toContain(service);
  expect(service.dependencies).not.toContain(edge);
});

test('the perimeter synthesizes in every JWT mode and with NAT egress', () => {
  for (const overlay of [
    { auth: { jwt: { mode: 'kms', issuer: 'mcp-perimeter', audience: 'mcp' } } },
    { auth: { jwt: { mode: 'hs256', issuer: 'mcp-perimeter', audience: 'mcp' } } },
    { network: { egress: 'nat' }, auth: { jwt: { mode: 'jwks', issuer: 'https://idp.example.com', audience: 'mcp', jwksUrl: 'https://idp.example.com/jwks.json' } } },
  ]) {
    const { app } = buildPerimeter(testConfig(overlay));
    expect(() => withCloudFormationValidation(() => app.synth())).not.toThrow();
  }
});

test('SEC-4: in HS256 mode the authorizer may read the one secret parameter, through SSM', () => {
  const { edge } = buildPerimeter(testConfig({ auth: { jwt: { mode: 'hs256', issuer: 'mcp-perimeter', audience: 'mcp' } } }));
  const statements = Object.values(Template.fromStack(edge).findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  const secret = statements.find((s: any) => JSON.stringify(s.Resource).includes('jwt/hs256-secret') && ([] as string[]).concat(s.Action).includes('ssm:GetParameter'));
  expect(secret).toBeDefined();
});

const realAuthorizer = existsSync(AUTHORIZER_ENTRY) ? test : test.skip;
realAuthorizer('the real authorizer (lambda/authorizer/index.ts) bundles with esbuild into the edge stack', () => {
  const { app } = buildPerimeter(testConfig(), { bundling: true, authorizerEntry: AUTHORIZER_ENTRY });
  expect(() => app.synth()).not.toThrow();
});

test('AUDIT-4: the load balancer may write its access logs under alb/ in the audit bucket (policy stays in the audit stack)', () => {
  const { audit } = buildPerimeter(testConfig());
  const statements = Object.values(Template.fromStack(audit).findResources('AWS::S3::BucketPolicy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  const albWrite = statements.find((s: any) => s.Action === 's3:PutObject' && JSON.stringify(s.Resource).includes('/alb/AWSLogs/111111111111/*') && JSON.stringify(s.Principal).includes('156460612806'));
  expect(albWrite).toBeDefined();
});
