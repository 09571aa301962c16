/**
 * The tool policy, property-tested: over random tool names, annotations, `rbac.tools` maps, roles,
 * scopes and read-only mode, the tools a caller is allowed (to call, and to see in a `tools/list`)
 * are exactly those an independent reading of the policy grants, with the effective permissions
 * computed by the authorizer's own PermissionModel.
 */
import fc from 'fast-check';
import { filterToolList } from '../../enforcement-point/src/messages';
import { ToolPolicy, type ToolPolicySettings } from '../../enforcement-point/src/policy';
import { PermissionModel } from '../../lambda/authorizer/permissions';

const PERMISSIONS = ['read', 'write', 'admin'];
const ROLES = { reader: ['read'], agent: ['read', 'write'], admin: ['read', 'write', 'admin'], auditor: ['admin'] };
const SCOPES = { 'docs:read': ['read'], 'docs:write': ['read', 'write'], ops: ['admin'] };

/** Glob matching written independently of the policy's RegExp: `*` matches any run of characters. */
function globMatches(pattern: string, name: string): boolean {
  if (pattern === '') return name === '';
  if (pattern[0] === '*') return [...Array(name.length + 1).keys()].some((i) => globMatches(pattern.slice(1), name.slice(i)));
  return name.length > 0 && name[0] === pattern[0] && globMatches(pattern.slice(1), name.slice(1));
}

/** What the policy grants, read straight from its rules. */
function granted(settings: ToolPolicySettings, listed: ReadonlyMap<string, boolean | undefined>, permissions: ReadonlySet<string>, tool: string): boolean {
  const entries = Object.entries(settings.tools);
  const exact = entries.find(([p]) => !p.includes('*') && p === tool);
  const glob = entries.find(([p]) => p.includes('*') && globMatches(p, tool));
  let needed = exact?.[1] ?? glob?.[1];
  if (needed === undefined && listed.has(tool)) needed = listed.get(tool) === true ? settings.readPermission : settings.writePermission;
  if (needed === undefined) return false;
  if (settings.readOnly && needed !== settings.readPermission) return false;
  return permissions.has(needed);
}

const toolName = fc.stringMatching(/^[ab._-]{1,4}$/);
const pattern = fc.oneof(toolName, fc.stringMatching(/^[ab*]{1,4}$/));

test('RBAC-2: the tools allowed (called and listed) are exactly those the policy grants, for random tools, annotations, roles and scopes', () => {
  fc.assert(fc.property(
    fc.uniqueArray(fc.record({ name: toolName, readOnlyHint: fc.option(fc.boolean(), { nil: undefined }), annotated: fc.boolean() }), { selector: (t) => t.name, maxLength: 8 }),
    fc.array(fc.tuple(pattern, fc.constantFrom(...PERMISSIONS)), { maxLength: 5 }),
    fc.array(toolName, { maxLength: 4 }),
    fc.constantFrom(...Object.keys(ROLES)),
    fc.subarray(Object.keys(SCOPES)),
    fc.boolean(),
    (tools, configured, unlisted, role, scopes, readOnly) => {
      // GIVEN
      const settings: ToolPolicySettings = { readPermission: 'read', writePermission: 'write', tools: Object.fromEntries(configured), methods: {}, readOnly };
      const resolution = new PermissionModel({ permissions: PERMISSIONS, writePermissions: ['write'], readOnly, roles: ROLES, scopes: SCOPES }).resolve(role, scopes);
      if (!resolution.ok) return;
      const caller = { agentId: 'agent-1', permissions: resolution.grant.set };
      const policy = new ToolPolicy(settings);
      const list = { jsonrpc: '2.0', id: 1, result: { tools: tools.map((t) => ({ name: t.name, inputSchema: { type: 'object' }, ...(t.annotated ? { annotations: { readOnlyHint: t.readOnlyHint } } : {}) })) } };
      // WHEN the list passes through, then every tool is called
      const filtered = filterToolList(list, (name) => policy.decideToolCall(caller, name).allowed, (t) => policy.learn(t.name, t.annotations)) as typeof list;
      const listed = new Map(tools.map((t) => [t.name, t.annotated ? t.readOnlyHint : undefined]));
      // THEN
      const expected = tools.map((t) => t.name).filter((name) => granted(settings, listed, caller.permissions, name));
      expect(filtered.result.tools.map((t) => t.name)).toEqual(expected);
      for (const name of [...tools.map((t) => t.name), ...unlisted]) {
        expect(policy.decideToolCall(caller, name).allowed).toBe(granted(settings, listed, caller.permissions, name));
      }
    },
  ), { numRuns: 500 });
});

test('RBAC-2: a caller without identity is refused every tool and every request', () => {
  fc.assert(fc.property(toolName, fc.boolean(), (name, readOnlyHint) => {
    const policy = new ToolPolicy({ readPermission: 'read', writePermission: 'write', tools: { '*': 'read' }, methods: {}, readOnly: false });
    policy.learn(name, { readOnlyHint });
    const anonymous = { agentId: '', permissions: new Set(PERMISSIONS) };
    expect(policy.decideToolCall(anonymous, name)).toMatchObject({ allowed: false, reason: 'no_identity' });
    expect(policy.decideRequest(anonymous, 'prompts/get')).toMatchObject({ allowed: false, reason: 'no_identity' });
  }));
});

test('RBAC-2: prompts and resources need the read permission unless rbac.tools.methods says more', () => {
  const policy = new ToolPolicy({ readPermission: 'read', writePermission: 'write', tools: {}, methods: { 'resources/read': 'admin' }, readOnly: false });
  const reader = { agentId: 'r', permissions: new Set(['read']) };
  const nobody = { agentId: 'n', permissions: new Set<string>() };
  expect(policy.decideRequest(reader, 'prompts/get').allowed).toBe(true);
  expect(policy.decideRequest(reader, 'resources/subscribe').allowed).toBe(true);
  expect(policy.decideRequest(reader, 'resources/read')).toMatchObject({ allowed: false, reason: 'missing_permission' });
  expect(policy.decideRequest(nobody, 'prompts/get')).toMatchObject({ allowed: false, reason: 'missing_permission' });
});

test('RBAC-2: an exact name wins over a glob, and among globs the first written wins', () => {
  const policy = new ToolPolicy({ readPermission: 'read', writePermission: 'write', tools: { 'db_*': 'write', 'db_read*': 'read', db_readwrite: 'admin' }, methods: {}, readOnly: false });
  expect(policy.classify('db_readwrite')?.permission).toBe('admin');
  expect(policy.classify('db_reader')?.permission).toBe('write');
  expect(policy.classify('other')).toBeUndefined();
});
