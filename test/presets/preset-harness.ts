/**
 * What the preset suites share: a preset's config (through `loadConfig`, as `-c preset=<name>` loads it),
 * its five synthesized templates, an authorizer running with its settings, and the check that a claims
 * table names tests that exist and quotes its seed verbatim.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { JWTVerifyGetKey } from 'jose';
import { createAuthorizer, type Authorizer, type AuthorizerRequest } from '../../lambda/authorizer/authorizer';
import { MemoryAuditLog } from '../../lambda/authorizer/audit';
import { validateAuthorizerSettings } from '../../lambda/authorizer/settings';
import { StaticTokenSource } from '../../lambda/authorizer/token-source';
import { newToken, newTokenId, tokenDigest, type TokenRecord } from '../../lambda/authorizer/token-record';
import { findChecklistItem } from '../../lib/compliance/checklist';
import { loadConfig, type PerimeterConfig } from '../../lib/config';
import { authorizerSettingsFromConfig } from '../../lib/constructs/authorizer/authorizer-settings';
import type { Preset } from '../../lib/config/presets';
import { auditedStage } from '../fixtures/shared-synth';
import { TEST_IMAGE } from '../fixtures/test-app';

/** The seed documents, vendored into docs/seeds from the project's shared folder. */
export const SEEDS_DIR = join(__dirname, '..', '..', 'docs', 'seeds');

/** Writes `overlay` as a config file and returns its path. */
export function configFile(overlay: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'preset-')), 'config.json');
  writeFileSync(file, JSON.stringify(overlay));
  return file;
}

/**
 * A preset's config as `loadConfig` makes it, with a registry image (no Dockerfile needed) and
 * `overlay` in the user's file.
 */
export function presetConfig(name: string, overlay: Record<string, unknown> = {}): PerimeterConfig {
  const service = { image: TEST_IMAGE, ...(overlay.service as object | undefined) };
  return loadConfig({ preset: name, file: configFile({ ...overlay, service }) });
}

/** The five templates of a config's stage. */
export interface PresetTemplates {
  readonly config: PerimeterConfig;
  readonly keys: Template;
  readonly audit: Template;
  readonly network: Template;
  readonly service: Template;
  readonly edge: Template;
}

/**
 * The five templates of a config's stage (authorizer bundling off), from the run's shared synthesis
 * (test/fixtures/shared-synth.ts: built as bin/app.ts builds it, so test/presets/synth.test.ts's
 * all-packs synthesis of the same preset is the same one).
 */
export function synthesize(config: PerimeterConfig): PresetTemplates {
  const { templates } = auditedStage(config);
  return { config, ...templates };
}

/** The token path and HS256 secret name the keys stack gives stage `dev`. */
const RESOURCES = { tokenPath: '/mcp-perimeter/dev/tokens', hmacSecretParameter: '/mcp-perimeter/dev/jwt/hs256-secret' };

/** The fixed clock of the suites: 2026-12-01T00:00:00Z. */
export const NOW = Date.parse('2026-12-01T00:00:00Z');

/** An authorizer with the settings the stack writes for `config`, over `records`, at {@link NOW}. */
export function presetAuthorizer(config: PerimeterConfig, options: { records?: TokenRecord[]; jwtKey?: JWTVerifyGetKey } = {}): { authorizer: Authorizer; audit: MemoryAuditLog } {
  const settings = validateAuthorizerSettings(authorizerSettingsFromConfig(config, {
    tokenPath: RESOURCES.tokenPath,
    hmacSecretParameter: config.auth.jwt?.mode === 'hs256' ? RESOURCES.hmacSecretParameter : undefined,
  }));
  const audit = new MemoryAuditLog();
  const authorizer = createAuthorizer({
    settings,
    tokenSource: new StaticTokenSource(options.records ?? []),
    jwtKey: options.jwtKey,
    auditLog: audit,
    now: () => NOW,
  });
  return { authorizer, audit };
}

/** The names of the `test('…')` blocks of a test file, read from its source. */
export function testNamesOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^test\((['"`])(.*?)\1,/gm)].map((m) => m[2].replace(/\\'/g, "'"));
}

/**
 * The claims-table checks of a preset's suite: every claim's test exists in `testFile`, every
 * checklist id exists, ids are `<preset>-<n>` and unique.
 */
