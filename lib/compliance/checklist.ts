/**
 * The security checklist (`docs/checklist.md`), encoded once: every item with its section, text,
 * seed documents, the kinds of evidence it calls for, and the evidence itself. Everything that reports
 * on the checklist (the nag pack, the auditor report, the CI gates) reads it from here.
 *
 * Evidence references:
 * - `rules`: cdk-nag rule ids; `McpPerimeter-*` from this kit's pack, others from cdk-nag's packs where
 *   the built-in rule checks what the item says.
 * - `tests`: test-name prefixes; by convention a test named `'<ITEM-ID>: …'` evidences the item (see
 *   {@link testsByItem}). The auditor report takes them from the test runner's results of the same
 *   commit (reports/test-results.json), never from source text.
 * - `ci`: CI gate ids; `CI_GATES` (lib/compliance/report/ci-catalog.ts) names each gate's script and the
 *   line that performs the check, and each gate records its outcome (reports/gates/<id>.json).
 * - `docs`: README anchors of the operating procedures for what no machine can check (documented only).
 *
 * Adding evidence: append a rule id, a `'<ID>:'` test prefix or a document anchor to the item; a new CI
 * gate also needs a `CiStep` id here, an entry in `CI_GATES` and a `scripts/record-gate.ts` call in its script.
 */

/** The checklist's sections, in order. */
export type ChecklistSectionId = 'TLS' | 'EDGE' | 'AUTH' | 'RBAC' | 'SEC' | 'AUDIT' | 'NET' | 'WORK' | 'SUPPLY';

/** The seed security documents (`docs/seeds/000_….txt` …). */
export type SeedId = '000' | '001' | '002' | '003' | '004';

/**
 * What can evidence an item: a cdk-nag rule over the synthesized templates, a named automated test, a
 * CI check, or a documented operating procedure.
 */
export type EvidenceKind = 'nag' | 'test' | 'ci' | 'doc';

/** The CI steps that evidence items. */
export type CiStep = 'npm-audit' | 'secretlint' | 'lockfile' | 'no-default-credentials';

/** A section of the checklist. */
export interface ChecklistSection {
  /** The section id, the prefix of its items' ids. */
  readonly id: ChecklistSectionId;
  /** Its title, e.g. `encryption in transit`. */
  readonly title: string;
}

/** Where the evidence of an item is found. */
export interface ChecklistEvidence {
  /** cdk-nag rule ids (`McpPerimeter-TLS1`, `AwsSolutions-APIG3` …). */
  readonly rules: readonly string[];
  /** Test-name prefixes (`'AUTH-3:'`); a test whose name starts with one evidences the item. */
  readonly tests: readonly string[];
  /** CI steps. */
  readonly ci: readonly CiStep[];
  /** Documentation anchors (`README.md#token-rotation`). */
  readonly docs: readonly string[];
}

/** One item of the checklist. */
export interface ChecklistItem {
  /** The item id, e.g. `AUTH-3`. */
  readonly id: string;
  /** The section it belongs to. */
  readonly section: ChecklistSectionId;
  /** The requirement, as the checklist words it. */
  readonly text: string;
  /** The seed documents it comes from. */
  readonly seeds: readonly SeedId[];
  /** The kinds of evidence the checklist calls for. */
  readonly kinds: readonly EvidenceKind[];
  /** The evidence. */
  readonly evidence: ChecklistEvidence;
}

/** The sections, in checklist order. */
export const CHECKLIST_SECTIONS: readonly ChecklistSection[] = [
  { id: 'TLS', title: 'encryption in transit' },
  { id: 'EDGE', title: 'the perimeter' },
  { id: 'AUTH', title: 'identity' },
  { id: 'RBAC', title: 'authorization' },
  { id: 'SEC', title: 'secrets' },
  { id: 'AUDIT', title: 'logging' },
  { id: 'NET', title: 'isolation' },
  { id: 'WORK', title: 'the workload' },
  { id: 'SUPPLY', title: 'supply chain' },
];

