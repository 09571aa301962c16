import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_CONFIG, loadConfig, mergeConfig, parseConfig, presetLoosenings, STRICTNESS_RULES } from '../../lib/config';
import { PRESETS, presetNames } from '../../lib/config/presets';

function file(overlay: object): string {
  const path = join(mkdtempSync(join(tmpdir(), 'presets-')), 'user.json');
  writeFileSync(path, JSON.stringify(overlay));
  return path;
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

test('the five seed presets exist, in seed order, each for its own seed document', () => {
  expect(presetNames()).toEqual(['docrunch', 'shared-context', 'mcp-typescript', 'developer-mesh', 'docker-mcp']);
  expect(Object.values(PRESETS).map((p) => p.seed.slice(0, 4))).toEqual(['000_', '001_', '002_', '003_', '004_']);
  for (const [name, preset] of Object.entries(PRESETS)) expect(preset.name).toBe(name);
});

test.each(presetNames())('preset %s parses through loadConfig with its own values in place', (name) => {
  // WHEN
  const config = loadConfig({ preset: name });
  // THEN every value the layer sets is in the parsed config
  const layer = PRESETS[name].layer as Record<string, unknown>;
  expect(config).toMatchObject(layer);
});

test('fails on an unknown preset name, listing the allowed names', () => {
  const message = refusal(() => loadConfig({ preset: 'docrunchh' }));
  expect(message).toBe("unknown preset 'docrunchh': must be one of docrunch, shared-context, mcp-typescript, developer-mesh, docker-mcp");
  expect(refusal(() => loadConfig({ preset: 'constructor' }))).toMatch(/unknown preset 'constructor'/);
});

test('the preset is merged over the default and under the file: the file tightens a preset value', () => {
  // GIVEN mcp-typescript sets 30 requests/min per IP; the file asks 20 and names its own origins
  const user = file({ stage: 'prod', rateLimits: { perIpPerMinute: 20 }, cors: { allowedOrigins: ['https://app.example.com'] } });
  // WHEN
  const config = loadConfig({ preset: 'mcp-typescript', file: user });
  // THEN
  expect(config.stage).toBe('prod');
  expect(config.rateLimits.perIpPerMinute).toBe(20);
  expect(config.auth.credentialHeaders).toEqual(['authorization']);
  expect(config.cors.allowedOrigins).toEqual(['https://app.example.com']);
  expect(config.domain.apiDomainName).toBe('mcp.example.com');
});

// Each strictness rule: the value a file may not give over the preset, and the message naming it.
test.each<[string, string, object, RegExp]>([
  ['smaller: rate limits', 'docrunch', { rateLimits: { perCredentialPerMinute: 120 } }, /rateLimits\.perCredentialPerMinute: preset 'docrunch' sets 60 and a config file may only tighten it \(60 or less\), got 120 from .*user\.json/],
  ['smaller: writes per minute', 'docrunch', { rateLimits: { writesPerCredentialPerMinute: 31 } }, /rateLimits\.writesPerCredentialPerMinute: .*\(30 or less\), got 31/],
  ['smaller: body size', 'docrunch', { limits: { maxBodyBytes: 65536 } }, /limits\.maxBodyBytes: .*\(40960 or less\), got 65536/],
  ['smaller: per-IP limit', 'mcp-typescript', { rateLimits: { perIpPerMinute: 100 } }, /rateLimits\.perIpPerMinute: preset 'mcp-typescript' sets 30 .*\(30 or less\), got 100/],
  ['smaller: token lifetime', 'mcp-typescript', { auth: { tokenMaxLifetimeDays: 365 } }, /auth\.tokenMaxLifetimeDays: .*\(90 or less\), got 365/],
  ['subset: credential headers', 'mcp-typescript', { auth: { credentialHeaders: ['authorization', 'x-access-token'] } }, /auth\.credentialHeaders: preset 'mcp-typescript' sets \["authorization"\] .*\(some of authorization\), got \["authorization","x-access-token"\]/],
  ['subset: JWT algorithms', 'shared-context', { auth: { jwt: { mode: 'hs256', issuer: 'i', audience: 'a', algorithms: ['HS256', 'RS256'] } } }, /auth\.jwt\.algorithms: .*\(some of HS256\), got \["HS256","RS256"\]/],
  ['superset: write permissions', 'developer-mesh', { rbac: { writePermissions: ['write'] } }, /rbac\.writePermissions: .*\(all of write, execute, and more if you like\), got \["write"\]/],
  ['role subsets: a role gains a permission', 'developer-mesh', { rbac: { roles: { viewer: ['read', 'write'] } } }, /rbac\.roles\.viewer: preset 'developer-mesh' sets \["read"\] .*\(some of read\), got \["read","write"\]/],
])('fails when a config file loosens a preset value (%s)', (_rule, preset, overlay, expected) => {
  expect(refusal(() => loadConfig({ preset, file: file(overlay) }))).toMatch(expected);
});

test('a config file may tighten every kind of rule: smaller, larger, true, subset, superset, role subsets', () => {
  // GIVEN values at least as strict as developer-mesh's
  const user = file({
    audit: { logRetentionDays: 365 },
    auth: { readOnly: true, minTokenLength: 48, jwt: { mode: 'hs256', issuer: 'dm', audience: 'dm', maxLifetimeSeconds: 3600, algorithms: ['HS256'] } },
    rbac: { writePermissions: ['write', 'execute', 'admin'], roles: { user: ['read', 'write'] } },
    rateLimits: { perIpPerMinute: 20 },
  });
  // WHEN
  const config = loadConfig({ preset: 'developer-mesh', file: user });
  // THEN the user's stricter values are the config
  expect(config.audit.logRetentionDays).toBe(365);
  expect(config.auth).toMatchObject({ readOnly: true, minTokenLength: 48 });
  expect(config.auth.jwt?.maxLifetimeSeconds).toBe(3600);
  expect(config.rbac.writePermissions).toEqual(['write', 'execute', 'admin']);
  expect(config.rbac.roles.user).toEqual(['read', 'write']);
  expect(config.rbac.roles.admin).toEqual(['read', 'write', 'execute', 'admin']);
});

test('RBAC-3: a file cannot turn off the read-only mode a preset turns on (true wins)', () => {
  // GIVEN a preset layer (object form) that turns read-only on
  const layer = { auth: { readOnly: true } };
  // WHEN / THEN
  expect(refusal(() => loadConfig({ preset: layer, presetName: 'frozen', file: file({ auth: { readOnly: false } }) })))
    .toMatch(/auth\.readOnly: preset 'frozen' sets true and a config file may only tighten it \(true\), got false/);
  expect(presetLoosenings(layer, { auth: { readOnly: true } }, 'frozen', 'f.json')).toEqual([]);
});

test('AUDIT-3: a file cannot shorten the retention or the token length a preset raises (larger wins)', () => {
  // GIVEN a preset layer (object form) keeping logs a year and asking 48-character tokens
  const layer = { audit: { logRetentionDays: 365 }, auth: { minTokenLength: 48 } };
  // WHEN
  const message = refusal(() => loadConfig({ preset: layer, presetName: 'long', file: file({ audit: { logRetentionDays: 90 }, auth: { minTokenLength: 32 } }) }));
  // THEN
  expect(message).toMatch(/auth\.minTokenLength: preset 'long' sets 48 .*\(48 or more\), got 32/);
  expect(message).toMatch(/audit\.logRetentionDays: preset 'long' sets 365 .*\(365 or more\), got 90/);
});

test('fields a preset does not set behave as without a preset', () => {
  // GIVEN docrunch sets no per-IP limit and no retention
  const user = file({ rateLimits: { perIpPerMinute: 300 }, audit: { logRetentionDays: 90 } });
  // WHEN
  const config = loadConfig({ preset: 'docrunch', file: user });
  // THEN
  expect(config.rateLimits.perIpPerMinute).toBe(300);
});

test('every loosening is reported at once', () => {
  const message = refusal(() => loadConfig({ preset: 'docrunch', file: file({ rateLimits: { perCredentialPerMinute: 61, writesPerCredentialPerMinute: 31 }, limits: { maxBodyBytes: 50000 } }) }));
  expect(message.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(3);
});

test('the strictness rules name fields of the schema, each once', () => {
  const paths = STRICTNESS_RULES.map((r) => r.path);
  expect(new Set(paths).size).toBe(paths.length);
  const config = loadConfig({ preset: 'shared-context' }) as unknown as Record<string, unknown>;
  for (const path of paths) {
    const value = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], config);
    expect([path, value]).not.toEqual([path, undefined]);
  }
});

