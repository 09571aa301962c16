/**
 * The Lambda handler for API Gateway REST REQUEST authorizer events. Thin: settings (bundled into the
 * code by the stack, see settings.ts) are parsed and the AWS adapters built once, at module load (no
 * token is read until one is presented: cold start does not grow with the number of tokens, issue 15);
 * each event is
 * handed to the authorizer, whose answer is returned, or `Error('Unauthorized')` thrown for a 401.
 * Nothing else ever escapes: invalid settings make every request a 401, never a 500.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { JsonLinesAuditLog } from './audit';
import { createAuthorizer, UNAUTHORIZED, type Authorizer } from './authorizer';
import { keyRingResolver } from './key-ring';
import { KmsPublicKey } from './kms-public-key';
import { parseAuthorizerSettings, type ParsedAuthorizerSettings } from './settings';
import { SsmHmacSecret } from './ssm-hmac-secret';
import { DynamoDbTokenLookup } from './dynamodb-token-lookup';
import { tokenTableName } from './token-item';

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
  const tokenLookup = new DynamoDbTokenLookup({
    // One retry and short timeouts: a request waits for the store at most ~2 s (TokenCache's timeout),
    // and an instance's other requests never wait on it.
    client: new DynamoDBClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 500, requestTimeout: 900 } }),
    tableName: settings.tokenTable ?? tokenTableName(settings.stage),
    onMalformed: (item, problem) => auditLog.problem('tokens.record_skipped', { item, problem }),
  });
  const onKeyError = (error: unknown) => auditLog.problem('jwt.key_load_failed', { error: (error as Error)?.name ?? 'error', detail: (error as Error)?.message?.slice(0, 512) });
  return createAuthorizer({ settings, tokenLookup, jwtKey: jwtKey(settings, onKeyError), auditLog });
}

/**
 * The JWT key resolver of the configured mode. The KMS and SSM clients are loaded only by the mode that
 * uses them (a lazy `require`), so a stage without JWTs does not pay for loading them at cold start.
 */
function jwtKey(settings: ParsedAuthorizerSettings, onError: (error: unknown) => void): JWTVerifyGetKey | undefined {
  const jwt = settings.jwt;
  if (!jwt) return undefined;
  switch (jwt.mode) {
    case 'jwks':
      return createRemoteJWKSet(new URL(jwt.jwksUrl as string), { timeoutDuration: 3000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    case 'kms': {
      const { KMSClient: Kms } = require('@aws-sdk/client-kms') as { KMSClient: typeof KMSClient };
      const kms = new Kms({});
      const current = new KmsPublicKey({ client: kms, keyId: jwt.kmsKeyId as string, onError });
      if (!jwt.previousKmsKeyId) return current.resolver;
      const previous = new KmsPublicKey({ client: kms, keyId: jwt.previousKmsKeyId, onError });
      // The previous key is a courtesy during a rotation: if it cannot be had, the current one still serves.
      return keyRingResolver(async () => [await current.get(), ...(await previous.get().then((k) => [k], () => []))]);
    }
    case 'hs256': {
      const { SSMClient: Ssm } = require('@aws-sdk/client-ssm') as { SSMClient: typeof SSMClient };
      return new SsmHmacSecret({
        client: new Ssm({}),
        parameterName: jwt.hmacSecretParameter as string,
        previousParameterName: jwt.hmacPreviousSecretParameter,
        refreshMs: settings.refreshSeconds * 1000,
        maxStaleMs: settings.maxStaleSeconds * 1000,
        onError,
      }).resolver;
    }
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
