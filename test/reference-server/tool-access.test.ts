import fc from 'fast-check';
import type { Caller } from '../../reference-server/src/identity';
import { ANONYMOUS } from '../../reference-server/src/identity';
import { decideToolAccess, type GatedTool } from '../../reference-server/src/tool-access';

const echo: GatedTool = { name: 'echo', category: 'read' };
const notesPut: GatedTool = { name: 'notes_put', category: 'write' };

function caller(permissions: string[], scopes: string[] = []): Caller {
  return { agentId: 'agent-1', agentType: 'assistant', role: 'custom', permissions: new Set(permissions), scopes: new Set(scopes) };
}

test('RBAC-2: a read tool needs the read permission and a write tool needs the write permission', () => {
  // GIVEN a reader and an agent
  const reader = caller(['read']);
  const agent = caller(['read', 'write']);
  // WHEN / THEN
  expect(decideToolAccess(reader, echo)).toEqual({ allowed: true, reason: 'granted' });
  expect(decideToolAccess(reader, notesPut)).toEqual({ allowed: false, reason: 'missing_permission' });
  expect(decideToolAccess(agent, notesPut)).toEqual({ allowed: true, reason: 'granted' });
});

test('RBAC-2: write does not imply read; each category needs its own permission', () => {
  // GIVEN a caller holding only write
  const writer = caller(['write']);
  // WHEN / THEN
  expect(decideToolAccess(writer, echo)).toEqual({ allowed: false, reason: 'missing_permission' });
  expect(decideToolAccess(writer, notesPut).allowed).toBe(true);
});

test('RBAC-4: a caller without an agent id is refused every tool, whatever permissions it claims', () => {
  // GIVEN an anonymous caller that somehow carries permissions
  const forged: Caller = { ...ANONYMOUS, permissions: new Set(['read', 'write', 'admin']) };
  // WHEN / THEN
  expect(decideToolAccess(forged, echo)).toEqual({ allowed: false, reason: 'no_identity' });
  expect(decideToolAccess(ANONYMOUS, echo)).toEqual({ allowed: false, reason: 'no_identity' });
});

test('RBAC-4: the admin permission alone grants no tool category (no implied permissions)', () => {
  // GIVEN a caller with only admin
  const admin = caller(['admin']);
  // WHEN / THEN
  expect(decideToolAccess(admin, echo).allowed).toBe(false);
  expect(decideToolAccess(admin, notesPut).allowed).toBe(false);
});

test('RBAC-1: tool scopes narrow a token to the named category or tool (seed 004 per-category scopes)', () => {
  // GIVEN agents whose tokens carry tool scopes
  const readScoped = caller(['read', 'write'], ['tools:read']);
  const toolScoped = caller(['read', 'write'], ['tools:notes_put']);
  const everyTool = caller(['read', 'write'], ['tools:*']);
  // WHEN / THEN
  expect(decideToolAccess(readScoped, echo).allowed).toBe(true);
  expect(decideToolAccess(readScoped, notesPut)).toEqual({ allowed: false, reason: 'scope_not_granted' });
  expect(decideToolAccess(toolScoped, notesPut).allowed).toBe(true);
  expect(decideToolAccess(toolScoped, echo)).toEqual({ allowed: false, reason: 'scope_not_granted' });
  expect(decideToolAccess(everyTool, notesPut).allowed).toBe(true);
});

test('RBAC-1: a scope never adds a category the permissions lack', () => {
  // GIVEN a reader whose token claims tools:write
  const reader = caller(['read'], ['tools:write', 'tools:*']);
  // WHEN / THEN
  expect(decideToolAccess(reader, notesPut)).toEqual({ allowed: false, reason: 'missing_permission' });
});

test('RBAC-1: scopes outside the tools: vocabulary do not narrow tool access', () => {
  // GIVEN an agent with unrelated scopes
  const agent = caller(['read', 'write'], ['repo:docs', 'read-only']);
  // WHEN / THEN
  expect(decideToolAccess(agent, notesPut).allowed).toBe(true);
});

test('RBAC-4: allowed implies the category permission, for any permissions and scopes', () => {
  const word = fc.constantFrom('read', 'write', 'admin', 'debug', 'tools:read', 'tools:write', 'tools:*', 'tools:echo', 'tools:notes_put', 'x');
  fc.assert(
    fc.property(fc.array(word), fc.array(word), fc.constantFrom(echo, notesPut), (permissions, scopes, tool) => {
      const decision = decideToolAccess(caller(permissions, scopes), tool);
      if (decision.allowed) {
        expect(permissions).toContain(tool.category);
        const toolScopes = scopes.filter((s) => s.startsWith('tools:'));
        if (toolScopes.length > 0) expect(toolScopes.some((s) => ['tools:*', `tools:${tool.category}`, `tools:${tool.name}`].includes(s))).toBe(true);
      }
    }),
  );
});
