/**
 * The enforcement point as deployed: the sidecar in the task, the load balancer's target, its audit
 * log group and alarm, and the fleet-wide WAF write limit on tool calls, asserted on the templates.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENFORCEMENT_POINT_PORT } from '../../lib/constructs/service/enforcement-point-container';
import { buildPerimeter } from '../fixtures/perimeter';
import { testConfig } from '../fixtures/test-app';

const config = testConfig({ rbac: { tools: { permissions: { write_doc: 'write', 'delete_*': 'admin', search_docs: 'read' } } } });
const perimeter = buildPerimeter(config);
const service = Template.fromStack(perimeter.service);
const edge = Template.fromStack(perimeter.edge);
const audit = Template.fromStack(perimeter.audit);

test('RBAC-2 WORK-1: the enforcement point runs beside the server, hardened like it, with the policy in its environment', () => {
  service.hasResourceProperties('AWS::ECS::TaskDefinition', {
    ContainerDefinitions: Match.arrayWith([
      Match.objectLike({ Name: 'mcp', PortMappings: [Match.objectLike({ ContainerPort: 8080 })] }),
      Match.objectLike({
        Name: 'enforcement-point',
        User: '1000:1000',
        ReadonlyRootFilesystem: true,
        Privileged: false,
        Essential: true,
        LinuxParameters: Match.objectLike({ Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: true }),
        PortMappings: [Match.objectLike({ ContainerPort: ENFORCEMENT_POINT_PORT })],
        Environment: Match.arrayWith([
          { Name: 'UPSTREAM_PORT', Value: '8080' },
          { Name: 'PEP_POLICY', Value: Match.stringLikeRegexp('"tools":\\{"write_doc":"write","delete_\\*":"admin","search_docs":"read"\\}') },
        ]),
      }),
    ]),
  });
});

test('NET-1 RBAC-2: the load balancer reaches only the enforcement point: the target and the task ingress are its port, never the server\'s', () => {
  service.hasResourceProperties('AWS::ECS::Service', {
    LoadBalancers: [{ ContainerName: 'enforcement-point', ContainerPort: ENFORCEMENT_POINT_PORT, TargetGroupArn: Match.anyValue() }],
  });
  const ingress = Object.values(service.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties.FromPort);
  expect(ingress).toContain(ENFORCEMENT_POINT_PORT);
  expect(ingress).not.toContain(8080);
});

test('AUDIT-1 AUDIT-3 AUDIT-5: the enforcement point logs to its own KMS-encrypted log group kept 90 days, with an alarm on denied tool calls', () => {
  const groups = audit.findResources('AWS::Logs::LogGroup');
  const [id] = Object.entries(groups).find(([logicalId]) => logicalId.includes('ToolCallAudit')) ?? [];
  expect(id).toBeDefined();
  expect(groups[id!].Properties).toMatchObject({ RetentionInDays: 90, KmsKeyId: expect.anything() });
  audit.hasResourceProperties('AWS::Logs::MetricFilter', {
    LogGroupName: { Ref: id },
    FilterPattern: '{ ($.event = "tool.call") && ($.decision = "deny") }',
    MetricTransformations: [Match.objectLike({ MetricName: 'DeniedToolCalls', MetricValue: '1' })],
  });
  audit.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DeniedToolCalls', AlarmActions: [Match.anyValue()] });
  service.hasResourceProperties('AWS::ECS::TaskDefinition', {
    ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'enforcement-point', LogConfiguration: Match.objectLike({ Options: Match.objectLike({ 'awslogs-stream-prefix': 'enforcement-point' }) }) })]),
  });
});

test('EDGE-2 RBAC-2: a WAF rate rule per credential counts tools/call of the configured write tools in the JSON body, fleet-wide, and answers 429', () => {
  const name = (pointer: string, constraint: string, value: string) => ({
    ByteMatchStatement: Match.objectLike({
      FieldToMatch: { JsonBody: { MatchPattern: { IncludedPaths: [pointer] }, MatchScope: 'VALUE', InvalidFallbackBehavior: 'NO_MATCH', OversizeHandling: 'CONTINUE' } },
      PositionalConstraint: constraint,
      SearchString: value,
    }),
  });
  for (const header of config.auth.credentialHeaders) {
    edge.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([Match.objectLike({
        Name: `ToolWritesPerCredential-${header}`,
        Action: { Block: { CustomResponse: Match.objectLike({ ResponseCode: 429 }) } },
        Statement: {
          RateBasedStatement: {
            AggregateKeyType: 'CUSTOM_KEYS',
            CustomKeys: [{ Header: { Name: header, TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
            Limit: config.rateLimits.writesPerCredentialPerMinute,
            EvaluationWindowSec: 60,
            ScopeDownStatement: {
              AndStatement: {
                Statements: [
                  name('/method', 'EXACTLY', 'tools/call'),
                  { OrStatement: { Statements: [name('/params/name', 'EXACTLY', 'write_doc'), name('/params/name', 'STARTS_WITH', 'delete_')] } },
                ],
              },
            },
          },
        },
      })]),
    });
  }
});

test('RBAC-2: with rbac.tools.enforce false the task runs the server alone, and no write tool means no tool-call WAF rule', () => {
  const plain = buildPerimeter(testConfig({ rbac: { tools: { enforce: false } } }));
  const task = Object.values(Template.fromStack(plain.service).findResources('AWS::ECS::TaskDefinition'))[0];
  expect(task.Properties.ContainerDefinitions.map((c: { Name: string }) => c.Name)).toEqual(['mcp']);
  const rules = Object.values(Template.fromStack(plain.edge).findResources('AWS::WAFv2::WebACL'))[0].Properties.Rules.map((r: { Name: string }) => r.Name);
  expect(rules.filter((n: string) => n.startsWith('ToolWrites'))).toEqual([]);
});
