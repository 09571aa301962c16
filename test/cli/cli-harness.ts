/**
 * Test harness for the CLI: runs `runCli` with mocked AWS clients (aws-sdk-client-mock), a fixed clock
 * and captured stdout/stderr, and an in-memory Parameter Store that behaves like SSM for the calls the
 * CLI and the authorizer make (PutParameter with and without Overwrite, GetParameter,
 * GetParametersByPath with pages, DeleteParameter).
 */
import { randomBytes } from 'node:crypto';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
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
export const dynamoMock = mockClient(DynamoDBClient);

/** The token table of stage dev: a name CloudFormation generates (no fixed name, issue 11), the Keys stack output TokenTableName. */
export const TOKEN_TABLE = 'McpPerimeter-dev-Keys-TokenStoreTable0123ABCD-1A2B3C4D5E6F';

type Item = Record<string, AttributeValue>;

/**
 * An in-memory DynamoDB token table behind `dynamoMock`: PutItem, GetItem, UpdateItem (with the
 * condition and update expressions the CLI writes: `attribute_exists`, `attribute_not_exists`, `=`
 * joined by AND; `SET a = :v, …`), Query on the `byId` index, Scan with pages. `gate`, when set, is
 * awaited before every call takes effect, so a test can interleave two commands call by call.
 */
export class FakeTokenTable {
  readonly items = new Map<string, Item>();
  /** Every UpdateItem that took effect, in order: `<digest> <update expression>`. */
  readonly updates: string[] = [];
  gate: ((command: string) => Promise<void>) | undefined;

  install(): this {
    dynamoMock.on(PutItemCommand).callsFake(async (input) => {
      await this.enter('PutItem', input.TableName);
      const key = input.Item.digest.S;
      this.check(input.ConditionExpression, this.items.get(key), input.ExpressionAttributeNames, input.ExpressionAttributeValues, undefined);
      this.items.set(key, structuredClone(input.Item));
      return {};
    });
    dynamoMock.on(GetItemCommand).callsFake(async (input) => {
      await this.enter('GetItem', input.TableName);
      const item = this.items.get(input.Key.digest.S);
      return item ? { Item: structuredClone(item) } : {};
    });
    dynamoMock.on(UpdateItemCommand).callsFake(async (input) => {
      await this.enter('UpdateItem', input.TableName);
      const key = input.Key.digest.S;
      const old = this.items.get(key);
      this.check(input.ConditionExpression, old, input.ExpressionAttributeNames, input.ExpressionAttributeValues, input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? old : undefined);
      const next: Item = structuredClone(old ?? { digest: { S: key } });
      for (const assignment of /^SET (.*)$/.exec(input.UpdateExpression)![1]!.split(',')) {
        const [name, value] = assignment.split('=').map((t) => t.trim());
        next[input.ExpressionAttributeNames[name!]] = input.ExpressionAttributeValues[value!];
      }
      this.items.set(key, next);
      this.updates.push(`${key} ${input.UpdateExpression}`);
      return {};
    });
    dynamoMock.on(QueryCommand).callsFake(async (input) => {
      await this.enter('Query', input.TableName);
      if (input.IndexName !== 'byId') throw new Error(`unexpected index ${input.IndexName}`);
      const id = input.ExpressionAttributeValues[':id'].S;
      return { Items: [...this.items.values()].filter((i) => i.id?.S === id).map((i) => ({ digest: i.digest, id: i.id })) };
    });
    dynamoMock.on(ScanCommand).callsFake(async (input) => {
      await this.enter('Scan', input.TableName);
      const all = [...this.items.values()].sort((a, b) => a.digest.S!.localeCompare(b.digest.S!));
      const start = input.ExclusiveStartKey ? all.findIndex((i) => i.digest.S === input.ExclusiveStartKey.digest.S) + 1 : 0;
      const page = all.slice(start, start + 2);
      return { Items: structuredClone(page), LastEvaluatedKey: start + 2 < all.length ? { digest: page[page.length - 1]!.digest } : undefined };
    });
    return this;
  }

  /** The item of a token id. */
  byId(id: string): Item | undefined {
    return [...this.items.values()].find((i) => i.id?.S === id);
  }

  private async enter(command: string, table: string): Promise<void> {
    if (table !== TOKEN_TABLE) throw new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} });
    await this.gate?.(command);
  }

  private check(condition: string | undefined, item: Item | undefined, names: Record<string, string> = {}, values: Record<string, AttributeValue> = {}, returnOld: Item | undefined): void {
    if (!condition) return;
    const holds = condition.split(' AND ').every((term) => {
      const t = term.trim();
      let m = /^attribute_exists\((#\w+)\)$/.exec(t);
      if (m) return item?.[names[m[1]!]!] !== undefined;
      m = /^attribute_not_exists\((#\w+)\)$/.exec(t);
      if (m) return item?.[names[m[1]!]!] === undefined;
      m = /^(#\w+) = (:\w+)$/.exec(t);
      if (m) return JSON.stringify(item?.[names[m[1]!]!]) === JSON.stringify(values[m[2]!]);
      throw new Error(`the fake table does not understand the condition '${t}'`);
    });
    if (!holds) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: returnOld ? structuredClone(returnOld) : undefined });
  }
}

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
  dynamoMock.reset();
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
    TokenTableName: TOKEN_TABLE,
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
      return {
        ssm: new SSMClient({ region: 'eu-west-1' }), kms: new KMSClient({ region: 'eu-west-1' }),
        cloudFormation: new CloudFormationClient({ region: 'eu-west-1' }), dynamodb: new DynamoDBClient({ region: 'eu-west-1' }),
      };
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