test('a preset never weakens the hardening: its values are at least as strict as the embedded default', () => {
  // The credential headers are each preset's own (AUTH-2: X-API-Key where a preset asks for it); every
  // other ruled field a preset sets must not loosen the default.
  const defaults = loadConfig();
  for (const preset of Object.values(PRESETS)) {
    const { credentialHeaders: _headers, ...auth } = (preset.layer.auth ?? {}) as Record<string, unknown>;
    const { roles: _roles, writePermissions: _writes, ...rbac } = (preset.layer.rbac ?? {}) as Record<string, unknown>;
    const problems = presetLoosenings(defaults, { ...preset.layer, auth, rbac }, 'embedded default', `preset ${preset.name}`);
    expect([preset.name, problems]).toEqual([preset.name, []]);
  }
});

test('a config file with a registry image replaces the default directory image instead of merging into it', () => {
  // GIVEN the default builds reference-server/; the file names a registry image
  const image = { kind: 'registry', name: '111111111111.dkr.ecr.eu-west-1.amazonaws.com/example/mcp-server:1.0.0' };
  // WHEN
  const config = loadConfig({ file: file({ service: { image } }) });
  // THEN
  expect(config.service.image).toEqual(image);
  expect(parseConfig(mergeConfig(DEFAULT_CONFIG, { service: { image: { kind: 'directory', path: 'server' } } })).service.image).toEqual({ kind: 'directory', path: 'server' });
});

test("EDGE-5: a preset does not relax the schema: '*' is refused with every preset", () => {
  for (const name of presetNames()) {
    expect(refusal(() => loadConfig({ preset: name, file: file({ cors: { allowedOrigins: ['*'] } }) }))).toMatch(/cors\.allowedOrigins\.0: '\*' is not allowed/);
  }
});
