/**
 * The CLI's exit codes for the bad inputs README's table names: a negative duration, a repeated flag,
 * another stage's token path, an unknown profile, an unreachable AWS.
 */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ExitCode } from '../../lib/cli/errors';
import { awsError, cfnMock, cli, dynamoMock, mockAws } from './cli-harness';

const CREATE = ['tokens', 'create', '--stage', 'dev', '--agent-id', 'a', '--agent-type', 't', '--role', 'agent'];

test('a negative duration is a bad duration (7), not a usage error', async () => {
  const run = await cli([...CREATE, '--expires', '-5d']);
  expect(run.code).toBe(ExitCode.BAD_DURATION);
  expect(run.stderr).toMatch(/--expires must be a duration like 90d.*got '-5d'/);
});

test('a flag given twice is refused (2), never silently the last one', async () => {
  const run = await cli([...CREATE, '--role', 'admin']);
  expect(run.code).toBe(ExitCode.USAGE);
  expect(run.stderr).toMatch(/--role is given more than once/);
});

// Since issue 15 only the commands that still read version-1 SSM records take --token-path.
test.each([
  ['tokens', 'migrate'],
  ['tokens', 'revoke', '--id', 'tok_aaaaaaaaaaaaaaaaaaaaaaaaaa'],
])("a --token-path of another stage is refused (2): %s %s", async (...command) => {
  const run = await cli([...command, '--stage', 'dev', '--token-path', '/mcp-perimeter/prod/tokens']);
  expect(run.code).toBe(ExitCode.USAGE);
  expect(run.stderr).toMatch(/--token-path \/mcp-perimeter\/prod\/tokens holds the records of stage 'prod', not of --stage dev/);
});

test('a credentials failure under --profile names the profile (3)', async () => {
  // GIVEN the SDK cannot load credentials
  mockAws();
  cfnMock.on(DescribeStacksCommand).rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
  dynamoMock.onAnyCommand().rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
  // WHEN
  const run = await cli(['tokens', 'list', '--stage', 'dev', '--profile', 'nosuch']);
  // THEN
  expect(run.code).toBe(ExitCode.NO_CREDENTIALS);
  expect(run.stderr).toMatch(/--profile 'nosuch'/);
});

test('a refused connection is AWS unreachable (12), not an unexpected failure', async () => {
  // GIVEN
  mockAws();
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  cfnMock.on(DescribeStacksCommand).rejects(refused());
  dynamoMock.onAnyCommand().rejects(refused());
  // WHEN
  const run = await cli(['tokens', 'list', '--stage', 'dev']);
  // THEN
  expect(run.code).toBe(ExitCode.UNREACHABLE);
  expect(run.stderr).toMatch(/AWS could not be reached \(Error: connect ECONNREFUSED/);
});
