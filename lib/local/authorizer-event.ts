/**
 * The event API Gateway (REST API) sends a Lambda REQUEST authorizer, built from a local request.
 * Header names keep the client's spelling, as in AWS, so an authorizer that forgets that header
 * names are case-insensitive fails locally too.
 */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';

/** The fake account, region, API id and stage of the local perimeter. */
export const LOCAL_API = { region: 'local', accountId: '000000000000', apiId: 'local', stage: 'local' } as const;

/** What the event is built from: one HTTP request as the gateway received it. */
export interface LocalRequest {
  readonly method: string;
  /** The path and query, as on the request line (`/mcp?x=1`). */
  readonly url: string;
  /** Node's `rawHeaders`: name, value, name, value … in the client's spelling and order. */
  readonly rawHeaders: readonly string[];
  readonly sourceIp: string;
  readonly requestId: string;
  /** Epoch milliseconds. */
  readonly receivedAt: number;
}

/** `arn:aws:execute-api:local:000000000000:local/local/<METHOD>/<path without leading slash>`. */
export function methodArn(method: string, path: string): string {
  return `arn:aws:execute-api:${LOCAL_API.region}:${LOCAL_API.accountId}:${LOCAL_API.apiId}/${LOCAL_API.stage}/${method}/${path.replace(/^\//, '')}`;
}

/** Builds the REQUEST authorizer event for `request`. */
export function buildAuthorizerEvent(request: LocalRequest): APIGatewayRequestAuthorizerEvent {
  const url = new URL(request.url, 'http://local');
  const path = url.pathname;

  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const [name, value] = [request.rawHeaders[i], request.rawHeaders[i + 1]];
    headers[name] = value; // the last value wins, as in API Gateway
    (multiValueHeaders[name] ??= []).push(value);
  }
  const queryStringParameters: Record<string, string> = {};
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    queryStringParameters[name] = value;
    (multiValueQueryStringParameters[name] ??= []).push(value);
  }
  const userAgent = headers[Object.keys(headers).find((h) => h.toLowerCase() === 'user-agent') ?? ''] ?? null;

  return {
    type: 'REQUEST',
    methodArn: methodArn(request.method, path),
    resource: path,
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters,
    pathParameters: {},
    stageVariables: {},
    requestContext: {
      accountId: LOCAL_API.accountId,
      apiId: LOCAL_API.apiId,
      authorizer: undefined,
      domainName: '127.0.0.1',
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      path: `/${LOCAL_API.stage}${path}`,
      stage: LOCAL_API.stage,
      requestId: request.requestId,
      requestTimeEpoch: request.receivedAt,
      resourceId: 'local',
      resourcePath: path,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
    },
  };
}
