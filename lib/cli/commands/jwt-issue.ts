/**
 * `jwt issue`: an ES256 JWT for an agent, signed by the stage's KMS asymmetric key with KMS Sign (the
 * private key never leaves KMS), with a lifetime of at most auth.jwt.maxLifetimeSeconds (<= 24 h, AUTH-5).
 */
import type { PerimeterConfig } from '../../config';
import { AWS_OPTIONS, COMMON_OPTIONS, type CommandSpec, type FlagValues, openStage, requiredFlag, stringFlag, writeJson } from '../command';
import { formatDuration, parseDuration } from '../duration';
import { CliError, ExitCode } from '../errors';
import { type JwtClaims, signJwtWithKms } from '../kms-jwt-signer';
import type { CliRuntime } from '../runtime';
import { checkRoleAndScopes, parseScopes } from '../stage-config';
import { resolveStageOutputs } from '../stage-outputs';
import { checkIdentityFlags } from '../token-issue';

/** The default JWT lifetime. */
export const DEFAULT_JWT_TTL = '1h';
/** The longest JWT lifetime the kit issues (AUTH-5). */
export const MAX_JWT_TTL_SECONDS = 86_400;

/** What goes into one JWT. */
export interface JwtGrant {
  readonly agentId: string;
  readonly agentType?: string;
  readonly role: string;
  readonly scopes: readonly string[];
  readonly issuer: string;
  readonly audience: string;
  /** Issued-at, epoch seconds. */
  readonly issuedAt: number;
  readonly ttlSeconds: number;
  readonly jwtId: string;
}

/** The claim names the stage's authorizer reads (auth.jwt.claims), or the kit's defaults. */
export function claimNames(config: PerimeterConfig) {
  return config.auth.jwt?.claims ?? { agentId: 'sub', agentType: 'agent_type', role: 'role', scopes: 'scope' };
}

/** The JWT claims of a grant: sub, agent_type?, role, scope (space-separated), iss, aud, iat, exp, jti. */
export function jwtClaims(config: PerimeterConfig, grant: JwtGrant): JwtClaims {
  const names = claimNames(config);
  return {
    [names.agentId]: grant.agentId,
    ...(grant.agentType !== undefined ? { [names.agentType]: grant.agentType } : {}),
    [names.role]: grant.role,
    ...(grant.scopes.length ? { [names.scopes]: grant.scopes.join(' ') } : {}),
    iss: grant.issuer,
    aud: grant.audience,
    iat: grant.issuedAt,
    exp: grant.issuedAt + grant.ttlSeconds,
    jti: grant.jwtId,
  };
}

