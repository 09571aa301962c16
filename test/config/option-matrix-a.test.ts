/**
 * Every documented option synthesizes clean or is refused with a reason (first half of the matrix of
 * ./option-matrix.ts; the other half is option-matrix-b.test.ts). Each config is synthesized as
 * bin/app.ts does it, with all six packs, through the run's shared synthesis.
 */
import { auditedStage } from '../fixtures/shared-synth';
import { testConfig } from '../fixtures/test-app';
import { enumeratedOptions, expectClean, half, matrixCases } from './option-matrix';

test('the matrix reads the documented options from the schema', () => {
  // THEN the options README documents are there, with every value
  const fields = Object.fromEntries(enumeratedOptions().map((o) => [o.field, o.values]));
  expect(fields).toMatchObject({
    'service.enableExec': [true, false],
    'service.cpu': [256, 512, 1024, 2048, 4096],
    'network.egress': ['none', 'nat'],
    'auth.readOnly': [true, false],
    'auth.usagePlans': [true, false],
    'auth.jwt.mode': ['jwks', 'kms', 'hs256'],
    'auth.credentialHeaders': [['authorization'], ['x-access-token'], ['x-api-key']],
  });
});

test.each([
  ['service.enableExec without a reason', { service: { enableExec: true } }, /service\.execReason: is required when service\.enableExec is true/],
  ['a Fargate CPU with a memory it does not offer', { service: { cpu: 1024 } }, /service\.memoryMiB: is 512 MiB, but Fargate runs service\.cpu 1024 with 2048-8192 MiB/],
  ['JWKS without internet egress', { auth: { jwt: { mode: 'jwks', issuer: 'https://idp.example.com', audience: 'mcp', jwksUrl: 'https://idp.example.com/jwks.json' } } }, /network\.egress: must be 'nat' when auth\.jwt\.mode is jwks/],
])('refused with the field named: %s', (_name, overlay, message) => {
  expect(() => testConfig(overlay)).toThrow(message);
});

test.each(half(matrixCases(), 0).map((c) => [c.name, c]))('synthesizes with all six packs clean: %s', (_name, c) => {
  expectClean(auditedStage(c.config()));
});

test("WORK-3: with ECS Exec on, the nag report's exception carries the user's own reason", () => {
  // GIVEN
  const reason = 'on-call engineers debug stuck MCP sessions (ticket OPS-1234)';
  const stage = auditedStage(testConfig({ service: { enableExec: true, execReason: reason } }));
  // THEN the McpPerimeter-WORK3 finding is acknowledged with that reason, and nothing is open
  const work3 = (stage.validationReport?.pluginReports ?? []).flatMap((p) => p.suppressedViolations ?? []).filter((v) => v.ruleName.startsWith('McpPerimeter-WORK3'));
  expect(work3.map((v) => v.reason)).toEqual([expect.stringContaining(reason)]);
  expect(stage.open).toEqual([]);
});
