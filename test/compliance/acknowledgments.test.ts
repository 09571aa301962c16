/**
 * Exceptions cannot rot: every acknowledgment names an existing checklist item (in its reason too), has an
 * owner and a review-by date at most a year out and not past, and matches a finding the default synthesis
 * acknowledged (cdk-nag 3 accepts a typo or a finding since fixed silently).
 */
import { acknowledgmentsFor } from '../../lib/compliance/acknowledgments';
import { CHECKLIST } from '../../lib/compliance/checklist';
import { acknowledgmentProblems, AuditedAcknowledgment, parseValidationReport } from '../../lib/compliance/report';
import { DEFAULT_CONFIG, loadConfig, mergeConfig, parseConfig } from '../../lib/config';
import { synthesizeDefaultApp } from './report/default-app-synth';

const ITEM_IDS = CHECKLIST.map((i) => i.id);
const NOW = new Date('2026-06-01T12:00:00Z');
const GOOD: AuditedAcknowledgment = {
  path: 'Edge/Api/CloudWatchRole',
  id: 'AwsSolutions::AwsSolutions-IAM4',
  item: 'SEC-4',
  reason: 'SEC-4: the managed policy only lets API Gateway push its own logs',
  owner: 'platform-security',
  reviewBy: '2027-01-31',
};
const REPORT = parseValidationReport({
  pluginReports: [
    {
      pluginName: 'AwsSolutions',
      conclusion: 'success',
      violations: [],
      suppressedViolations: [
        {
          ruleName: 'AwsSolutions-IAM4',
          violatingConstructs: [{ constructPath: 'prod/Edge/Api/CloudWatchRole/Resource' }],
          acknowledgedId: 'AwsSolutions::AwsSolutions-IAM4',
          reason: GOOD.reason,
          acknowledgedAt: 'prod/Edge/Api/CloudWatchRole',
        },
      ],
    },
  ],
});

test('REPORT: the acknowledgment review passes a well-formed acknowledgment that matches a finding', () => {
  // THEN
  expect(acknowledgmentProblems([GOOD], { itemIds: ITEM_IDS, validationReports: [REPORT], now: NOW })).toEqual([]);
});

test('REPORT: the acknowledgment review fails an unknown item, a reason without it, no owner, a bare id, and no matching finding', () => {
  // GIVEN
  const bad = { ...GOOD, id: 'AwsSolutions-IAM4', item: 'SEC-9', reason: 'it is fine', owner: ' ', path: 'Edge/Api/Other' };
  // WHEN
  const problems = acknowledgmentProblems([bad], { itemIds: ITEM_IDS, validationReports: [REPORT], now: NOW });
  // THEN
  expect(problems).toEqual([
    "acknowledgment AwsSolutions-IAM4 on Edge/Api/Other: item must be a checklist item id, got 'SEC-9'",
    "acknowledgment AwsSolutions-IAM4 on Edge/Api/Other: reason must name its item SEC-9, got 'it is fine'",
    "acknowledgment AwsSolutions-IAM4 on Edge/Api/Other: id must be namespaced '<pack>::<rule>' so the finding stays in the report",
    'acknowledgment AwsSolutions-IAM4 on Edge/Api/Other: owner must not be empty',
    'acknowledgment AwsSolutions-IAM4 on Edge/Api/Other: matches no finding in the validation report (a typo, or a finding since fixed): remove or correct it',
  ]);
});

test('REPORT: the acknowledgment review fails an expired date, a date more than a year out, and a date that is not one', () => {
  // GIVEN / WHEN
  const review = (reviewBy: string) => acknowledgmentProblems([{ ...GOOD, reviewBy }], { itemIds: ITEM_IDS, validationReports: [REPORT], now: NOW });
  // THEN
  expect(review('2026-05-31')).toEqual([expect.stringMatching(/expired, reviewBy 2026-05-31 is past/)]);
  expect(review('2026-06-01')).toEqual([]);
  expect(review('2027-06-01')).toEqual([]);
  expect(review('2027-06-02')).toEqual([expect.stringMatching(/more than a year out/)]);
  expect(review('31/12/2026')).toEqual([expect.stringMatching(/must be an ISO date/)]);
});

/** A config that turns on every conditional construct: NAT egress, alarm e-mail, a concrete account. */
const FULL_CONFIG = {
  stage: 'prod',
  env: { account: '123456789012', region: 'us-east-1' },
  network: { egress: 'nat', maxAzs: 3 },
  audit: { alarmEmail: 'secops@example.com' },
  auth: { jwt: { mode: 'jwks', issuer: 'https://idp.example.com/', audience: 'mcp', jwksUrl: 'https://idp.example.com/.well-known/jwks.json' } },
  domain: {
    apiDomainName: 'mcp.example.org',
    apiCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000001',
    internalDomainName: 'mcp-internal.example.org',
    internalCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000002',
  },
};

test.each([
  ['the embedded default', () => loadConfig()],
  ['a config with NAT egress, an alarm e-mail and a concrete account', () => parseConfig(mergeConfig(DEFAULT_CONFIG as never, FULL_CONFIG as never))],
  ['a config with ECS Exec on and its reason', () => parseConfig(mergeConfig(DEFAULT_CONFIG as never, { service: { enableExec: true, execReason: 'on-call engineers debug stuck MCP sessions (OPS-1234)' } } as never))],
])('REPORT: every acknowledgment of the kit for %s is well-formed, current, and matches a finding', (_name, configOf) => {
  // GIVEN
  const config = configOf();
  const synth = synthesizeDefaultApp(config);
  // WHEN
  const acks = acknowledgmentsFor(config);
  const problems = acknowledgmentProblems(acks, {
    itemIds: ITEM_IDS,
    validationReports: synth.validationReport ? [synth.validationReport] : [],
    now: new Date(),
  });
  // THEN the synthesis passed every pack, and no acknowledgment is stale
  expect(synth.error).toBeUndefined();
  expect(problems).toEqual([]);
});
