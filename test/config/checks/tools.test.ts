import { DEFAULT_CONFIG, mergeConfig, parseConfig } from '../../../lib/config';

function fails(overlay: unknown): string {
  try {
    parseConfig(mergeConfig(DEFAULT_CONFIG, overlay), 'test');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

test('RBAC-2: rbac.tools defaults to enforcing, read tools need read and other tools write, annotations only', () => {
  const config = parseConfig(DEFAULT_CONFIG, 'test');
  expect(config.rbac.tools).toEqual({ enforce: true, readPermission: 'read', writePermission: 'write', permissions: {}, methods: {} });
});

test('fails on a tool permission the vocabulary does not have, naming the field', () => {
  expect(fails({ rbac: { tools: { permissions: { write_doc: 'root' } } } })).toMatch(/rbac\.tools\.permissions\.write_doc.*unknown permission 'root'/);
  expect(fails({ rbac: { tools: { writePermission: 'execute' } } })).toMatch(/rbac\.tools\.writePermission.*unknown permission 'execute'/);
  expect(fails({ rbac: { tools: { methods: { 'resources/read': 'root' } } } })).toMatch(/rbac\.tools\.methods\.resources\/read.*unknown permission 'root'/);
});

test('fails on a tool name MCP does not allow, and on a method the policy does not gate', () => {
  expect(fails({ rbac: { tools: { permissions: { 'write doc': 'write' } } } })).toMatch(/rbac\.tools\.permissions.*must be an MCP tool name or a glob/);
  expect(fails({ rbac: { tools: { methods: { 'tools/call': 'admin' } } } })).toMatch(/rbac\.tools\.methods/);
});

test('RBAC-3: fails when read-only mode would remove the read permission, or when writes would need only read', () => {
  expect(fails({ rbac: { tools: { readPermission: 'write' } } })).toMatch(/rbac\.tools\.readPermission.*read-only mode would turn every read tool off/);
  expect(fails({ rbac: { tools: { writePermission: 'read' } } })).toMatch(/rbac\.tools\.writePermission.*must differ from readPermission/);
  expect(fails({ rbac: { tools: { permissions: { '*': 'read' } } } })).toMatch(/makes every tool a read tool/);
});

test('fails on a backend on the enforcement point\'s port, and on more write tools than the WAF rule takes', () => {
  expect(fails({ service: { backends: [{ name: 'mcp', containerPort: 18080, paths: ['/mcp', '/api', '/admin'], healthPath: '/health' }] } })).toMatch(/service\.backends\.0\.containerPort.*18080 is the MCP enforcement point's port/);
  const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`tool_${i}`, 'write']));
  expect(fails({ rbac: { tools: { permissions: many } } })).toMatch(/rbac\.tools\.permissions.*names 51 write tools or globs; the WAF write-limit rule takes at most 50/);
});
