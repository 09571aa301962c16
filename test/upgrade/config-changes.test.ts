/**
 * Upgrade rehearsals: for each class of config change the README documents, what a deployment of the
 * changed config over the base one replaces, destroys or orphans. Each config is synthesized once; the
 * templates are compared in memory (test/upgrade/rehearsal.ts). docs/operations.md tabulates the result.
 */
import type { PerimeterConfigInput } from '../../lib/config';
import { testConfig } from '../fixtures/test-app';
import { CONCERNS, Disrupted, disruptions, fingerprint, referencedResources, Synthesized, synthesize } from './rehearsal';

const ECR = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/example/mcp-server';

/** One change class: the overlay over the base config, and what it may disrupt (`<stack>/<type>`). */
const CHANGES: Record<string, { overlay: Record<string, unknown>; disrupts: string[] }> = {
  'network.egress none -> nat': { overlay: { network: { egress: 'nat' } }, disrupts: ['Edge/AWS::ApiGateway::Deployment'] },
  'network.maxAzs 2 -> 3': { overlay: { network: { maxAzs: 3 } }, disrupts: [] },
  'service.image (new tag)': { overlay: { service: { image: { kind: 'registry', name: `${ECR}:2.0.0` } } }, disrupts: ['Service/AWS::ECS::TaskDefinition'] },
  'service.cpu / memoryMiB': { overlay: { service: { cpu: 512, memoryMiB: 1024 } }, disrupts: ['Service/AWS::ECS::TaskDefinition'] },
  'service.cpuArchitecture': { overlay: { service: { cpuArchitecture: 'arm64' } }, disrupts: ['Service/AWS::ECS::TaskDefinition'] },
  'service.desiredCount / maxCount': { overlay: { service: { desiredCount: 3, maxCount: 9 } }, disrupts: [] },
  'service.backends (a second backend)': {
    overlay: { service: { backends: [{ name: 'mcp', containerPort: 8080, paths: ['/mcp', '/admin'], healthPath: '/health' }, { name: 'rest', containerPort: 8081, paths: ['/api'], healthPath: '/health' }] } },
    disrupts: ['Service/AWS::ECS::TaskDefinition'],
  },
  'rbac.routes (a new route)': {
    overlay: { rbac: { routes: [{ path: '/mcp', methods: ['ANY'], permission: 'read' }, { path: '/api', methods: ['GET', 'HEAD'], permission: 'read' }, { path: '/api', methods: ['ANY'], permission: 'write' }, { path: '/admin', methods: ['ANY'], permission: 'admin' }, { path: '/docs', methods: ['GET'], permission: 'read' }] } },
    disrupts: ['Edge/AWS::ApiGateway::Deployment'],
  },
  'rbac.roles': { overlay: { rbac: { roles: { reader: ['read'], agent: ['read', 'write'], admin: ['read', 'write', 'admin'], auditor: ['read'] } } }, disrupts: [] },
  // The server echoes the allowed origins (CORS_ALLOWED_ORIGINS): a new task definition revision, rolled out in place.
  'cors.allowedOrigins': { overlay: { cors: { allowedOrigins: ['https://app.example.com'] } }, disrupts: ['Edge/AWS::ApiGateway::Deployment', 'Service/AWS::ECS::TaskDefinition'] },
  'rateLimits': { overlay: { rateLimits: { perIpPerMinute: 20, perCredentialPerMinute: 40, stageRatePerSecond: 20, stageBurst: 40 } }, disrupts: [] },
  'limits.maxBodyBytes': { overlay: { limits: { maxBodyBytes: 20480 } }, disrupts: [] },
  // Read-only mode is part of the MCP enforcement point's policy (PEP_POLICY): a new task definition revision.
  // (the default caches authorizer decisions: a new TTL is a new authorizer setting, so a new deployment)
  'auth settings (refresh, cache TTL, read-only)': { overlay: { auth: { refreshSeconds: 30, cacheTtlSeconds: 30, readOnly: true } }, disrupts: ['Edge/AWS::ApiGateway::Deployment', 'Service/AWS::ECS::TaskDefinition'] },
  'auth.jwt (none -> kms)': { overlay: { auth: { jwt: { mode: 'kms', issuer: 'https://issuer.example.com', audience: 'mcp' } } }, disrupts: ['Edge/AWS::ApiGateway::Deployment'] },
  // The tool policy is the MCP enforcement point's PEP_POLICY (a new task definition revision); a named write tool
  // adds the fleet-wide WAF rule, which updates the web ACL in place.
  'rbac.tools': { overlay: { rbac: { tools: { permissions: { 'delete_*': 'admin', 'write_doc': 'write' } } } }, disrupts: ['Service/AWS::ECS::TaskDefinition'] },
  'audit.logRetentionDays 90 -> 365': { overlay: { audit: { logRetentionDays: 365 } }, disrupts: [] },
  'audit.alarmEmail': { overlay: { audit: { alarmEmail: 'secops@example.com' } }, disrupts: [] },
  'service.enableExec': { overlay: { service: { enableExec: true, execReason: 'on-call engineers debug stuck MCP sessions' } }, disrupts: [] },
};