async function run(values: FlagValues, runtime: CliRuntime): Promise<void> {
  const session = openStage(values, runtime);
  const jwtConfig = session.config.auth.jwt;
  if (jwtConfig && jwtConfig.mode !== 'kms') {
    throw new CliError(ExitCode.CONFIG,
      `stage '${session.stage}' verifies JWTs with auth.jwt.mode '${jwtConfig.mode}', not 'kms': its authorizer would refuse a JWT signed by the CLI`);
  }
  const agentId = requiredFlag(values, 'agent-id', 'the agent the JWT identifies (the sub claim)');
  const agentType = stringFlag(values, 'agent-type');
  const role = requiredFlag(values, 'role', `one of the stage's roles: ${Object.keys(session.config.rbac.roles).join(', ')}`);
  const scopes = parseScopes(stringFlag(values, 'scopes'));
  checkIdentityFlags(agentId, agentType);
  checkRoleAndScopes(session.config, role, scopes);
  const cloudFormation = () => session.aws().cloudFormation;
  const overrides = { signingKeyId: stringFlag(values, 'signing-key-id') };
  const maxSeconds = Math.min(MAX_JWT_TTL_SECONDS, jwtConfig?.maxLifetimeSeconds ?? MAX_JWT_TTL_SECONDS);
  const ttlSeconds = parseDuration('--ttl', stringFlag(values, 'ttl') ?? DEFAULT_JWT_TTL, { minSeconds: 60, maxSeconds });

  const where = jwtConfig
    ? { ...(await resolveStageOutputs(cloudFormation, session.stage, ['signingKeyId'], overrides)), jwtIssuer: jwtConfig.issuer, jwtAudience: jwtConfig.audience }
    : await resolveStageOutputs(cloudFormation, session.stage, ['signingKeyId', 'jwtIssuer', 'jwtAudience'], overrides);
  const { signingKeyId, jwtIssuer: issuer, jwtAudience: audience } = where;
  const issuedAt = Math.floor(runtime.now().getTime() / 1000);
  const grant: JwtGrant = {
    agentId, agentType, role, scopes, issuer, audience, issuedAt, ttlSeconds,
    jwtId: Buffer.from(runtime.random(16)).toString('base64url'),
  };
  const claims = jwtClaims(session.config, grant);
  const jwt = await signJwtWithKms(session.aws().kms, signingKeyId, claims);
  const expiresAt = new Date((issuedAt + ttlSeconds) * 1000).toISOString();
  if (session.json) writeJson(runtime, { jwt, claims, kid: signingKeyId, expiresAt });
  else runtime.stdout(`${jwt}\n`);
  runtime.stderr(`issued a JWT for agent ${agentId}, role ${role}${scopes.length ? `, scopes ${scopes.join(',')}` : ''}, ` +
    `iss ${issuer}, aud ${audience}, expires ${expiresAt} (in ${formatDuration(ttlSeconds)}), signed by ${signingKeyId}\n`);
}

/** The `jwt issue` command. */
export const jwtIssue: CommandSpec = {
  path: ['jwt', 'issue'],
  summary: 'issue an ES256 JWT signed by the stage\'s KMS key (KMS Sign)',
  description: [
    'Builds the claims sub, agent_type (with --agent-type), role, scope (space-separated), iss, aud, iat,',
    'exp and jti (claim names from auth.jwt.claims) and signs them with KMS Sign (ECDSA_SHA_256, RAW',
    'message) using the stage\'s signing key; the header is {alg: ES256, typ: JWT, kid: <key id>}.',
    '--ttl is at most auth.jwt.maxLifetimeSeconds and never more than 24h. The stage must use',
    'auth.jwt.mode kms (or have no auth.jwt in the given config).',
    '',
    'The signing key comes from the output SigningKeyArn of the deployed stack McpPerimeter-<stage>-Keys',
    '(CloudFormation DescribeStacks) unless --signing-key-id is given; iss and aud come from the config\'s',
    'auth.jwt, or, when the config has none, from the outputs JwtIssuer and JwtAudience.',
  ].join('\n'),
  options: {
    ...COMMON_OPTIONS,
    'agent-id': { type: 'string', value: 'ID', description: 'the agent (the sub claim); required' },
    'agent-type': { type: 'string', value: 'TYPE', description: 'the kind of agent (the agent_type claim)' },
    role: { type: 'string', value: 'ROLE', description: 'a role of the stage\'s config (rbac.roles); required' },
    scopes: { type: 'string', value: 'A,B', description: 'comma-separated scopes of the stage\'s config (rbac.scopes)' },
    ttl: { type: 'string', value: 'DURATION', description: `lifetime like 15m or 8h, 1m to 24h; default ${DEFAULT_JWT_TTL}` },
    'signing-key-id': { type: 'string', value: 'KEY', description: 'KMS signing key (id, ARN or alias) instead of the stack output SigningKeyArn' },
    ...AWS_OPTIONS,
  },
  examples: [
    'mcp-perimeter jwt issue --stage prod --config prod.json --agent-id billing-bot --role agent --ttl 8h',
    'TOKEN=$(mcp-perimeter jwt issue --stage dev --agent-id ci --role reader --ttl 15m)',
  ],
  run,
};
