/**
 * Issue 11, point 6: a destroyed stage can be deployed again under the same name. Resources kept when a
 * stack is deleted (DeletionPolicy Retain) outlive it, so none may carry a name fixed at synth: the new
 * stack would try to create a resource that still exists. A name is allowed only if CloudFormation
 * generates it (no name property) or it depends on the stack's own id (`AWS::StackId`, new per creation).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { buildPerimeter } from '../fixtures/perimeter';
import { testConfig } from '../fixtures/test-app';

/** Properties that name a resource (CloudFormation resource reference: `<Type>Name` and the like). */
const NAME_PROPERTY = /^(TableName|LogGroupName|BucketName|RoleName|AliasName|Name|TopicName|QueueName|GroupName|KeyName|ParameterName|SecretName|RepositoryName|FunctionName|ClusterName|LoadBalancerName)$/;

function retainedNames(config: Parameters<typeof testConfig>[0]): { resource: string; property: string; value: string }[] {
  const perimeter = buildPerimeter(testConfig(config));
  const found: { resource: string; property: string; value: string }[] = [];
  for (const stack of [perimeter.keys, perimeter.audit, perimeter.network, perimeter.service, perimeter.edge]) {
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string; Properties?: Record<string, unknown> }>;
    for (const [id, resource] of Object.entries(resources)) {
      if (resource.DeletionPolicy !== 'Retain') continue;
      for (const [property, value] of Object.entries(resource.Properties ?? {})) {
        if (!NAME_PROPERTY.test(property)) continue;
        const text = JSON.stringify(value);
        if (!text.includes('AWS::StackId')) found.push({ resource: `${stack.stackName}/${id} (${resource.Type})`, property, value: text });
      }
    }
  }
  return found;
}

test('no retained resource has a name fixed at synth, so a destroyed stage can be deployed again (issue 11)', () => {
  expect(retainedNames({})).toEqual([]);
  expect(retainedNames({ auth: { jwt: { mode: 'kms', issuer: 'mcp-perimeter', audience: 'mcp' } } })).toEqual([]);
});

test('the check sees what it guards: the token table is retained and the WAF log group is named after the stack id', () => {
  const perimeter = buildPerimeter(testConfig({}));
  const keys = Template.fromStack(perimeter.keys);
  keys.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  const audit = JSON.stringify(Template.fromStack(perimeter.audit).toJSON());
  expect(audit).toMatch(/"LogGroupName":\{"Fn::Join":\["",\["aws-waf-logs-mcp-perimeter-dev-",.*AWS::StackId/);
});
