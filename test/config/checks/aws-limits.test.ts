import type { z } from 'zod';
import { apiResourcePaths, checkAwsLimits, estimatedApiWebAclCapacity, LimitedConfig } from '../../../lib/config/checks/aws-limits';
import { ConfigError } from '../../../lib/config';
import { testConfig } from '../../fixtures/test-app';

const DEFAULT = testConfig();

/** The limit issues of the default config changed by `change`, as `path: message` lines. */
function issues(change: (c: any) => void): string[] {
  const config = structuredClone(DEFAULT) as any;
  change(config);
  const found: string[] = [];
  const ctx = { addIssue: (i: { path: (string | number)[]; message: string }) => found.push(`${i.path.join('.')}: ${i.message}`) } as unknown as z.RefinementCtx;
  checkAwsLimits(config as LimitedConfig, ctx);
  return found;
}
const routes = (paths: string[], permission = 'read') => paths.map((path) => ({ path, methods: ['ANY'], permission }));
const prefixes = (n: number) => routes(Array.from({ length: n }, (_, i) => `/p${i}`));

test('the default config is within every limit', () => {
  expect(issues(() => undefined)).toEqual([]);
});

test('Fargate task size: cpu 256 takes 2048 MiB, not 3072; the line names the field and the source', () => {
  expect(issues((c) => { c.service.memoryMiB = 2048; })).toEqual([]);
  const [line] = issues((c) => { c.service.memoryMiB = 3072; });
  expect(line).toMatch(/^service\.memoryMiB: is 3072 MiB, but Fargate runs service\.cpu 256 with 512-2048 MiB .*fargate-tasks-services/);
  expect(issues((c) => { c.service.cpu = 4096; c.service.memoryMiB = 30720; })).toEqual([]);
  expect(issues((c) => { c.service.cpu = 4096; c.service.memoryMiB = 31744; })).toHaveLength(1);
});

test('WAF rate limits: at most 2,000,000,000 per rule', () => {
  expect(issues((c) => { c.rateLimits.perCredentialPerMinute = 2_000_000_000; c.rateLimits.writesPerCredentialPerMinute = 2_000_000_000; })).toEqual([]);
  expect(issues((c) => { c.rateLimits.perCredentialPerMinute = 2_000_000_001; })).toEqual([expect.stringMatching(/^rateLimits\.perCredentialPerMinute: must be at most 2,000,000,000 .*waf/)]);
  expect(issues((c) => { c.rateLimits.writesPerCredentialPerMinute = 2_000_000_001; })).toEqual([expect.stringMatching(/^rateLimits\.writesPerCredentialPerMinute:/)]);
});

test('WAF rate-based rules: at most 10 per web ACL (one per IP, two per credential header with write routes)', () => {
  expect(issues((c) => { c.auth.credentialHeaders = ['a', 'b', 'c', 'd']; })).toEqual([]);
  expect(issues((c) => { c.auth.credentialHeaders = ['a', 'b', 'c', 'd', 'e']; })).toEqual([expect.stringMatching(/^auth\.credentialHeaders: makes 11 rate-based rules .*10/)]);
});

test('WAF capacity: write route paths up to 5,000 estimated WCUs', () => {
  const writes = (n: number) => (c: any) => { c.rbac.routes = routes(Array.from({ length: n }, (_, i) => `/w/x${i}`), 'write'); };
  const at = (n: number) => { const c = structuredClone(DEFAULT) as any; writes(n)(c); return estimatedApiWebAclCapacity(c); };
  // Each write path adds a STARTS_WITH match (2 WCUs) to each credential header's write rule.
  const perPath = at(2) - at(1);
  expect(perPath).toBe(2 * DEFAULT.auth.credentialHeaders.length);
  const inside = Math.floor((5000 - (at(1) - perPath)) / perPath);
  expect(at(inside)).toBeLessThanOrEqual(5000);
  expect(at(inside + 1)).toBeGreaterThan(5000);
  expect(issues(writes(inside))).toEqual([]);
  expect(issues(writes(inside + 1))).toEqual([`rbac.routes: the write route paths make the API web ACL's estimated capacity ${at(inside + 1)} WCUs: AWS limit: web ACL capacity units (WCUs) per web ACL, managed rule groups included = 5,000 (https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html); use fewer write route paths (a prefix covers its subpaths)`]);
});

test('ALB path patterns: a route path matched as /live<path>/* takes 128 characters', () => {
  expect(issues((c) => { c.rbac.routes = routes([`/${'a'.repeat(120)}`]); })).toEqual([]);
  expect(issues((c) => { c.rbac.routes = routes([`/${'a'.repeat(121)}`]); })).toEqual([expect.stringMatching(/^rbac\.routes\.0\.path: is too long: the load balancer matches it as 129 characters/)]);
});

test('WAF string match: a write path of 201 bytes is refused (200 at most)', () => {
  const long = (n: number) => issues((c) => { c.rbac.routes = routes([`/${'a'.repeat(n - 1)}`]); }).filter((l) => l.includes('WAF write-path'));
  expect(long(200)).toEqual([]);
  expect(long(201)).toHaveLength(1);
});

test('ALB listener rules: 122 top-level prefixes make 100 rules, 123 make 102', () => {
  expect(issues((c) => { c.rbac.routes = prefixes(122); })).toEqual([]);
  expect(issues((c) => { c.rbac.routes = prefixes(123); })).toEqual([expect.stringMatching(/^rbac\.routes: make 102 listener rules on the internal load balancer: AWS limit: .*= 100 .*load-balancer-limits/)]);
});

test('ALB listener rules: any number of routes under one prefix is one rule pair', () => {
  expect(issues((c) => { c.rbac.routes = routes(Array.from({ length: 500 }, (_, i) => `/tools/t${i}`)); })).toEqual([]);
});

test('API Gateway resources: 148 top-level prefixes make 300 resources, 149 make 302', () => {
  const count = (n: number) => { const c = structuredClone(DEFAULT) as any; c.rbac.routes = prefixes(n); return apiResourcePaths(c).size + 1; };
  expect(count(148)).toBe(300);
  expect(issues((c) => { c.rbac.routes = prefixes(148); }).filter((l) => l.includes('API resources'))).toEqual([]);
  expect(issues((c) => { c.rbac.routes = prefixes(149); }).filter((l) => l.includes('API resources'))).toEqual([expect.stringMatching(/^rbac\.routes: the routes' 149 top-level prefixes make 302 API resources .*= 300/)]);
});

test('ALB target groups: 100 backends at most', () => {
  const backends = (n: number) => (c: any) => {
    c.rbac.routes = routes(['/a']);
    c.service.backends = Array.from({ length: n }, (_, i) => ({ name: `b${i}`, containerPort: 8080, paths: i === 0 ? ['/a'] : [], healthPath: '/health' }));
  };
  expect(issues(backends(100)).filter((l) => l.includes('target group'))).toEqual([]);
  expect(issues(backends(101)).filter((l) => l.includes('target group'))).toEqual([expect.stringMatching(/^service\.backends: names 101 backends/)]);
});

test('a config over a limit fails synth at the config edge with one line naming the field', () => {
  expect(() => testConfig({ service: { cpu: 512, memoryMiB: 512 } })).toThrow(ConfigError);
  expect(() => testConfig({ service: { cpu: 512, memoryMiB: 512 } })).toThrow(/service\.memoryMiB: is 512 MiB, but Fargate runs service\.cpu 512 with 1024-4096 MiB/);
});
