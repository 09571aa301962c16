import { App, CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import { AwsLimitsValidation } from '../../lib/limits/aws-limits-validation';

/** A stage with the plugin and one stack holding a web ACL whose regex is `length` characters. */
function synth(length: number) {
  const app = new App();
  const stage = new Stage(app, 'dev');
  const plugin = new AwsLimitsValidation();
  Validations.of(stage).addPlugins(plugin);
  const stack = new Stack(stage, 'Edge', { stackName: 'McpPerimeter-dev-Edge' });
  new CfnResource(stack, 'Acl', {
    type: 'AWS::WAFv2::WebACL',
    properties: { Rules: [{ Name: 'Q', Statement: { RegexMatchStatement: { RegexString: 'a'.repeat(length), FieldToMatch: { QueryString: {} }, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } } }] },
  });
  return { run: () => app.synth(), plugin };
}

test('a template within the limits synthesizes', () => {
  const { run, plugin } = synth(200);
  expect(run).not.toThrow();
  expect(plugin.breaches).toEqual([]);
});

test('fails synthesis on a template over a limit, naming the stack, the resource, the value, the limit and its source', () => {
  const { run, plugin } = synth(201);
  expect(run).toThrow();
  expect(plugin.breaches.map((b) => b.message)).toEqual([
    "McpPerimeter-dev-Edge/Acl Properties.Rules.0.Statement: rule Q's regex pattern length is 201, over the AWS limit: characters in a regex pattern = 200 (https://docs.aws.amazon.com/waf/latest/developerguide/limits.html)",
  ]);
});