export function claimsTableProblems(preset: Preset, testFile: string): string[] {
  const names = new Set(testNamesOf(testFile));
  const problems: string[] = [];
  preset.claims.forEach((claim, i) => {
    if (claim.id !== `${preset.name}-${i + 1}`) problems.push(`${claim.id}: the id must be ${preset.name}-${i + 1}`);
    if (!names.has(claim.test)) problems.push(`${claim.id}: no test named '${claim.test}' in ${testFile}`);
    if (claim.checklist.length === 0) problems.push(`${claim.id}: names no checklist item`);
    for (const id of claim.checklist) if (!findChecklistItem(id)) problems.push(`${claim.id}: '${id}' is not a checklist item`);
  });
  return problems;
}

/** The claims whose quote is not verbatim in the seed document. */
export function misquotedClaims(preset: Preset): string[] {
  const seed = readFileSync(join(SEEDS_DIR, preset.seed), 'utf8');
  return preset.claims.filter((c) => !seed.includes(c.quote)).map((c) => `${c.id}: '${c.quote}'`);
}

/** `test` when the seed documents are next to the repository, else `test.skip` (reported as skipped). */
export const withSeeds = test;

/** An issued token and its record, as the CLI makes them. */
export interface IssuedToken {
  readonly token: string;
  readonly record: TokenRecord;
}

/** Issues a token with the config's prefix for `role` (and `scopes`), valid at {@link NOW}. */
export function issue(config: PerimeterConfig, role: string, options: { agentId?: string; agentType?: string; scopes?: string[]; expiresAt?: string } = {}): IssuedToken {
  const token = newToken(config.auth.tokenPrefix);
  return {
    token,
    record: {
      v: 1,
      id: newTokenId(),
      digest: tokenDigest(token),
      agentId: options.agentId ?? `${role}-agent-1`,
      agentType: options.agentType ?? 'claude',
      role,
      scopes: options.scopes ?? [],
      createdAt: '2026-11-22T10:00:00Z',
      expiresAt: options.expiresAt ?? '2027-02-20T10:00:00Z',
    },
  };
}

/** The execute-api ARN prefix of the test requests. */
export const API_PREFIX = 'arn:aws:execute-api:eu-west-1:111111111111:abcdef1234/v1/';

/** A REST REQUEST authorizer event for `method path` with `headers` (and a query string). */
export function request(method: string, path: string, headers: Record<string, string> = {}, query?: Record<string, string>): AuthorizerRequest {
  return {
    methodArn: `${API_PREFIX}${method}${path}`,
    httpMethod: method,
    path,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])) : null,
    requestContext: { requestId: 'req-0001', stage: 'v1', identity: { sourceIp: '203.0.113.7', userAgent: 'preset-suite/1.0' } },
  };
}

/** `Authorization: Bearer <token>`. */
export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** Whether the authorizer lets `method path` through for `headers`: 'allow', 'deny' (403) or 'unauthorized' (401). */
export async function outcome(authorizer: Authorizer, method: string, path: string, headers: Record<string, string>, query?: Record<string, string>): Promise<string> {
  const decision = await authorizer.decide(request(method, path, headers, query));
  return decision.kind === 'unauthorized' ? 'unauthorized' : decision.allowed ? 'allow' : 'deny';
}

/** The resources of a template of one type, as [logical id, resource] pairs. */
export function resourcesOf(template: Template, type: string): Array<[string, { Properties: Record<string, any> }]> {
  const all = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  return Object.entries(all).filter(([, r]) => r.Type === type);
}

/** The web ACL rules of a template, by name. */
export function wafRules(template: Template): Record<string, any> {
  const [[, acl]] = resourcesOf(template, 'AWS::WAFv2::WebACL');
  return Object.fromEntries((acl.Properties.Rules as any[]).map((r) => [r.Name, r]));
}

/** The API's methods with their full paths (`GET /health`). */
export function apiMethods(edge: Template): Array<{ route: string; properties: Record<string, any> }> {
  const all = edge.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const pathOf = (ref: any): string => {
    const parts: string[] = [];
    let current = ref;
    while (current?.Ref && all[current.Ref]?.Type === 'AWS::ApiGateway::Resource') {
      parts.unshift(all[current.Ref].Properties.PathPart);
      current = all[current.Ref].Properties.ParentId;
    }
    return `/${parts.join('/')}`;
  };
  return resourcesOf(edge, 'AWS::ApiGateway::Method').map(([, m]) => ({ route: `${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId)}`, properties: m.Properties }));
}
