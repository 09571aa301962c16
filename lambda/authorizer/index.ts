/**
 * The Lambda handler for API Gateway REST REQUEST authorizer events. Thin: settings (bundled into the
 * code by the stack, see settings.ts) are parsed and the
 * AWS adapters built once, at module load (and the first token load starts during init); each event is
 * handed to the authorizer, whose answer is returned, or `Error('Unauthorized')` thrown for a 401.
 * Nothing else ever escapes: invalid settings make every request a 401, never a 500.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { JsonLinesAuditLog } from './audit';
import { createAuthorizer, UNAUTHORIZED, type Authorizer } from './authorizer';
import { KmsPublicKey } from './kms-public-key';
import { parseAuthorizerSettings, type ParsedAuthorizerSettings } from './settings';
import { SsmHmacSecret } from './ssm-hmac-secret';
import { SsmTokenSource } from './ssm-token-source';

/** The settings JSON the stack bundles into the code (esbuild `define`); absent when run unbundled. */
declare const MCP_PERIMETER_AUTHORIZER_SETTINGS: string | undefined;

const auditLog = new JsonLinesAuditLog();
const authorizer = build();

function build(): Authorizer | undefined {
  let settings: ParsedAuthorizerSettings;
  try {
    const bundled = typeof MCP_PERIMETER_AUTHORIZER_SETTINGS === 'string' ? MCP_PERIMETER_AUTHORIZER_SETTINGS : undefined;
    settings = parseAuthorizerSettings(process.env, bundled);
  } catch (e) {
    auditLog.problem('authorizer.settings_invalid', { error: (e as Error).name, detail: (e as Error).message.slice(0, 2000) });
    return undefined;
  }
  const ssm = new SSMClient({});
  const tokenSource = new SsmTokenSource({
    client: ssm,
    path: settings.tokenPath,
    onMalformed: (parameter, problem) => auditLog.problem('tokens.record_skipped', { parameter, problem }),
  });
  const onKeyError = (error: unknown) => auditLog.problem('jwt.key_load_failed', { error: (error as Error)?.name ?? 'error', detail: (error as Error)?.message?.slice(0, 512) });
  const built = createAuthorizer({ settings, tokenSource, jwtKey: jwtKey(settings, ssm, onKeyError), auditLog });
  void built.refreshTokens();
  return built;
}

function jwtKey(settings: ParsedAuthorizerSettings, ssm: SSMClient, onError: (error: unknown) => void): JWTVerifyGetKey | undefined {
  const jwt = settings.jwt;
  if (!jwt) return undefined;
  switch (jwt.mode) {
    case 'jwks':
      return createRemoteJWKSet(new URL(jwt.jwksUrl as string), { timeoutDuration: 3000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    case 'kms':
      return new KmsPublicKey({ client: new KMSClient({}), keyId: jwt.kmsKeyId as string, onError }).resolver;
    case 'hs256':
      return new SsmHmacSecret({
        client: ssm,
        parameterName: jwt.hmacSecretParameter as string,
        refreshMs: settings.refreshSeconds * 1000,
        maxStaleMs: settings.maxStaleSeconds * 1000,
        onError,
      }).resolver;
  }
}

/** The REST REQUEST authorizer. */
export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  if (!authorizer) {
    auditLog.problem('authorizer.refused_unconfigured', { requestId: event?.requestContext?.requestId });
    throw new Error(UNAUTHORIZED);
  }
  return authorizer.handle(event);
}
