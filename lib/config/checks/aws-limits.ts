/**
 * The AWS deploy-time limits a config value can break, checked on the config so that synth stops before
 * anything is built, with one line naming the field, the limit and its source (the limits and their
 * sources: lib/limits/aws-limits.ts). The synthesized templates are checked again, whatever built them,
 * by the AwsLimits validation plugin (lib/limits/aws-limits-validation.ts).
 */
import type { z } from 'zod';
import { queryCredentialPatterns } from '../../../lambda/authorizer/query-credentials';
import { API_STAGE_NAME } from '../../constructs/edge/api-stage';
import { listenerRuleCount } from '../../constructs/service/listener-paths';
import { AWS_LIMITS, AwsLimitName, describeLimit, FARGATE_TASK_SIZES, FARGATE_TASK_SIZES_SOURCE, isFargateTaskSize, MANAGED_RULE_GROUP_WCUS } from '../../limits/aws-limits';

/** The parts of the config the checks read (the parsed config satisfies it). */
export interface LimitedConfig {
  readonly service: {
    readonly cpu: number;
    readonly memoryMiB: number;
    readonly healthPath: string;
    readonly backends?: ReadonlyArray<{ readonly name: string; readonly paths: readonly string[] }>;
  };
  readonly rateLimits: { readonly perIpPerMinute: number; readonly perCredentialPerMinute: number; readonly writesPerCredentialPerMinute: number };
  readonly auth: { readonly credentialHeaders: readonly string[]; readonly tokenPrefix: string };
  readonly rbac: { readonly writePermissions: readonly string[]; readonly routes: ReadonlyArray<{ readonly path: string; readonly permission: string }> };
}

/** The protected-resource metadata path, a fixed resource of the API. */
const WELL_KNOWN_PATH = '/.well-known/oauth-protected-resource';

/** The API Gateway resources (paths) the edge builds for a config, the root excluded. */
export function apiResourcePaths(c: LimitedConfig): Set<string> {
  const paths = new Set<string>();
  const addWithAncestors = (path: string) => {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) paths.add(`/${parts.slice(0, i).join('/')}`);
  };
  for (const r of c.rbac.routes) {
    const prefix = `/${r.path.split('/')[1]}`;
    paths.add(prefix);
    paths.add(`${prefix}/{proxy+}`);
  }
  addWithAncestors(c.service.healthPath);
  addWithAncestors(WELL_KNOWN_PATH);
  return paths;
}

/**
 * The estimated WCUs of the API stage's web ACL (lib/constructs/edge/web-firewall.ts) for a config, by
 * the costs of WAF's statement pages: the credential-query regexes (each 3 + 2 transformations x 10), three
 * header size constraints (1 each), the body size constraint (1), the per-IP rate rule (2), per
 * credential header a rate rule with one custom key (2 + 30) and a write rate rule (2 + 30, plus its
 * scope-down: three exact method matches at 2 and one STARTS_WITH match at 2 per write path), and the
 * managed rule groups. It is a lower bound: the rules whose size the config does not drive (the origin
 * check, the unauthenticated rate rule, the MCP body-signature rules, the tool-call write rules) are left
 * out, so a config over the quota here is over it for certain and is refused naming the field; the
 * template check (lib/limits/template-limits.ts) computes the exact estimate from the template and fails
 * synth on the rest.
 */
export function estimatedApiWebAclCapacity(c: LimitedConfig): number {
  const writePermissions = new Set(c.rbac.writePermissions);
  const writePaths = new Set(c.rbac.routes.filter((r) => writePermissions.has(r.permission)).map((r) => r.path)).size;
  const headers = c.auth.credentialHeaders.length;
  const managed = MANAGED_RULE_GROUP_WCUS.AWSManagedRulesAmazonIpReputationList + MANAGED_RULE_GROUP_WCUS.AWSManagedRulesKnownBadInputsRuleSet + MANAGED_RULE_GROUP_WCUS.AWSManagedRulesCommonRuleSet;
  const writes = writePaths > 0 ? headers * (32 + 3 * 2 + writePaths * 2) : 0;
  const queryRegexes = queryCredentialPatterns(c.auth.tokenPrefix).length * 23;
  return queryRegexes + 3 + 1 + 2 + headers * 32 + writes + managed;
}

/**
 * Adds a zod issue per AWS limit the config breaks. Called from the schema's superRefine.
 */