/** Resource types that hold state or are retained: never replaced, destroyed or orphaned by a config change. */
const STATEFUL = ['AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::S3::Bucket', 'AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::DynamoDB::Table', 'AWS::SNS::Topic'];

const base = synthesize(testConfig());
const cidrChange = synthesize(testConfig({ network: { cidr: '10.41.0.0/16' } }));
const results = new Map<string, { after: Synthesized; disrupted: Disrupted[] }>();
function rehearse(name: string): { after: Synthesized; disrupted: Disrupted[] } {
  if (!results.has(name)) {
    const after = synthesize(testConfig(CHANGES[name].overlay as PerimeterConfigInput));
    results.set(name, { after, disrupted: disruptions(base, after) });
  }
  return results.get(name)!;
}

test.each(Object.keys(CHANGES))('NET-1, AUDIT-3: changing %s on a deployed stage replaces only what the rehearsal lists, never a stateful resource', (name) => {
  // GIVEN / WHEN
  const { disrupted } = rehearse(name);
  // THEN
  const types = [...new Set(disrupted.map((d) => `${d.stack}/${d.type}`))].sort();
  expect(types).toEqual([...CHANGES[name].disrupts].sort());
  expect(disrupted.filter((d) => STATEFUL.includes(d.type))).toEqual([]);
});

test('egress and AZs are added without moving a subnet: the subnets of the base config keep their CIDRs', () => {
  const cidrs = (s: Synthesized) => Object.fromEntries(Object.entries(s.templates.Network.Resources as Record<string, any>).filter(([, r]) => r.Type === 'AWS::EC2::Subnet').map(([id, r]) => [id, r.Properties.CidrBlock]));
  const before = cidrs(base);
  for (const name of ['network.egress none -> nat', 'network.maxAzs 2 -> 3']) {
    const after = cidrs(rehearse(name).after);
    expect(Object.keys(after).length).toBeGreaterThan(Object.keys(before).length);
    for (const [id, cidr] of Object.entries(before)) expect([name, id, after[id]]).toEqual([name, id, cidr]);
  }
});

