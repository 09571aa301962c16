/**
 * The SDK's own retry strategy, exercised for real: the clients the CLI builds are given a request
 * handler that answers like SSM and CloudFormation would, so the retries, backoff and final error
 * mapping run as in production (aws-sdk-client-mock would bypass the retry middleware).
 */
import { Readable } from 'node:stream';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SSMClient } from '@aws-sdk/client-ssm';
import { awsClientConfig, type AwsClients, DEFAULT_MAX_ATTEMPTS } from '../../lib/cli/aws-clients';
import { ExitCode } from '../../lib/cli/errors';
import { runCli } from '../../lib/cli/run';

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** A request handler that answers SSM JSON calls from a script and counts them. */
function scriptedHandler(answers: (attempt: number) => Answer) {
  const calls: { target: string; at: number }[] = [];
  return {
    calls,
    handler: {
      handle: async (request: { headers: Record<string, string> }) => {
        calls.push({ target: request.headers['x-amz-target'] ?? '', at: Date.now() });
        const { status, body } = answers(calls.length);
        return {
          response: {
            statusCode: status,
            reason: '',
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${calls.length}` },
            body: Readable.from([Buffer.from(JSON.stringify(body))]),
          },
        };
      },
    },
  };
}

async function listWith(handler: object, maxAttempts: number) {
  let stderr = '';
  let stdout = '';
  const config = {
    ...awsClientConfig({ region: 'eu-west-1', maxAttempts }),
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: handler,
  };
  const clients: AwsClients = { ssm: new SSMClient(config), kms: new KMSClient(config), cloudFormation: new CloudFormationClient(config), dynamodb: new DynamoDBClient(config) };
  // tokens migrate --dry-run lists the version-1 records in SSM first (--token-table: no CloudFormation call).
  const code = await runCli(['tokens', 'migrate', '--dry-run', '--stage', 'dev', '--token-path', '/mcp-perimeter/dev/tokens', '--token-table', 'mcp-perimeter-dev-tokens'], {
    awsClients: () => clients,
    now: () => new Date('2026-03-01T00:00:00Z'),
    random: () => new Uint8Array(),
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
  });
  return { code, stdout, stderr };
}

const THROTTLED: Answer = { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
const EMPTY: Answer = { status: 200, body: { Parameters: [] } };

test('the CLI\'s clients use the adaptive retry strategy with 5 attempts by default', () => {
  // WHEN
  const config = awsClientConfig({ region: 'eu-west-1', profile: 'ops' });
  // THEN
  expect(config).toEqual({ region: 'eu-west-1', profile: 'ops', maxAttempts: DEFAULT_MAX_ATTEMPTS, retryMode: 'adaptive' });
  expect(DEFAULT_MAX_ATTEMPTS).toBe(5);
});

test('a throttled call is retried with backoff by the SDK and succeeds when AWS recovers', async () => {
  // GIVEN: two throttles, then an answer
  const scripted = scriptedHandler((n) => (n <= 2 ? THROTTLED : EMPTY));
  // WHEN
  const run = await listWith(scripted.handler, 5);
  // THEN
  expect(run.code).toBe(ExitCode.OK);
  expect(scripted.calls).toHaveLength(3);
  expect(scripted.calls.every((c) => c.target === 'AmazonSSM.GetParametersByPath')).toBe(true);
  expect(run.stderr).toMatch(/dry run: 0 would copy, .* from \/mcp-perimeter\/dev\/tokens/);
});

test('fails: a call still throttled after every attempt exits THROTTLED saying how many attempts were made', async () => {
  // GIVEN
  const scripted = scriptedHandler(() => THROTTLED);
  // WHEN
  const run = await listWith(scripted.handler, 3);
  // THEN
  expect(run.code).toBe(ExitCode.THROTTLED);
  expect(scripted.calls).toHaveLength(3);
  // adaptive mode waits ~2 s between throttled attempts (measured); at least 1 s over two retries
  expect(scripted.calls[2]!.at - scripted.calls[0]!.at).toBeGreaterThanOrEqual(1000);
  expect(run.stderr).toMatch(/error: listing tokens under \/mcp-perimeter\/dev\/tokens: AWS is throttling the call after 3 attempts with backoff \(ThrottlingException: Rate exceeded\); wait a minute and retry/);
});

test('fails: access denied is not retried and exits ACCESS_DENIED', async () => {
  // GIVEN
  const scripted = scriptedHandler(() => ({ status: 400, body: { __type: 'AccessDeniedException', message: 'not authorized to perform: ssm:GetParametersByPath' } }));
  // WHEN
  const run = await listWith(scripted.handler, 5);
  // THEN
  expect(run.code).toBe(ExitCode.ACCESS_DENIED);
  expect(scripted.calls).toHaveLength(1);
});

test('fails: invalid credentials exit NO_CREDENTIALS', async () => {
  // GIVEN
  const scripted = scriptedHandler(() => ({ status: 400, body: { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' } }));
  // WHEN
  const run = await listWith(scripted.handler, 5);
  // THEN
  expect(run.code).toBe(ExitCode.NO_CREDENTIALS);
  expect(run.stderr).toMatch(/no usable AWS credentials \(UnrecognizedClientException: .*\); sign in/);
});
