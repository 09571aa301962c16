/**
 * README matches behaviour: the defaults README's config reference and token-rotation section state are
 * read from README.md itself and compared with what the embedded default's stage synthesizes (the
 * templates of the run's shared synthesis), so neither can change without the other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../lib/config';
import { auditedStage } from '../fixtures/shared-synth';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The value README's config reference gives `section.field`: "`field` (value" in the section's row, up to a space. */
function readmeDefault(dotted: string): string {
  const [section, field] = dotted.split('.');
  const row = README.split('\n').find((line) => line.startsWith(`| \`${section}\` |`));
  if (!row) throw new Error(`README's config reference has no row for ${section}`);
  const match = new RegExp(`\`${field}\` \\(\`?([^\`;,)\\s]+)`).exec(row);
  if (!match) throw new Error(`README's config reference gives no default for ${dotted}`);
  return match[1].trim();
}

const stage = auditedStage(loadConfig());

function resources(template: Template, type: string): Array<Record<string, any>> {
  return Object.values(template.findResources(type)).map((r: any) => r.Properties ?? {});
}
function only(template: Template, type: string): Record<string, any> {
  const all = resources(template, type);
  expect(all).toHaveLength(1);
  return all[0];
}
const authorizer = () => only(stage.templates.edge, 'AWS::ApiGateway::Authorizer');
/** The authorizer's settings, as the edge stack records them in the function's template metadata. */
const settings = () => {
  const functions = Object.values(stage.templates.edge.findResources('AWS::Lambda::Function')) as any[];
  const fn = functions.find((f) => f.Metadata?.['McpPerimeter::AuthorizerSettings']);
  return fn.Metadata['McpPerimeter::AuthorizerSettings'];
};
const wafRule = (name: string) => only(stage.templates.edge, 'AWS::WAFv2::WebACL').Rules.find((r: any) => r.Name === name);

/** README's default -> what the synthesized stage does. */
const SYNTHESIZED: Record<string, () => unknown> = {
  'auth.credentialHeaders': () => authorizer().IdentitySource.replace(/^method\.request\.header\./, ''),
  'auth.cacheTtlSeconds': () => authorizer().AuthorizerResultTtlInSeconds,
  'auth.refreshSeconds': () => settings().refreshSeconds,
  'auth.maxStaleSeconds': () => settings().maxStaleSeconds,
  'auth.tokenPrefix': () => settings().tokenPrefix,
  'auth.minTokenLength': () => settings().minTokenLength,
  'service.cpu': () => only(stage.templates.service, 'AWS::ECS::TaskDefinition').Cpu,
  'service.memoryMiB': () => only(stage.templates.service, 'AWS::ECS::TaskDefinition').Memory,
  'service.desiredCount': () => only(stage.templates.service, 'AWS::ECS::Service').DesiredCount,
  'service.maxCount': () => only(stage.templates.service, 'AWS::ApplicationAutoScaling::ScalableTarget').MaxCapacity,
  'network.cidr': () => only(stage.templates.network, 'AWS::EC2::VPC').CidrBlock,
  'network.maxAzs': () => resources(stage.templates.network, 'AWS::EC2::Subnet').length,
  'rateLimits.perIpPerMinute': () => wafRule('RatePerIp').Statement.RateBasedStatement.Limit,
  'rateLimits.perCredentialPerMinute': () => wafRule('RatePerCredential-authorization').Statement.RateBasedStatement.Limit,
  'rateLimits.writesPerCredentialPerMinute': () => wafRule('WritesPerCredential-authorization').Statement.RateBasedStatement.Limit,
  'rateLimits.stageRatePerSecond': () => only(stage.templates.edge, 'AWS::ApiGateway::Stage').MethodSettings[0].ThrottlingRateLimit,
  'rateLimits.stageBurst': () => only(stage.templates.edge, 'AWS::ApiGateway::Stage').MethodSettings[0].ThrottlingBurstLimit,
  'limits.maxBodyBytes': () => wafRule('LimitBodySize').Statement.SizeConstraintStatement.Size,
  'audit.logRetentionDays': () => Math.min(...resources(stage.templates.audit, 'AWS::Logs::LogGroup').map((p) => p.RetentionInDays)),
  'audit.accessLogBucketDays': () => Math.min(...resources(stage.templates.audit, 'AWS::S3::Bucket').flatMap((p) => p.LifecycleConfiguration?.Rules ?? []).map((r: any) => r.ExpirationInDays)),
  'audit.authFailureThreshold': () => resources(stage.templates.audit, 'AWS::CloudWatch::Alarm').find((p) => p.MetricName === 'AuthenticationFailures')!.Threshold,
};

test('the embedded default synthesizes clean with all six packs', () => {
  expect(stage.error).toBeUndefined();
  expect(stage.open).toEqual([]);
});

test.each(Object.keys(SYNTHESIZED))('README states the default of %s that the stage synthesizes', (field) => {
  // GIVEN what README says, WHEN read from the templates, THEN the same
  expect(String(SYNTHESIZED[field]())).toBe(readmeDefault(field));
});

test('SEC-3: the revocation delay README states is auth.refreshSeconds + auth.cacheTtlSeconds, and the default caches', () => {
  // GIVEN README's sentence
  const stated = /stops working within (\d+) s by default/.exec(README);
  expect(stated).not.toBeNull();
  // THEN the synthesized authorizer refreshes and caches so that a revoked token is refused within it
  expect(authorizer().IdentitySource).toBe('method.request.header.authorization');
  expect(settings().refreshSeconds + authorizer().AuthorizerResultTtlInSeconds).toBe(Number(stated![1]));
});

test('the presets README says keep two credential headers do, and their cache is off', () => {
  // GIVEN README's sentence on the second header
  expect(readmeDefault('auth.credentialHeaders')).toBe('authorization');
  const row = README.split('\n').find((line) => line.startsWith('| `auth` |'))!;
  const presets = [...row.matchAll(/the `([a-z-]+)` and `([a-z-]+)` presets/g)].flatMap((m) => [m[1], m[2]]);
  expect(presets.sort()).toEqual(['docker-mcp', 'shared-context']);
  for (const preset of presets) {
    // THEN
    const edge = auditedStage(loadConfig({ preset })).templates.edge;
    const props = only(edge, 'AWS::ApiGateway::Authorizer');
    expect({ preset, ttl: props.AuthorizerResultTtlInSeconds }).toEqual({ preset, ttl: 0 });
    expect(props.IdentitySource).toBeUndefined();
  }
});
