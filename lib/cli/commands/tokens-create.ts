/** `tokens create`: issue an opaque token and store its record (AUTH-4), or print both with `--offline`. */
import { serializeTokenRecord } from '../../../lambda/authorizer/token-record';
import { AWS_OPTIONS, COMMON_OPTIONS, type CommandSpec, type FlagValues, openStage, requiredFlag, stringFlag, writeJson } from '../command';
import type { CliRuntime } from '../runtime';
import { checkRoleAndScopes, parseScopes } from '../stage-config';
import { checkIdentityFlags, describeIssued, issueToken, publicFields, tokenLifetimeSeconds } from '../token-issue';
import { openTokenTable, TOKEN_TABLE_OPTION } from '../token-table';

async function run(values: FlagValues, runtime: CliRuntime): Promise<void> {
  const session = openStage(values, runtime);
  const agentId = requiredFlag(values, 'agent-id', 'the agent the token identifies, e.g. --agent-id billing-bot');
  const agentType = requiredFlag(values, 'agent-type', 'the kind of agent, e.g. --agent-type claude-code');
  const role = requiredFlag(values, 'role', `one of the stage's roles: ${Object.keys(session.config.rbac.roles).join(', ')}`);
  const scopes = parseScopes(stringFlag(values, 'scopes'));
  checkIdentityFlags(agentId, agentType);
  checkRoleAndScopes(session.config, role, scopes);
  const lifetime = tokenLifetimeSeconds(session.config, stringFlag(values, 'expires'));
  const issued = issueToken(session.config, { agentId, agentType, role, scopes }, runtime.now(), lifetime, runtime.random);

  if (values.offline === true) {
    if (session.json) writeJson(runtime, { token: issued.token, record: issued.record });
    else runtime.stdout(`${issued.token}\n${serializeTokenRecord(issued.record)}\n`);
    runtime.stderr(`${describeIssued(issued.record, lifetime)}\n`);
    runtime.stderr('offline: nothing was stored; store the record line as the record attribute of an item of the token table (see README, Token rotation)\n');
    return;
  }

  const table = await openTokenTable(session, stringFlag(values, 'token-table'));
  await table.create(issued.record);
  if (session.json) writeJson(runtime, { token: issued.token, ...publicFields(issued.record), table: table.tableName });
  else runtime.stdout(`${issued.token}\n`);
  runtime.stderr(`${describeIssued(issued.record, lifetime)}\n`);
  runtime.stderr(`stored in DynamoDB table ${table.tableName} (digest only, encrypted with the stage secrets key)\n`);
  runtime.stderr('the token is shown only this once: put it in the agent\'s secret store now\n');
}

/** The `tokens create` command. */
export const tokensCreate: CommandSpec = {
  path: ['tokens', 'create'],
  summary: 'issue an opaque token (256 random bits) and store its record in the token table',
  description: [
    'Issues a token of 256 random bits behind the stage\'s prefix (auth.tokenPrefix) and writes its',
    'version-1 record (SHA-256 digest only, never the token) to the stage\'s DynamoDB token table,',
    'encrypted with the stage\'s secrets KMS key, never overwriting. The token is printed once on',
    'stdout; everything else goes to stderr. Role and scopes must be defined in the stage\'s config;',
    '--expires is at most auth.tokenMaxLifetimeDays (default 90d), which is also the default.',
    '',
    'The table is the output TokenTableName of stack McpPerimeter-<stage>-Keys (one CloudFormation call) unless --token-table is given.',
    '',
    'With --offline no AWS call is made: stdout has the token on line 1 and the record JSON on line 2',
    '(with --json one object {token, record}), for pipelines that store the record themselves.',
  ].join('\n'),
  options: {
    ...COMMON_OPTIONS,
    'agent-id': { type: 'string', value: 'ID', description: 'the agent the token identifies (1-128 of A-Z a-z 0-9 . _ : @ -); required' },
    'agent-type': { type: 'string', value: 'TYPE', description: 'the kind of agent (1-64 of A-Z a-z 0-9 . _ -); required' },
    role: { type: 'string', value: 'ROLE', description: 'a role of the stage\'s config (rbac.roles); required' },
    scopes: { type: 'string', value: 'A,B', description: 'comma-separated scopes of the stage\'s config (rbac.scopes)' },
    expires: { type: 'string', value: 'DURATION', description: 'lifetime like 30d or 12h, 1h to auth.tokenMaxLifetimeDays; default the maximum' },
    offline: { type: 'boolean', description: 'make no AWS call; print the token and the record JSON' },
    ...TOKEN_TABLE_OPTION,
    ...AWS_OPTIONS,
  },
  examples: [
    'mcp-perimeter tokens create --stage prod --config prod.json --agent-id billing-bot --agent-type claude-code --role agent --expires 30d',
    'mcp-perimeter tokens create --stage dev --agent-id ci --agent-type github-actions --role reader --offline --json',
  ],
  run,
};