export function checkAwsLimits(c: LimitedConfig, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const max = (name: AwsLimitName) => AWS_LIMITS[name].value;

  // ECS on Fargate: the task size must be one Fargate runs.
  if (!isFargateTaskSize(c.service.cpu, c.service.memoryMiB)) {
    const allowed = FARGATE_TASK_SIZES[c.service.cpu];
    issue(['service', 'memoryMiB'], `is ${c.service.memoryMiB} MiB, but Fargate runs service.cpu ${c.service.cpu} with ${allowed ? `${allowed[0]}-${allowed[allowed.length - 1]} MiB (${allowed.length > 3 ? 'in 1 GB steps' : allowed.join(', ')})` : 'no memory size'} (${FARGATE_TASK_SIZES_SOURCE})`);
  }

  // WAF rate-based rules: 10 to 2,000,000,000 requests.
  // (perIpPerMinute's maximum is in the schema itself.)
  for (const field of ['perCredentialPerMinute', 'writesPerCredentialPerMinute'] as const) {
    const value = c.rateLimits[field];
    if (value > max('wafRateLimitMax')) issue(['rateLimits', field], `must be at most ${max('wafRateLimitMax').toLocaleString('en-US')} (${describeLimit('wafRateLimitMax')})`);
  }
  const writePermissions = new Set(c.rbac.writePermissions);
  const hasWrites = c.rbac.routes.some((r) => writePermissions.has(r.permission));
  const rateRules = 1 + c.auth.credentialHeaders.length * (hasWrites ? 2 : 1);
  if (rateRules > max('wafRateBasedRulesPerWebAcl')) {
    issue(['auth', 'credentialHeaders'], `makes ${rateRules} rate-based rules in the API web ACL: ${describeLimit('wafRateBasedRulesPerWebAcl')}`);
  }
  const wcus = estimatedApiWebAclCapacity(c);
  if (wcus > max('wafWebAclCapacityUnits')) {
    issue(['rbac', 'routes'], `the write route paths make the API web ACL's estimated capacity ${wcus} WCUs: ${describeLimit('wafWebAclCapacityUnits')}; use fewer write route paths (a prefix covers its subpaths)`);
  }

  // The routes as ALB path patterns (with the API stage prefix) and WAF string matches.
  c.rbac.routes.forEach((r, i) => {
    const pattern = `/${API_STAGE_NAME}${r.path}/*`;
    if (pattern.length > max('elbPathPatternChars')) {
      issue(['rbac', 'routes', i, 'path'], `is too long: the load balancer matches it as ${pattern.length} characters (${pattern.slice(0, 40)}…): ${describeLimit('elbPathPatternChars')}`);
    }
    if (Buffer.byteLength(r.path) > max('wafStringMatchChars')) {
      issue(['rbac', 'routes', i, 'path'], `is too long for the WAF write-path match, ${Buffer.byteLength(r.path)} bytes: ${describeLimit('wafStringMatchChars')}`);
    }
  });
  const health = `/${API_STAGE_NAME}${c.service.healthPath}`;
  if (health.length > max('elbPathPatternChars')) issue(['service', 'healthPath'], `is too long: the load balancer matches it as ${health.length} characters: ${describeLimit('elbPathPatternChars')}`);

  // API Gateway: resources per REST API.
  const resources = apiResourcePaths(c).size + 1;
  if (resources > max('apiGatewayResourcesPerApi')) {
    const prefixes = new Set(c.rbac.routes.map((r) => r.path.split('/')[1])).size;
    issue(['rbac', 'routes'], `the routes' ${prefixes} top-level prefixes make ${resources} API resources (two per prefix): ${describeLimit('apiGatewayResourcesPerApi')}; group routes under fewer top-level prefixes`);
  }

  // Application Load Balancer: listener rules.
  const routePaths = [...new Set(c.rbac.routes.map((r) => r.path))];
  const backends = c.service.backends ?? [{ name: 'mcp', paths: routePaths }];
  const rules = listenerRuleCount(backends, c.service.healthPath, true);
  if (rules > max('elbRulesPerLoadBalancer')) {
    issue([...(c.service.backends ? ['service', 'backends'] : ['rbac', 'routes'])], `make ${rules} listener rules on the internal load balancer: ${describeLimit('elbRulesPerLoadBalancer')}; serve each top-level prefix from one backend (a prefix is one rule pair)`);
  }
  if (backends.length > max('elbTargetGroupsPerLoadBalancer')) {
    issue(['service', 'backends'], `names ${backends.length} backends (one target group each): ${describeLimit('elbTargetGroupsPerLoadBalancer')}`);
  }
}
