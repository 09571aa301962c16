import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { AuditStack } from '../../lib/stacks/audit-stack';
import { KeysStack } from '../../lib/stacks/keys-stack';
import { NetworkStack } from '../../lib/stacks/network-stack';
import { appContext, testConfig, TEST_ENV } from '../fixtures/test-app';

interface BaseStacks { app: App; keys: KeysStack; audit: AuditStack; network: NetworkStack }

/** The first three stacks of the stage, wired as the stage wires them. */
function baseStacks(overlay: Record<string, unknown> = {}, outdir?: string): BaseStacks {
  const app = new App({ context: appContext({ 'aws:cdk:bundling-stacks': [] }), outdir });
  const config = testConfig(overlay);
  const keys = new KeysStack(app, 'Keys', { env: TEST_ENV, config });
  const audit = new AuditStack(app, 'Audit', { env: TEST_ENV, config, auditKey: keys.auditKey });
  const network = new NetworkStack(app, 'Network', { env: TEST_ENV, config, flowLogGroup: audit.auditLog.flowLogGroup });
  return { app, keys, audit, network };
}

/** Synthesizes with the five cdk-nag packs the kit runs and returns the unacknowledged findings as `<rule> <construct path>`. */
function findings(overlay: Record<string, unknown>): string[] {
  const outdir = mkdtempSync(join(tmpdir(), 'base-nag-'));
  const { app } = baseStacks(overlay, outdir);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app), new ServerlessChecks(app));
  const reportFile = join(outdir, 'validation-report.json');
  try {
    app.synth();
  } catch (e) {
    // cdk-nag 3 fails the synth on findings, after writing the report; any other failure is a real one
    if (!existsSync(reportFile)) throw e;
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  rmSync(outdir, { recursive: true, force: true });
  return report.pluginReports.flatMap((plugin: any) => plugin.violations.flatMap((v: any) =>
    (v.violatingConstructs ?? v.violatingResources ?? []).map((c: any) => `${v.ruleName} ${c.constructPath}`))).sort();
}

const BUCKETS = ['Audit/AuditLog/AccessLogBucket/Resource/Resource', 'Audit/AuditLog/AccessLogBucket/ServerAccessLogs/Resource'];
const PACKS = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];
/** Findings that are wrong for this design, for the central acknowledgments (see the report of issue 2). */
const EXPECTED_S3 = PACKS.flatMap((pack) => BUCKETS.flatMap((bucket) => [
  `${pack}-S3BucketReplicationEnabled ${bucket}`,
  `${pack}-S3DefaultEncryptionKMS ${bucket}`,
]));

test('NET-1: the network stack builds the VPC from config.network (CIDR, AZs) with isolated workload subnets', () => {
  // GIVEN / WHEN
  const { network } = baseStacks({ network: { cidr: '10.50.0.0/20', maxAzs: 3 } });
  // THEN
  const template = Template.fromStack(network);
  template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.50.0.0/20' });
  expect(network.vpc.isolatedSubnets).toHaveLength(3);
  template.resourceCountIs('AWS::EC2::NatGateway', 0);
  template.resourceCountIs('AWS::EC2::InternetGateway', 0);
});

test('NET-4: config.network.egress nat adds the NAT gateways', () => {
  // GIVEN / WHEN
  const { network } = baseStacks({ network: { egress: 'nat' } });
  // THEN
  Template.fromStack(network).resourceCountIs('AWS::EC2::NatGateway', 2);
  expect(network.vpc.privateSubnets).toHaveLength(2);
});

test('WORK-3: config.service.enableExec adds the SSM Messages endpoint', () => {
  // GIVEN / WHEN
  const { network } = baseStacks({ service: { enableExec: true, execReason: 'on-call engineers debug stuck MCP sessions' } });
  // THEN
  expect(Object.keys(network.network.interfaceEndpoints)).toContain('SsmMessages');
});

test('AUDIT-4: the VPC flow logs go to the audit stack\'s flow log group', () => {
  // GIVEN / WHEN
  const { network } = baseStacks();
  // THEN
  const flowLog = Object.values(Template.fromStack(network).findResources('AWS::EC2::FlowLog'))[0] as any;
  expect(JSON.stringify(flowLog.Properties.LogGroupName)).toMatch(/Audit.*FlowLogGroup/);
  expect(flowLog.Properties.TrafficType).toBe('ALL');
});

test('keys, audit and network reference only earlier stacks (no cycle)', () => {
  // GIVEN
  const { app, keys, audit, network } = baseStacks({ auth: { jwt: { mode: 'kms', issuer: 'https://issuer.example.com', audience: 'mcp' } } });
  // WHEN
  app.synth();
  // THEN
  const names = (stack: KeysStack | AuditStack | NetworkStack) => stack.dependencies.map((d) => d.stackName);
  expect(names(keys)).toEqual([]);
  expect(names(audit)).toEqual(['Keys']);
  expect(names(network)).toEqual(['Audit']);
});

test('the VPC keeps a stable logical id', () => {
  // GIVEN / WHEN
  const { network } = baseStacks();
  // THEN
  expect(Object.keys(Template.fromStack(network).findResources('AWS::EC2::VPC'))).toEqual(['Network6E62CE96']);
});

/** The token table's AWS Backup finding (acknowledged, SEC-2: point-in-time recovery instead). */
const EXPECTED_TABLE = ['HIPAA.Security', 'NIST.800.53.R5'].map((pack) => `${pack}-DynamoDBInBackupPlan Keys/TokenStore/Table/Resource`);

test('NET-2, AUDIT-3, SEC-4: the default config leaves only the S3 findings that are wrong for the ALB log buckets (SSE-S3 only, no replication) and the token table\'s backup-plan finding', () => {
  // GIVEN / WHEN
  const found = findings({});
  // THEN
  expect(found).toEqual([...EXPECTED_S3, ...EXPECTED_TABLE].sort());
});

test('NET-4: egress nat adds only the route-to-IGW findings of the public subnets; an email subscription only the redrive finding', () => {
  // GIVEN / WHEN
  const found = findings({ network: { egress: 'nat' }, audit: { alarmEmail: 'soc@example.com' }, auth: { jwt: { mode: 'kms', issuer: 'https://issuer.example.com', audience: 'mcp' } } });
  // THEN
  const routes = PACKS.flatMap((pack) => [1, 2].map((n) => `${pack}-VPCNoUnrestrictedRouteToIGW Network/Network/Resource/PublicSubnet${n}/DefaultRoute`));
  const redrive = ['Serverless-SNSRedrivePolicy Audit/AuditLog/Alarms/Resource/soc@example.com/Resource'];
  expect(found).toEqual([...EXPECTED_S3, ...EXPECTED_TABLE, ...routes, ...redrive].sort());
});
