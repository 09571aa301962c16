/**
 * Room to grow (issue #11, point 2): a route table of 200 entries and 30 roles synthesizes as a whole
 * stage, and every AWS limit check passes on it; the same table in the earlier design (settings in the
 * environment, resources per route path, listener rules per route path) breaks three of them.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { estimatedApiWebAclCapacity } from '../../lib/config/checks/aws-limits';
import { listenerRuleCount } from '../../lib/constructs/service/listener-paths';
import { AWS_LIMITS } from '../../lib/limits/aws-limits';
import { checkTemplate, checkTemplates, estimateWebAclCapacity, SynthesizedTemplate } from '../../lib/limits/template-limits';
import { PerimeterStage } from '../../lib/stage';
import { testApp, testConfig, TEST_ENV } from '../fixtures/test-app';

const PERMISSIONS = ['read', 'write', 'admin', ...Array.from({ length: 9 }, (_, i) => `perm${i}`)];
const ROUTES = Array.from({ length: 200 }, (_, i) => ({
  path: `/svc${i % 10}/resource-${i}`,
  methods: i % 3 === 0 ? ['GET', 'HEAD'] : ['ANY'],
  permission: PERMISSIONS[i % PERMISSIONS.length],
}));
const ROLES = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`role-${i}`, ['read', PERMISSIONS[3 + (i % 9)], ...(i % 2 ? ['write'] : [])]]));
const CONFIG = testConfig({ rbac: { permissions: PERMISSIONS, roles: ROLES, routes: ROUTES } });

let templates: SynthesizedTemplate[];
let assemblyDir: string;


beforeAll(() => {
  // Synthesized once, with the authorizer bundled and the stage's AwsLimits plugin run (a breach throws here).
  const app = testApp();
  new PerimeterStage(app, CONFIG.stage, { config: CONFIG, env: TEST_ENV });
  const assembly = app.synth();
  assemblyDir = assembly.directory;
  const stageAssembly = assembly.getNestedAssembly(`assembly-${CONFIG.stage}`);
  templates = stageAssembly.stacks.map((s) => ({ stack: s.stackName, template: s.template, bytes: statSync(join(stageAssembly.directory, s.templateFile)).size }));
}, 240_000);

test('a 200-route, 30-role config passes every AWS limit check, config and templates', () => {
  expect(CONFIG.rbac.routes).toHaveLength(200);
  expect(Object.keys(CONFIG.rbac.roles)).toHaveLength(30);
  expect(templates.map((t) => t.stack).sort()).toEqual(['Edge', 'Keys', 'Audit', 'Network', 'Service'].map((c) => `McpPerimeter-dev-${c}`).sort());
  expect(checkTemplates(templates).map((b) => b.message)).toEqual([]);
});

test('the authorizer settings travel in the bundle, whole: every route is in the code, the environment holds none', () => {
  const edge = templates.find((t) => t.stack.endsWith('-Edge'))!;
  const fn = Object.values(edge.template.Resources!).find((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['McpPerimeter::AuthorizerSettings'])!;
  const settings = fn.Metadata!['McpPerimeter::AuthorizerSettings'] as { routes: unknown[]; roles: object };
  expect(settings.routes).toHaveLength(200);
  expect(Object.keys(settings.roles)).toHaveLength(30);
  expect(JSON.stringify(fn.Properties!.Environment.Variables)).not.toContain('resource-199');
  const bundles = readdirSync(assemblyDir).filter((d) => d.startsWith('asset.')).map((d) => join(assemblyDir, d, 'index.js')).filter((f) => { try { return statSync(f).isFile(); } catch { return false; } });
  const authorizerBundle = bundles.map((f) => readFileSync(f, 'utf8')).find((code) => code.includes('/svc9/resource-199'));
  expect(authorizerBundle).toBeDefined();
  expect(authorizerBundle).toContain('"role-29"');
});

test('the bundled authorizer runs on its bundled settings alone: no AUTHORIZER_SETTINGS in its environment', () => {
  const bundle = readdirSync(assemblyDir).filter((d) => d.startsWith('asset.')).map((d) => join(assemblyDir, d, 'index.js'))
    .find((f) => { try { return readFileSync(f, 'utf8').includes('/svc9/resource-199'); } catch { return false; } })!;
  // A request without a credential: an authorizer with valid settings denies it as credential_missing; one
  // without settings would log authorizer.settings_invalid and refuse as unconfigured.
  const script = `require(${JSON.stringify(bundle)}).handler({ type: 'REQUEST', methodArn: 'arn:aws:execute-api:eu-west-1:111111111111:abc/live/GET/svc9/resource-199', headers: {}, requestContext: { requestId: 'r1' } }).catch(() => process.exit(0));`;
  // The only deploy-time setting is the token table's generated name (AUTHORIZER_SETTING_0, resolved by
  // CloudFormation); a stand-in takes its place, as the deployed function's environment would.
  const edge = templates.find((t) => t.stack.endsWith('-Edge'))!;
  const fn = Object.values(edge.template.Resources!).find((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['McpPerimeter::AuthorizerSettings'])!;
  expect(Object.keys(fn.Properties!.Environment.Variables).filter((k) => k.startsWith('AUTHORIZER_SETTING'))).toEqual(['AUTHORIZER_SETTING_0']);
  const env = { PATH: process.env.PATH, NODE_PATH: join(__dirname, '..', '..', 'node_modules'), AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_EC2_METADATA_DISABLED: 'true', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AUTHORIZER_SETTING_0: 'McpPerimeter-dev-Keys-TokenStoreTable0123ABCD-1A2B3C4D5E6F' };
  const run = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8', timeout: 30_000 });
  expect(run.stdout).toContain('"reason":"credential_missing"');
  expect(run.stdout).not.toContain('settings_invalid');
});

test('the same settings in the environment, as before, would be over Lambda\'s 4 KB', () => {
  const edge = templates.find((t) => t.stack.endsWith('-Edge'))!;
  const [id, fn] = Object.entries(edge.template.Resources!).find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['McpPerimeter::AuthorizerSettings'])!;
  const before = { Resources: { [id]: { ...fn, Properties: { ...fn.Properties, Environment: { Variables: { AUTHORIZER_SETTINGS: JSON.stringify(fn.Metadata!['McpPerimeter::AuthorizerSettings']) } } } } } };
  expect(checkTemplate({ stack: 'before', template: before, bytes: 0 }).map((b) => b.limit)).toEqual(['lambdaEnvironmentBytes']);
});

test('the Edge stack does not grow per route: one proxy resource pair per top-level prefix', () => {
  const edge = templates.find((t) => t.stack.endsWith('-Edge'))!;
  const apiResources = Object.values(edge.template.Resources!).filter((r) => r.Type === 'AWS::ApiGateway::Resource').map((r) => r.Properties!.PathPart);
  // 10 prefixes and their {proxy+}, health, .well-known and its document.
  expect(apiResources).toHaveLength(23);
  expect(Object.keys(edge.template.Resources!).length).toBeLessThan(100);
  // Before: a resource and a {proxy+} per route path, under its prefix: 10 + 400 resources, over 300.
  const before = new Set(ROUTES.flatMap((r) => [`/${r.path.split('/')[1]}`, r.path, `${r.path}/{proxy+}`])).size + 3 + 1;
  expect(before).toBeGreaterThan(AWS_LIMITS.apiGatewayResourcesPerApi.value);
});

test('the internal load balancer routes prefixes: listener rules stay far under 100', () => {
  const service = templates.find((t) => t.stack.endsWith('-Service'))!;
  const rules = Object.values(service.template.Resources!).filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule');
  expect(rules).toHaveLength(listenerRuleCount([{ name: 'mcp', paths: ROUTES.map((r) => r.path) }], CONFIG.service.healthPath, true));
  expect(rules.length).toBe(10);
  // Before: two patterns per route path, five per rule, twice (stage prefix), plus the health rules.
  expect(Math.ceil((ROUTES.length * 2) / 5) * 2 + 2).toBeGreaterThan(AWS_LIMITS.elbRulesPerLoadBalancer.value);
});

test('the config-side WCU estimate of the API web ACL is a lower bound of the template-side estimate, within the rules the config does not size', () => {
  const edge = templates.find((t) => t.stack.endsWith('-Edge'))!;
  const acl = Object.values(edge.template.Resources!).find((r) => r.Type === 'AWS::WAFv2::WebACL')!;
  const template = estimateWebAclCapacity(acl.Properties!);
  const config = estimatedApiWebAclCapacity(CONFIG);
  expect(config).toBeLessThanOrEqual(template);
  // The rules left out of the config-side sum (origin check, unauthenticated rate, body signatures, tool calls).
  const unsized = new Set(['BlockDisallowedOrigin', 'RatePerIpWithoutCredential', 'BlockBodySignaturesOutsideMcp', 'CountBodySignaturesOnMcp']);
  const rules = (acl.Properties!.Rules as any[]).filter((r) => unsized.has(r.Name) || String(r.Name).startsWith('ToolWritesPerCredential-'));
  expect(template - config).toBeLessThanOrEqual(estimateWebAclCapacity({ ...acl.Properties!, Rules: rules }));
});
