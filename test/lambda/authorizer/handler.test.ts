import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { AUTHORIZER_SETTINGS_ENV } from '../../../lambda/authorizer/settings';
import { tokenItem } from '../../../lambda/authorizer/token-item';
import { bearer, DEFAULT_SETTINGS, issueToken, OUTPUT_CAPTURED, requestEvent } from './fixtures';

type Handler = (event: APIGatewayRequestAuthorizerEvent) => Promise<unknown>;
type DynamoModule = typeof import('@aws-sdk/client-dynamodb');
type DynamoMock = ReturnType<typeof mockClient>;

let output: string[] = [];

beforeEach(() => {
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      OUTPUT_CAPTURED.push(String(chunk));
      return true;
    });
  }
});

afterEach(() => {
  jest.restoreAllMocks();
  delete process.env[AUTHORIZER_SETTINGS_ENV];
});

/**
 * Loads index.ts afresh, as a cold start does, with `settings` in the environment. The SDK is loaded in
 * the same isolated module registry, so the mock patches the very client class the handler uses.
 */
function coldStart(settings: unknown, stub: (ddb: DynamoMock, sdk: DynamoModule) => void = () => undefined) {
  if (settings === undefined) delete process.env[AUTHORIZER_SETTINGS_ENV];
  else process.env[AUTHORIZER_SETTINGS_ENV] = typeof settings === 'string' ? settings : JSON.stringify(settings);
  let loaded: { handler: Handler; ssm: DynamoMock; sdk: DynamoModule } | undefined;
  jest.isolateModules(() => {
    const sdk: DynamoModule = require('@aws-sdk/client-dynamodb');
    const ssm = mockClient(sdk.DynamoDBClient);
    stub(ssm, sdk);
    loaded = { handler: require('../../../lambda/authorizer/index').handler, ssm, sdk };
  });
  return loaded!;
}

const event = (e: ReturnType<typeof requestEvent>) => e as APIGatewayRequestAuthorizerEvent;

/** A name CloudFormation would generate for the Keys stack's table (no fixed name, issue 11). */
const TABLE = 'McpPerimeter-dev-Keys-TokenStoreTable0123ABCD-1A2B3C4D5E6F';
/** The settings as the deployed stack delivers them: the table name comes from the Keys stack's output. */
const DEPLOYED = { ...DEFAULT_SETTINGS, tokenTable: TABLE };

test('AUTH-1: the Lambda handler reads its settings once, looks the token up in the table once and answers with a policy', async () => {
  // GIVEN
  const { token, record } = issueToken({ role: 'reader' });
  const { handler, ssm, sdk } = coldStart(DEPLOYED, (ssm, sdk) =>
    ssm.on(sdk.GetItemCommand).resolves({ Item: tokenItem(record) }),
  );
  // WHEN
  const answer = await handler(event(requestEvent({ method: 'GET', path: '/mcp', headers: bearer(token) })));
  await handler(event(requestEvent({ method: 'GET', path: '/mcp', headers: bearer(token) })));
  // THEN
  expect(answer).toMatchObject({ principalId: 'claude-cli-1', context: { tokenId: record.id, role: 'reader' } });
  const calls = ssm.commandCalls(sdk.GetItemCommand);
  expect(calls).toHaveLength(1);
  expect(calls[0].args[0].input).toMatchObject({ TableName: TABLE, Key: { digest: { S: record.digest } } });
  const lines = output.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'auth.allow', event: 'auth.allow', reason: 'permitted', tokenId: record.id, timestamp: expect.any(String) }));
});

test('AUTH-1: the handler turns a 401 into Error("Unauthorized")', async () => {
  const { handler } = coldStart(DEPLOYED, (ssm, sdk) => ssm.on(sdk.GetItemCommand).resolves({}));
  await expect(handler(event(requestEvent({ headers: null })))).rejects.toThrow(new Error('Unauthorized'));
});

test('EDGE-7: DynamoDB throttling on a lookup is a 401, never a 500, and is logged', async () => {
  const { token } = issueToken();
  const { handler } = coldStart(DEPLOYED, (ssm, sdk) =>
    ssm.on(sdk.GetItemCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })),
  );
  await expect(handler(event(requestEvent({ headers: bearer(token) })))).rejects.toThrow(new Error('Unauthorized'));
  expect(output.join('')).toMatch(/"message":"tokens.load_failed".*"error":"ThrottlingException"/);
});

test.each([
  ['missing', undefined],
  ['not JSON', '{'],
  ['invalid', { ...DEPLOYED, minTokenLength: 8 }],
  ['without the token table (never a guessed name)', DEFAULT_SETTINGS],
])('EDGE-7: %s settings make every request a 401 (not a 500) and are reported', async (_case, settings) => {
  // GIVEN
  const { handler, ssm, sdk } = coldStart(settings);
  const { token } = issueToken();
  // WHEN / THEN
  await expect(handler(event(requestEvent({ headers: bearer(token) })))).rejects.toThrow(new Error('Unauthorized'));
  expect(output.join('')).toContain('authorizer.settings_invalid');
  expect(ssm.commandCalls(sdk.GetItemCommand)).toHaveLength(0);
});

test('AUTH-1: without tokenTable the handler names the missing field and never looks a token up under a guessed name', async () => {
  const { handler, ssm, sdk } = coldStart(DEFAULT_SETTINGS, (ddb, s) => ddb.on(s.GetItemCommand).resolves({}));
  const { token } = issueToken();
  await expect(handler(event(requestEvent({ headers: bearer(token) })))).rejects.toThrow(new Error('Unauthorized'));
  expect(output.join('')).toMatch(/"message":"authorizer.settings_invalid".*"error":"MissingTokenTable".*tokenTable/);
  expect(ssm.commandCalls(sdk.GetItemCommand)).toHaveLength(0);
});