/** Every item of the checklist, in checklist order. */
export const CHECKLIST: readonly ChecklistItem[] = [
  {
    id: 'TLS-1', section: 'TLS', seeds: ['000', '002', '003', '004'], kinds: ['nag'],
    text: 'Every listener that takes client traffic is TLS only; plain HTTP only redirects to HTTPS.',
    evidence: { rules: ['McpPerimeter-TLS1', 'NIST.800.53.R5-ALBHttpToHttpsRedirection'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'TLS-2', section: 'TLS', seeds: ['001', '002', '003'], kinds: ['nag'],
    text: 'Minimum TLS 1.2, TLS 1.3 preferred; modern policies only on the ALB and on the API\'s custom domain.',
    evidence: { rules: ['McpPerimeter-TLS2'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'TLS-3', section: 'TLS', seeds: ['003'], kinds: ['nag'],
    text: 'Traffic is encrypted end to end: the gateway reaches the internal load balancer over TLS too.',
    evidence: { rules: ['McpPerimeter-TLS3'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'TLS-4', section: 'TLS', seeds: ['002'], kinds: ['nag', 'doc'],
    text: 'Certificates are managed and renewed automatically (ACM), with expiry monitored.',
    evidence: { rules: ['McpPerimeter-TLS4', 'NIST.800.53.R5-ELBv2ACMCertificateRequired'], tests: ['TLS-4:'], ci: [], docs: ['README.md#certificates'] },
  },
  {
    id: 'EDGE-1', section: 'EDGE', seeds: ['003'], kinds: ['nag'],
    text: 'A WAF web ACL protects every entry point (API stage and load balancer), with managed rule sets for common exploits, known bad inputs and IP reputation.',
    evidence: { rules: ['McpPerimeter-EDGE1', 'AwsSolutions-APIG3', 'NIST.800.53.R5-ALBWAFEnabled'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'EDGE-2', section: 'EDGE', seeds: ['000', '002', '003'], kinds: ['nag', 'test'],
    text: 'Rate limits: per source IP and per token, with burst; defaults from the seeds (60 queries/min and 30 writes/min per agent, 30 requests/min per IP); over the limit answers 429.',
    evidence: { rules: ['McpPerimeter-EDGE2', 'Serverless-APIGWDefaultThrottling'], tests: ['EDGE-2:'], ci: [], docs: [] },
  },
  {
    id: 'EDGE-3', section: 'EDGE', seeds: ['004'], kinds: ['nag', 'test'],
    text: 'Tokens in the query string are refused at the edge and by the authorizer (`access_token`, `accessToken`, `token`, `api_key` …).',
    evidence: { rules: ['McpPerimeter-EDGE3'], tests: ['EDGE-3:'], ci: [], docs: [] },
  },
  {
    id: 'EDGE-4', section: 'EDGE', seeds: ['003'], kinds: ['nag', 'test'],
    text: 'Every response carries security headers: HSTS, Content-Security-Policy, X-Content-Type-Options and X-Frame-Options, set at the load balancer for every response; the responses the gateway makes itself (401, 403, 429, 4xx, 5xx) carry those plus Referrer-Policy and Permissions-Policy.',
    evidence: { rules: ['McpPerimeter-EDGE4'], tests: ['EDGE-4:'], ci: [], docs: [] },
  },
  {
    id: 'EDGE-5', section: 'EDGE', seeds: ['002', '003', '004'], kinds: ['nag', 'test'],
    text: 'CORS allows only configured origins; `*` is refused by config validation.',
    evidence: { rules: ['McpPerimeter-EDGE5'], tests: ['EDGE-5:'], ci: [], docs: [] },
  },
  {
    id: 'EDGE-6', section: 'EDGE', seeds: ['000', '001', '002'], kinds: ['nag'],
    text: 'Request size and shape are bounded (body size, header size); oversize is refused.',
    evidence: { rules: ['McpPerimeter-EDGE6'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'EDGE-7', section: 'EDGE', seeds: ['001', '003', '004'], kinds: ['test'],
    text: 'Error responses are generic: no stack traces, no internal names.',
    evidence: { rules: [], tests: ['EDGE-7:'], ci: [], docs: [] },
  },
  {
    id: 'AUTH-1', section: 'AUTH', seeds: ['002', '003', '004'], kinds: ['nag', 'test'],
    text: 'Every route but the health check requires a credential.',
    evidence: { rules: ['McpPerimeter-AUTH1', 'AwsSolutions-APIG4'], tests: ['AUTH-1:'], ci: [], docs: [] },
  },
  {
    id: 'AUTH-2', section: 'AUTH', seeds: ['001', '004'], kinds: ['test'],
    text: 'Credentials are accepted only from headers: `Authorization: Bearer …` or `X-Access-Token` (and `X-API-Key` where a preset asks for it).',
    evidence: { rules: [], tests: ['AUTH-2:'], ci: [], docs: [] },
  },
  {
    id: 'AUTH-3', section: 'AUTH', seeds: ['003', '004'], kinds: ['test'],
    text: 'Opaque tokens are compared in constant time, and only their digests are stored.',
    evidence: { rules: [], tests: ['AUTH-3:'], ci: [], docs: [] },
  },
  {
    id: 'AUTH-4', section: 'AUTH', seeds: ['002', '003', '004'], kinds: ['test'],
    text: 'Tokens are random, at least 32 characters (256 bits of entropy when issued by the kit), shown once at issue, carry an expiry, and can be revoked and rotated.',
    evidence: { rules: [], tests: ['AUTH-4:'], ci: [], docs: [] },
  },
  {
    id: 'AUTH-5', section: 'AUTH', seeds: ['001', '003', '004'], kinds: ['test'],
    text: 'JWTs: algorithm pinned (no `none`, no algorithm confusion), `exp` required, issuer and audience checked, bounded lifetime (24 h default).',
    evidence: { rules: [], tests: ['AUTH-5:'], ci: [], docs: [] },
  },
  {
    id: 'AUTH-6', section: 'AUTH', seeds: ['004'], kinds: ['ci'],
    text: 'No default tokens or passwords exist anywhere.',
    evidence: { rules: [], tests: [], ci: ['no-default-credentials'], docs: [] },
  },
  {
    id: 'AUTH-7', section: 'AUTH', seeds: ['000'], kinds: ['nag', 'test'],
    text: 'Each caller has an identity (agent id, agent type) that is passed to the backend and into every audit event, and a client cannot forge it.',
    evidence: { rules: ['McpPerimeter-AUTH7'], tests: ['AUTH-7:'], ci: [], docs: ['README.md#tool-policy-the-mcp-enforcement-point'] }, // and the enforcement point's tool-call decisions
  },
  {
    id: 'RBAC-1', section: 'RBAC', seeds: ['000', '001', '003', '004'], kinds: ['test'],
    text: 'Roles map to permissions; the seed vocabularies are supported: reader/agent/admin (000), read/write/admin/debug (001), admin/user/viewer (003), per-token scopes (004).',
    evidence: { rules: [], tests: ['RBAC-1:'], ci: [], docs: [] },
  },
  {
    id: 'RBAC-2', section: 'RBAC', seeds: ['000', '003'], kinds: ['test'],
    text: 'Each route needs a permission; writes need write, admin routes need admin; the health check needs none.',
    evidence: { rules: [], tests: ['RBAC-2:'], ci: [], docs: ['README.md#tool-policy-the-mcp-enforcement-point'] }, // and the enforcement point's tool-call decisions
  },
  {
    id: 'RBAC-3', section: 'RBAC', seeds: ['000'], kinds: ['test'],
    text: 'A read-only mode turns every write off.',
    evidence: { rules: [], tests: ['RBAC-3:'], ci: [], docs: [] },
  },
  {
    id: 'RBAC-4', section: 'RBAC', seeds: [], kinds: ['test'],
    text: 'Deny by default: an unknown route, role or scope is refused.',
    evidence: { rules: [], tests: ['RBAC-4:'], ci: [], docs: [] },
  },
  {
    id: 'SEC-1', section: 'SEC', seeds: ['000', '001', '002', '003', '004'], kinds: ['nag', 'ci'],
    text: 'No secret in the code, the templates, Lambda environment variables or the container definitions.',
    evidence: { rules: ['McpPerimeter-SEC1'], tests: [], ci: ['secretlint'], docs: [] },
  },
  {
    id: 'SEC-2', section: 'SEC', seeds: ['000', '003'], kinds: ['nag'],
    text: 'Secrets live in SSM Parameter Store as SecureString, encrypted by a customer-managed KMS key with rotation on.',
    evidence: { rules: ['McpPerimeter-SEC2', 'NIST.800.53.R5-KMSBackingKeyRotationEnabled'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'SEC-3', section: 'SEC', seeds: ['001', '002', '003'], kinds: ['test', 'doc'],
    text: 'Rotation is supported without downtime (90-day cadence), and revocation takes effect within a bounded time.',
    evidence: { rules: [], tests: ['SEC-3:'], ci: [], docs: ['README.md#token-rotation'] },
  },
  {
    id: 'SEC-4', section: 'SEC', seeds: ['003'], kinds: ['nag'],
    text: 'Key and secret access is least privilege: only the authorizer reads token records; only operators write them.',
    evidence: { rules: ['McpPerimeter-SEC4', 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'AUDIT-1', section: 'AUDIT', seeds: ['000', '001', '003'], kinds: ['test'],
    text: 'Every authorization decision is an audit event: JSON with timestamp, event, agent id, route, decision, reason, request id, source IP.',
    evidence: { rules: [], tests: ['AUDIT-1:'], ci: [], docs: ['README.md#tool-policy-the-mcp-enforcement-point'] }, // and the enforcement point's tool-call decisions
  },
  {
    id: 'AUDIT-2', section: 'AUDIT', seeds: ['004'], kinds: ['test'],
    text: 'Audit events never contain a credential: `Authorization`, `X-Access-Token`, `X-API-Key` and token values are redacted.',
    evidence: { rules: [], tests: ['AUDIT-2:'], ci: [], docs: [] },
  },
  {
    id: 'AUDIT-3', section: 'AUDIT', seeds: ['003'], kinds: ['nag'],
    text: 'Audit log groups keep 90 days, are encrypted with a customer-managed KMS key, and survive stack deletion.',
    evidence: { rules: ['McpPerimeter-AUDIT3', 'NIST.800.53.R5-CloudWatchLogGroupEncrypted', 'NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'AUDIT-4', section: 'AUDIT', seeds: ['003'], kinds: ['nag'],
    text: 'Gateway access logs, WAF logs, load balancer access logs and VPC flow logs are all on.',
    evidence: { rules: ['McpPerimeter-AUDIT4', 'AwsSolutions-APIG1', 'AwsSolutions-ELB2', 'AwsSolutions-VPC7', 'NIST.800.53.R5-WAFv2LoggingEnabled'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'AUDIT-5', section: 'AUDIT', seeds: ['003', '004'], kinds: ['nag'],
    text: 'Failed authentication and rate-limit violations raise alarms.',
    evidence: { rules: ['McpPerimeter-AUDIT5', 'NIST.800.53.R5-CloudWatchAlarmAction'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'NET-1', section: 'NET', seeds: ['000', '002', '003', '004'], kinds: ['nag'],
    text: 'The MCP server runs in private subnets with no public IP and is reachable only from its load balancer.',
    evidence: { rules: ['McpPerimeter-NET1', 'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'NET-2', section: 'NET', seeds: ['003', '004'], kinds: ['nag'],
    text: 'Security groups admit only what is needed; no 0.0.0.0/0 ingress to anything but a public entry point.',
    evidence: { rules: ['McpPerimeter-NET2', 'AwsSolutions-EC23'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'NET-3', section: 'NET', seeds: ['002'], kinds: ['nag'],
    text: 'No LLM or model port (11434, 8080 …) is reachable from outside the VPC.',
    evidence: { rules: ['McpPerimeter-NET3', 'NIST.800.53.R5-EC2RestrictedCommonPorts'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'NET-4', section: 'NET', seeds: ['003'], kinds: ['nag'],
    text: 'Egress is closed by default (VPC endpoints for AWS services); opening it is an explicit choice.',
    evidence: { rules: ['McpPerimeter-NET4', 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'WORK-1', section: 'WORK', seeds: ['003', '004'], kinds: ['nag'],
    text: 'The container runs as a non-root user, not privileged, with a read-only root filesystem.',
    evidence: { rules: ['McpPerimeter-WORK1'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'WORK-2', section: 'WORK', seeds: ['004'], kinds: ['test'],
    text: 'The health check is unauthenticated and reveals only status and version.',
    evidence: { rules: [], tests: ['WORK-2:'], ci: [], docs: [] },
  },
  {
    id: 'WORK-3', section: 'WORK', seeds: ['004'], kinds: ['nag'],
    text: 'Operator shell access (ECS Exec) is off unless asked for.',
    evidence: { rules: ['McpPerimeter-WORK3'], tests: [], ci: [], docs: [] },
  },
  {
    id: 'SUPPLY-1', section: 'SUPPLY', seeds: ['001', '003', '004'], kinds: ['ci'],
    text: 'Dependencies are pinned by a lock file and audited for known vulnerabilities in CI.',
    evidence: { rules: [], tests: [], ci: ['lockfile', 'npm-audit'], docs: [] },
  },
  {
    id: 'SUPPLY-2', section: 'SUPPLY', seeds: ['003'], kinds: ['ci'],
    text: 'The repository and the synthesized templates are scanned for secrets in CI.',
    evidence: { rules: [], tests: [], ci: ['secretlint'], docs: [] },
  },
];

const BY_ID = new Map(CHECKLIST.map((item) => [item.id, item]));

/** The item with this id, or `undefined`. */
export function findChecklistItem(id: string): ChecklistItem | undefined {
  return BY_ID.get(id);
}

/**
 * The item with this id.
 * @throws when there is none, naming the id received and the ids that exist
 */
export function checklistItem(id: string): ChecklistItem {
  const item = BY_ID.get(id);
  if (!item) throw new Error(`checklist item id must be one of ${CHECKLIST.map((i) => i.id).join(', ')}, got '${id}'`);
  return item;
}

/** The items whose evidence names this rule id (a finding suffix, `McpPerimeter-SEC1[Environment::X]`, is ignored). */
export function itemsOfRule(ruleId: string): ChecklistItem[] {
  const bare = ruleId.replace(/\[.*\]$/, '');
  return CHECKLIST.filter((item) => item.evidence.rules.includes(bare));
}

const ITEM_PREFIX = /(?:^|\s)((?:[A-Z]+-\d+)(?:\s*,\s*[A-Z]+-\d+)*):\s/;

/** The item ids a test name claims to evidence: `'AUTH-3: …'` or `'AUTH-2, EDGE-3: …'`, after any describe titles. */
export function itemIdsOfTestName(testName: string): string[] {
  const match = ITEM_PREFIX.exec(testName);
  return match ? match[1].split(',').map((id) => id.trim()) : [];
}

/** Tests mapped to the items they evidence. */
export interface TestEvidence {
  /** Item id to the names of the tests that evidence it (every item is present, possibly with none). */
  readonly byItem: ReadonlyMap<string, readonly string[]>;
  /** Test names that claim an item id the checklist does not have (a typo, or an item since removed). */
  readonly unknown: readonly string[];
}

/**
 * Maps test names (titles or full names with their describe titles) to the items they evidence, by
 * the `'<ITEM-ID>: …'` convention. A test may evidence an item whose checklist entry does not call for
 * tests; it is extra evidence.
 */
export function testsByItem(testNames: readonly string[]): TestEvidence {
  const byItem = new Map<string, string[]>(CHECKLIST.map((item) => [item.id, []]));
  const unknown: string[] = [];
  for (const name of testNames) {
    for (const id of itemIdsOfTestName(name)) {
      const item = BY_ID.get(id);
      if (!item) unknown.push(name);
      else byItem.get(item.id)?.push(name);
    }
  }
  return { byItem, unknown: [...new Set(unknown)] };
}