test('a stack that reads a resource another stack replaces gets a new reference fingerprint, so the CLI redeploys it', () => {
  // GIVEN every rehearsed change, and the one that replaces resources others read (network.cidr)
  const cases = [...Object.keys(CHANGES).map((name) => ({ name, ...rehearse(name) })), { name: 'network.cidr', after: cidrChange, disrupted: disruptions(base, cidrChange) }];
  const checked: string[] = [];
  for (const { name, after, disrupted } of cases) {
    const replaced = new Set(disrupted.filter((d) => d.disruption === 'replace' || d.disruption === 'may-replace').map((d) => `${d.stack}/${d.logicalId}`));
    for (const consumer of CONCERNS.slice(1)) {
      // WHEN the consumer reads one of them through Fn::GetStackOutput
      if (!referencedResources(base, consumer).some((r) => replaced.has(r))) continue;
      // THEN its fingerprint changed
      expect([name, consumer, fingerprint(after, consumer)]).not.toEqual([name, consumer, fingerprint(base, consumer)]);
      checked.push(`${name}: ${consumer}`);
    }
  }
  // the VPC and its subnets are read by the Service and Edge stacks
  expect(checked).toEqual(expect.arrayContaining(['network.cidr: Service', 'network.cidr: Edge']));
  // and a change that replaces nothing the readers read leaves their fingerprints alone
  const quiet = rehearse('audit.alarmEmail').after;
  for (const consumer of ['Network', 'Service', 'Edge'] as const) expect([consumer, fingerprint(quiet, consumer)]).toEqual([consumer, fingerprint(base, consumer)]);
});

test('the VPC link keeps its two subnets when network.maxAzs grows (a VPC link\'s subnets cannot change in place)', () => {
  const link = (s: Synthesized) => Object.values(s.templates.Service.Resources as Record<string, any>).find((r) => r.Type === 'AWS::ApiGatewayV2::VpcLink').Properties.SubnetIds;
  expect(link(base)).toHaveLength(2);
  expect(link(rehearse('network.maxAzs 2 -> 3').after)).toEqual(link(base));
});

test('network.cidr replaces the VPC and every subnet: the one change that needs a new stage (docs/operations.md)', () => {
  const replaced = disruptions(base, cidrChange).filter((d) => d.disruption === 'replace').map((d) => d.type);
  expect(replaced).toEqual(expect.arrayContaining(['AWS::EC2::VPC', 'AWS::EC2::Subnet']));
});

test('stage is part of every stack name: a new stage name deploys a second stage next to the first, it does not update it', () => {
  const other = synthesize(testConfig({ stage: 'prod' }));
  for (const c of CONCERNS) expect(other.stackNames[c]).not.toBe(base.stackNames[c]);
});

test('turning JWT mode kms off orphans the signing key (retained, as asked) and replaces nothing else stateful', () => {
  // GIVEN a stage with KMS-signed JWTs
  const kms = synthesize(testConfig({ auth: { jwt: { mode: 'kms', issuer: 'https://issuer.example.com', audience: 'mcp' } } }));
  // WHEN the config drops the JWT mode
  const disrupted = disruptions(kms, base);
  // THEN the key is left in the account (RETAIN), not deleted, and is the only stateful resource touched
  expect(disrupted.filter((d) => STATEFUL.includes(d.type)).map((d) => `${d.stack}/${d.type}/${d.disruption}`)).toEqual(['Keys/AWS::KMS::Key/orphan']);
  expect(disrupted.map((d) => `${d.stack}/${d.type}/${d.disruption}`).sort()).toEqual(['Edge/AWS::ApiGateway::Deployment/destroy', 'Keys/AWS::KMS::Key/orphan']);
});

test('SEC-3: a new signing key generation (with the old key as previous) orphans the old key (retained) and replaces nothing else stateful', () => {
  // GIVEN a stage with KMS-signed JWTs, generation 1
  const jwt = { mode: 'kms', issuer: 'https://issuer.example.com', audience: 'mcp' };
  const gen1 = synthesize(testConfig({ auth: { jwt } }));
  // WHEN generation 2 is deployed with the generation-1 key as previous (README "Token rotation")
  const previousSigningKeyArn = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const gen2 = synthesize(testConfig({ auth: { jwt: { ...jwt, signingKeyGeneration: 2, previousSigningKeyArn } } }));
  // THEN the old key is left in the account (RETAIN), not deleted, and nothing else is replaced or removed
  // (the authorizer function and its policy update in place; the API's Deployment stays)
  const disrupted = disruptions(gen1, gen2);
  expect(disrupted.map((d) => `${d.stack}/${d.type}/${d.disruption}`)).toEqual(['Keys/AWS::KMS::Key/orphan']);
});
