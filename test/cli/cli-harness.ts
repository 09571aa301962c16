/**
 * Test harness for the CLI: runs `runCli` with mocked AWS clients (aws-sdk-client-mock), a fixed clock
 * and captured stdout/stderr, and an in-memory Parameter Store that behaves like SSM for the calls the
 * CLI and the authorizer make (PutParameter with and without Overwrite, GetParameter,
 * GetParametersByPath with pages, DeleteParameter).
 */
import { randomBytes } from 'node:crypto';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  type Parameter,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsSettings } from '../../lib/cli/aws-clients';
import { runCli } from '../../lib/cli/run';

export const STAGE = 'dev';
export const TOKEN_PATH = '/mcp-perimeter/dev/tokens';
export const SECRETS_KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-4333-8444-555555555555';
export const SIGNING_KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/66666666-7777-4888-9999-000000000000';
export const NOW = new Date('2026-03-01T12:00:00.000Z');

/** The mocks, reset for every test by `mockAws()`. */
export const ssmMock = mockClient(SSMClient);
export const kmsMock = mockClient(KMSClient);
export const cfnMock = mockClient(CloudFormationClient);

/** An AWS-style service error, as the SDK would throw it after its retries. */
export function awsError(name: string, message = name, attempts = 1): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400, attempts } });
}

/** An in-memory Parameter Store behind `ssmMock`. */
export class FakeParameterStore {
  readonly parameters = new Map<string, Parameter & { KeyId?: string }>();

  install(): this {
    ssmMock.on(PutParameterCommand).callsFake((input) => {
      if (this.parameters.has(input.Name) && !input.Overwrite) {
        throw new ParameterAlreadyExists({ message: `The parameter already exists.`, $metadata: {} });
      }
      const version = (this.parameters.get(input.Name)?.Version ?? 0) + 1;
      this.parameters.set(input.Name, { Name: input.Name, Value: input.Value, Type: input.Type, Version: version, KeyId: input.KeyId });
      return { Version: version, Tier: 'Standard' };
    });
    ssmMock.on(GetParameterCommand).callsFake((input) => {
      const parameter = this.parameters.get(input.Name);
      if (!parameter) throw new ParameterNotFound({ message: '', $metadata: {} });
      return { Parameter: { Name: parameter.Name, Value: parameter.Value, Type: parameter.Type, Version: parameter.Version } };
    });
    ssmMock.on(DeleteParameterCommand).callsFake((input) => {
      if (!this.parameters.delete(input.Name)) throw new ParameterNotFound({ message: '', $metadata: {} });
      return {};
    });
    ssmMock.on(GetParametersByPathCommand).callsFake((input) => {
      const prefix = `${input.Path}/`;
      const all = [...this.parameters.values()]
        .filter((p) => p.Name!.startsWith(prefix) && (input.Recursive || !p.Name!.slice(prefix.length).includes('/')))
        .sort((a, b) => a.Name!.localeCompare(b.Name!));
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const size = input.MaxResults ?? 10;
      const page = all.slice(start, start + size).map(({ KeyId: _key, ...p }) => p);
      return { Parameters: page, NextToken: start + size < all.length ? String(start + size) : undefined };
    });
    return this;
  }

  /** The stored value of a token id. */
  value(id: string): string | undefined {
    return this.parameters.get(`${TOKEN_PATH}/${id}`)?.Value;
  }
}

/** Resets the mocks and answers DescribeStacks for `McpPerimeter-dev-Keys` with the usual outputs. */
export function mockAws(outputs: Record<string, string> = defaultOutputs()): void {
  ssmMock.reset();
  kmsMock.reset();
  cfnMock.reset();
  cfnMock.on(DescribeStacksCommand).rejects(awsError('ValidationError', 'Stack with id McpPerimeter-x-Keys does not exist'));
  cfnMock.on(DescribeStacksCommand, { StackName: 'McpPerimeter-dev-Keys' }).resolves({
    Stacks: [{
      StackName: 'McpPerimeter-dev-Keys',
      StackStatus: 'CREATE_COMPLETE',
      CreationTime: NOW,
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    }],
  });
}

/** The Keys stack outputs of stage dev. */
export function defaultOutputs(): Record<string, string> {
  return {
    TokenPath: TOKEN_PATH,
    SecretsKeyArn: SECRETS_KEY_ARN,
    SigningKeyArn: SIGNING_KEY_ARN,
    JwtIssuer: 'https://mcp.example.com',
    JwtAudience: 'mcp-perimeter-dev',
  };
}

/** What one CLI run produced. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The settings the CLI built its AWS clients with, or undefined if it never did. */
  readonly awsSettings: AwsSettings | undefined;
}

/** Runs the CLI with the mocked clients at `now`. */
export async function cli(argv: readonly string[], options: { now?: Date; random?: (n: number) => Uint8Array } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  let awsSettings: AwsSettings | undefined;
  const code = await runCli(argv, {
    awsClients: (settings) => {
      awsSettings = settings;
      return { ssm: new SSMClient({ region: 'eu-west-1' }), kms: new KMSClient({ region: 'eu-west-1' }), cloudFormation: new CloudFormationClient({ region: 'eu-west-1' }) };
    },
    now: () => options.now ?? NOW,
    random: options.random ?? ((n) => randomBytes(n)),
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
  });
  return { code, stdout, stderr, awsSettings };
}

/** The common flags of a `tokens create` for agent billing-bot. */
export function createArgs(...extra: string[]): string[] {
  return ['tokens', 'create', '--stage', STAGE, '--agent-id', 'billing-bot', '--agent-type', 'claude-code', '--role', 'agent', ...extra];
}
