import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { SignCommand } from '@aws-sdk/client-kms';
import { DeleteParameterCommand, GetParameterCommand, GetParametersByPathCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { CliError, EXIT_CODE_HELP, ExitCode, toCliError } from '../../lib/cli/errors';
import { GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { awsError, cfnMock, cli, dynamoMock, FakeParameterStore, FakeTokenTable, kmsMock, mockAws, ssmMock, TOKEN_TABLE } from './cli-harness';

const ID = 'tok_zzzzzzzzzzzzzzzzzzzzzzzzzz';
const COMMANDS: Array<[string, string[]]> = [
  ['tokens create', ['tokens', 'create', '--stage', 'dev', '--agent-id', 'a', '--agent-type', 't', '--role', 'agent']],
  ['tokens list', ['tokens', 'list', '--stage', 'dev']],
  ['tokens revoke', ['tokens', 'revoke', '--stage', 'dev', '--id', ID]],
  ['tokens rotate', ['tokens', 'rotate', '--stage', 'dev', '--id', ID]],
  ['jwt issue', ['jwt', 'issue', '--stage', 'dev', '--agent-id', 'a', '--role', 'agent']],
];

function everyCallFails(error: Error): void {
  mockAws();
  cfnMock.on(DescribeStacksCommand).rejects(error);
  for (const command of [PutParameterCommand, GetParameterCommand, GetParametersByPathCommand, DeleteParameterCommand] as const) ssmMock.on(command as never).rejects(error);
  for (const command of [PutItemCommand, GetItemCommand, QueryCommand, ScanCommand, UpdateItemCommand] as const) dynamoMock.on(command as never).rejects(error);
  kmsMock.on(SignCommand).rejects(error);
}

const NO_CREDENTIALS = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });

test.each(COMMANDS)('fails: %s without AWS credentials exits NO_CREDENTIALS and says how to sign in', async (_name, argv) => {
  // GIVEN
  everyCallFails(NO_CREDENTIALS);
  // WHEN
  const run = await cli(argv);
  // THEN
  expect(run.code).toBe(ExitCode.NO_CREDENTIALS);
  expect(run.stderr).toMatch(/^error: .*: no usable AWS credentials \(CredentialsProviderError: Could not load credentials from any providers\); sign in \(aws sso login, --profile NAME, or AWS_\* environment variables\) and retry\n$/);
  expect(run.stdout).toBe('');
});

test.each(COMMANDS)('fails: %s with expired credentials exits NO_CREDENTIALS', async (_name, argv) => {
  // GIVEN
  everyCallFails(awsError('ExpiredTokenException', 'The security token included in the request is expired'));
  // WHEN
  const run = await cli(argv);
  // THEN
  expect(run.code).toBe(ExitCode.NO_CREDENTIALS);
});

test.each(COMMANDS)('fails: %s without a region exits NO_CREDENTIALS naming --region', async (_name, argv) => {
  // GIVEN
  everyCallFails(new Error('Region is missing'));
  // WHEN
  const run = await cli(argv);
  // THEN
  expect(run.code).toBe(ExitCode.NO_CREDENTIALS);
  expect(run.stderr).toMatch(/no AWS region; pass --region or set AWS_REGION/);
});

test.each(COMMANDS)('fails: %s denied by IAM exits ACCESS_DENIED', async (_name, argv) => {
  // GIVEN
  everyCallFails(awsError('AccessDenied', 'User is not authorized to perform: cloudformation:DescribeStacks'));
  // WHEN
  const run = await cli(argv);
  // THEN
  expect(run.code).toBe(ExitCode.ACCESS_DENIED);
  expect(run.stderr).toMatch(/access denied \(AccessDenied: User is not authorized to perform: cloudformation:DescribeStacks\); use an operator role/);
});

test.each(COMMANDS)('fails: %s still throttled after the SDK retries exits THROTTLED', async (_name, argv) => {
  // GIVEN
  everyCallFails(awsError('Throttling', 'Rate exceeded', 5));
  // WHEN
  const run = await cli(argv);
  // THEN
  expect(run.code).toBe(ExitCode.THROTTLED);
  expect(run.stderr).toMatch(/AWS is throttling the call after 5 attempts with backoff \(Throttling: Rate exceeded\); wait a minute and retry/);
});

test.each(COMMANDS)('fails: %s for an unknown stage exits NOT_FOUND', async (_name, argv) => {
  // GIVEN: stage dev's token table and SSM records only
  mockAws();
  new FakeTokenTable().install();
  new FakeParameterStore().install();
  // WHEN
  const run = await cli(argv.map((a) => (a === 'dev' ? 'staging' : a)));
  // THEN: the tokens commands find no table of that stage; jwt issue no Keys stack
  expect(run.code).toBe(ExitCode.NOT_FOUND);
  expect(run.stderr).toMatch(/unknown stage 'staging': stack McpPerimeter-staging-Keys is not deployed/);
});

test('an unmapped AWS error exits UNEXPECTED with its name and message', async () => {
  // GIVEN
  everyCallFails(awsError('InternalServerError', 'boom'));
  // WHEN
  const run = await cli(['tokens', 'list', '--stage', 'dev', '--token-table', TOKEN_TABLE]);
  // THEN
  expect(run.code).toBe(ExitCode.UNEXPECTED);
  expect(run.stderr).toMatch(new RegExp(String.raw`error: listing tokens in table ${TOKEN_TABLE}: InternalServerError: boom`));
});

test('an HTTP 429 without a known error name maps to THROTTLED', () => {
  // GIVEN
  const error = Object.assign(new Error('slow down'), { name: 'Unknown', $metadata: { httpStatusCode: 429 } });
  // WHEN
  const mapped = toCliError(error, { action: 'x' });
  // THEN
  expect(mapped).toBeInstanceOf(CliError);
  expect(mapped.exitCode).toBe(ExitCode.THROTTLED);
});

test('every exit code is documented once, in order', () => {
  // THEN
  expect(EXIT_CODE_HELP.map(([code]) => code)).toEqual(Object.values(ExitCode));
});
