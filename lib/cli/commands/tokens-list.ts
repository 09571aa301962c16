/** `tokens list`: the stage's tokens, with those due for rotation or close to expiry flagged (SEC-3). */
import type { TokenRecord } from '../../../lambda/authorizer/token-record';
import { AWS_OPTIONS, COMMON_OPTIONS, type CommandSpec, type FlagValues, openStage, stringFlag, writeJson } from '../command';
import type { CliRuntime } from '../runtime';
import { publicFields } from '../token-issue';
import { openTokenTable, TOKEN_TABLE_OPTION } from '../token-table';

/** Tokens expiring within this many days are flagged `expires-soon`. */
export const EXPIRY_WARNING_DAYS = 14;
/** The rotation cadence (SEC-3): tokens older than this are flagged `rotate`. */
export const ROTATION_DAYS = 90;

const DAY_MS = 86_400_000;

/** Why a token needs attention. */
export type TokenFlag = 'revoked' | 'expired' | 'expires-soon' | 'rotate';

/** One row of the listing. */
export interface TokenRow {
  readonly record: TokenRecord;
  /** Whole days until expiry (negative once expired). */
  readonly daysLeft: number;
  readonly flags: readonly TokenFlag[];
}

/** Days left and flags of a record at `now`; `revokedAt` when the record is revoked. */
export function assessToken(record: TokenRecord, now: Date, revokedAt?: string): TokenRow {
  const left = Date.parse(record.expiresAt) - now.getTime();
  const age = now.getTime() - Date.parse(record.createdAt);
  const flags: TokenFlag[] = [];
  if (revokedAt !== undefined) return { record, daysLeft: Math.floor(left / DAY_MS), flags: ['revoked'] };
  if (left <= 0) flags.push('expired');
  else if (left <= EXPIRY_WARNING_DAYS * DAY_MS) flags.push('expires-soon');
  if (age > ROTATION_DAYS * DAY_MS) flags.push('rotate');
  return { record, daysLeft: Math.floor(left / DAY_MS), flags };
}

/** Renders rows as an aligned text table. */
export function renderTable(rows: readonly TokenRow[], showDigests: boolean): string {
  const header = ['ID', 'AGENT', 'TYPE', 'ROLE', 'SCOPES', 'CREATED', 'EXPIRES', 'DAYS LEFT', 'FLAGS', ...(showDigests ? ['DIGEST'] : [])];
  const cells = rows.map(({ record, daysLeft, flags }) => [
    record.id,
    record.agentId,
    record.agentType,
    record.role,
    record.scopes.join(',') || '-',
    record.createdAt.slice(0, 10),
    record.expiresAt.slice(0, 10),
    String(daysLeft),
    flags.join(',') || '-',
    ...(showDigests ? [record.digest] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  return [header, ...cells].map((line) => line.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

async function run(values: FlagValues, runtime: CliRuntime): Promise<void> {
  const session = openStage(values, runtime);
  const showDigests = values['show-digests'] === true;
  const table = await openTokenTable(session, stringFlag(values, 'token-table'));
  const { tokens, unreadable } = await table.list();
  const now = runtime.now();
  const rows = tokens
    .map((t) => assessToken(t.record, now, t.revokedAt))
    .sort((a, b) => a.record.expiresAt.localeCompare(b.record.expiresAt) || a.record.id.localeCompare(b.record.id));

  if (session.json) {
    writeJson(runtime, {
      stage: session.stage,
      table: table.tableName,
      tokens: rows.map(({ record, daysLeft, flags }) => ({
        ...publicFields(record),
        ...(showDigests ? { digest: record.digest } : {}),
        daysLeft,
        flags,
      })),
      unreadable,
    });
  } else if (rows.length > 0) {
    runtime.stdout(renderTable(rows, showDigests));
  }
  for (const u of unreadable) runtime.stderr(`warning: ${u.name} is not a valid token record (${u.problem}); revoke it\n`);
  const attention = rows.filter((r) => r.flags.length > 0 && !r.flags.includes('revoked')).length;
  runtime.stderr(`${rows.length} token(s) in ${table.tableName}` +
    (attention ? `; ${attention} need attention (expired, expiring within ${EXPIRY_WARNING_DAYS} days, or older than the ${ROTATION_DAYS}-day rotation): rotate them` : '') +
    '\n');
}

/** The `tokens list` command. */
export const tokensList: CommandSpec = {
  path: ['tokens', 'list'],
  summary: 'list the stage\'s tokens; flag those expiring within 14 days or older than 90 days',
  description: [
    'Lists every token record in the stage\'s token table: id, agent, type, role, scopes, created,',
    `expires, days left, and flags: revoked, expired, expires-soon (within ${EXPIRY_WARNING_DAYS} days), rotate (older than the`,
    `${ROTATION_DAYS}-day rotation cadence). Digests are never printed unless --show-digests is given.`,
    '',
    'The table is the output TokenTableName of stack McpPerimeter-<stage>-Keys (one CloudFormation call) unless --token-table is given.',
  ].join('\n'),
  options: {
    ...COMMON_OPTIONS,
    'show-digests': { type: 'boolean', description: 'also print each record\'s SHA-256 digest' },
    ...TOKEN_TABLE_OPTION,
    ...AWS_OPTIONS,
  },
  examples: [
    'mcp-perimeter tokens list --stage prod --config prod.json',
    'mcp-perimeter tokens list --stage prod --json | jq \'.tokens[] | select(.flags | length > 0) | .id\'',
  ],
  run,
};
