import { listenerPaths, listenerRuleCount } from '../../../lib/constructs/service/listener-paths';

test('one backend serving every route path under a prefix is routed the prefix whole', () => {
  expect(listenerPaths([{ name: 'mcp', paths: ['/mcp', '/api/v1/tools', '/api/v2'] }], '/health')).toEqual({ mcp: ['/mcp', '/api'] });
});

test('a prefix shared by two backends keeps each backend\'s own paths', () => {
  const plan = listenerPaths([{ name: 'mcp', paths: ['/mcp', '/api/mcp'] }, { name: 'rest', paths: ['/api/rest', '/rest'] }], '/health');
  expect(plan).toEqual({ mcp: ['/mcp', '/api/mcp'], rest: ['/api/rest', '/rest'] });
});

test('a prefix holding the health path, which goes to the first backend, is not given whole to another backend', () => {
  const plan = listenerPaths([{ name: 'mcp', paths: ['/mcp'] }, { name: 'rest', paths: ['/ops/api'] }], '/ops/health');
  expect(plan).toEqual({ mcp: ['/mcp'], rest: ['/ops/api'] });
  expect(listenerPaths([{ name: 'mcp', paths: ['/mcp/a'] }], '/mcp/health')).toEqual({ mcp: ['/mcp'] });
});

test('the rule count: patterns p and p/* in rules of five, doubled for the stage prefix, plus the health rules', () => {
  // 3 prefixes: 6 patterns, 2 rules, 4 with the stage prefix; health 1 + 1.
  expect(listenerRuleCount([{ name: 'mcp', paths: ['/a/x', '/b', '/c/y/z'] }], '/health', true)).toBe(6);
  expect(listenerRuleCount([{ name: 'mcp', paths: ['/a/x', '/b', '/c/y/z'] }], '/health', false)).toBe(3);
});
