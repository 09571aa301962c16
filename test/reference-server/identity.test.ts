import { ANONYMOUS, callerFromHeaders } from '../../reference-server/src/identity';

const perimeterHeaders = {
  'x-mcp-agent-id': ['agent-1'],
  'x-mcp-agent-type': ['assistant'],
  'x-mcp-role': ['agent'],
  'x-mcp-permissions': ['read write'],
  'x-mcp-scopes': ['tools:read tools:notes_put'],
};

test('AUTH-7: the identity headers the perimeter sets become the caller', () => {
  // GIVEN the headers as the perimeter sets them
  // WHEN
  const caller = callerFromHeaders(perimeterHeaders);
  // THEN
  expect(caller.agentId).toBe('agent-1');
  expect(caller.agentType).toBe('assistant');
  expect(caller.role).toBe('agent');
  expect([...caller.permissions]).toEqual(['read', 'write']);
  expect([...caller.scopes]).toEqual(['tools:read', 'tools:notes_put']);
});

test('AUTH-7: an identity header sent twice (a client copy beside the perimeter one) makes the caller anonymous', () => {
  // GIVEN a role header that arrived twice
  const headers = { ...perimeterHeaders, 'x-mcp-role': ['admin', 'agent'] };
  // WHEN
  const caller = callerFromHeaders(headers);
  // THEN
  expect(caller).toBe(ANONYMOUS);
});

test('RBAC-4: no identity headers give an anonymous caller with no permissions', () => {
  // WHEN
  const caller = callerFromHeaders({});
  // THEN
  expect(caller.agentId).toBe('');
  expect(caller.permissions.size).toBe(0);
});

test('RBAC-4: a malformed agent id gives an anonymous caller; malformed permission words are dropped', () => {
  // GIVEN
  const badId = { ...perimeterHeaders, 'x-mcp-agent-id': ['agent 1\n{"forged":true}'] };
  const badWords = { ...perimeterHeaders, 'x-mcp-permissions': ['read WRITE write,admin <script>'] };
  // WHEN / THEN
  expect(callerFromHeaders(badId)).toBe(ANONYMOUS);
  expect([...callerFromHeaders(badWords).permissions]).toEqual(['read']);
});
