/**
 * The stage's token table (issue 15): one DynamoDB item per token keyed by its digest, holding the
 * version-1 record (lambda/authorizer/token-item.ts). Every write is conditional, so:
 * - creation never overwrites (`attribute_not_exists(digest)`);
 * - revocation marks the item revoked and never deletes it (a tombstone, until DynamoDB's TTL removes it
 *   a week after the record's expiry), so neither `tokens migrate` nor anything else can write it back;
 * - rotation shortens the old record only while it is exactly the record read and not revoked, so a
 *   `tokens revoke` running at the same time always wins.
 */
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { storedTokenOf, TOKEN_ID_INDEX, TOKEN_ITEM, tokenItem, ttlOf } from '../../lambda/authorizer/token-item';
import type { StoredToken } from '../../lambda/authorizer/token-lookup';
import { serializeTokenRecord, type TokenRecord, TokenRecordError } from '../../lambda/authorizer/token-record';
import { awsCall, CliError, ExitCode } from './errors';
import { keysStackName, resolveStageOutputs } from './stage-outputs';
import type { UnreadableRecord } from './token-store';

/** What `list` finds in the table. */
export interface TableListing {
  readonly tokens: StoredToken[];
  readonly unreadable: UnreadableRecord[];
}

const CONDITION_FAILED = 'ConditionalCheckFailedException';

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === CONDITION_FAILED;
}

/** Token records of one stage in DynamoDB. */
export class TokenTable {
  /**
   * @param client the DynamoDB client.
   * @param tableName the stage's table (the Keys stack output `TokenTableName`, or `--token-table`).
   */
  constructor(private readonly client: Pick<DynamoDBClient, 'send'>, readonly tableName: string) {}

  /** Writes a new record. @throws CliError ALREADY_EXISTS rather than overwrite one. */
  async create(record: TokenRecord): Promise<void> {
    const written = await this.putIfAbsent(record, `writing token ${record.id} to table ${this.tableName}`);
    if (!written) throw new CliError(ExitCode.ALREADY_EXISTS, `writing token ${record.id}: a record with that digest already exists in ${this.tableName}; nothing was overwritten`);
  }

  /** Writes a record unless one with its digest exists (revoked or not). @returns whether it was written. */
  async putIfAbsent(record: TokenRecord, action = `copying token ${record.id} to table ${this.tableName}`): Promise<boolean> {
    return awsCall(this.context(action), async () => {
      try {
        await this.client.send(new PutItemCommand({
          TableName: this.tableName,
          Item: tokenItem(record),
          ConditionExpression: 'attribute_not_exists(#d)',
          ExpressionAttributeNames: { '#d': TOKEN_ITEM.digest },
        }));
        return true;
      } catch (e) {
        if (isConditionFailure(e)) return false;
        throw e;
      }
    });
  }

  /**
   * The token with id `id`, read strongly consistent (the `byId` index is eventually consistent: it only
   * finds the digest).
   * @returns undefined when no item has that id.
   * @throws CliError UNEXPECTED when the item is not a valid record, or two items share the id.
   */
  async findById(id: string): Promise<StoredToken | undefined> {
    const action = `reading token ${id} from table ${this.tableName}`;
    const found = await awsCall(this.context(action), () => this.client.send(new QueryCommand({
      TableName: this.tableName,
      IndexName: TOKEN_ID_INDEX,
      KeyConditionExpression: '#i = :id',
      ExpressionAttributeNames: { '#i': TOKEN_ITEM.id },
      ExpressionAttributeValues: { ':id': { S: id } },
    })));
    const items = found.Items ?? [];
    if (items.length === 0) return undefined;
    if (items.length > 1) throw new CliError(ExitCode.UNEXPECTED, `${action}: ${items.length} items carry id ${id}; revoke each by digest is not possible from the CLI: inspect the table`);
    const digest = items[0]![TOKEN_ITEM.digest]?.S;
    const answer = await awsCall(this.context(action), () => this.client.send(new GetItemCommand({
      TableName: this.tableName,
      Key: { [TOKEN_ITEM.digest]: { S: digest ?? '' } },
      ConsistentRead: true,
    })));
    if (!answer.Item) return undefined;
    try {
      return storedTokenOf(answer.Item);
    } catch (e) {
      if (e instanceof TokenRecordError) throw new CliError(ExitCode.UNEXPECTED, `${action}: the item is not a valid token record (${e.message}); revoke it`);
      throw e;
    }
  }

  /**
   * Shortens `current` to expire at `expiresAt`, only if the stored record is still exactly `current` and
   * not revoked (a concurrent revoke, rotate or edit wins).
   * @returns whether the record was changed.
   */
  async shorten(current: TokenRecord, expiresAt: string): Promise<boolean> {
    const next: TokenRecord = { ...current, expiresAt };
    return awsCall(this.context(`shortening token ${current.id} in table ${this.tableName}`), async () => {
      try {
        await this.client.send(new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [TOKEN_ITEM.digest]: { S: current.digest } },
          UpdateExpression: 'SET #r = :next, #t = :ttl',
          ConditionExpression: 'attribute_exists(#d) AND attribute_not_exists(#v) AND #r = :current',
          ExpressionAttributeNames: { '#r': TOKEN_ITEM.record, '#t': TOKEN_ITEM.ttl, '#d': TOKEN_ITEM.digest, '#v': TOKEN_ITEM.revokedAt },
          ExpressionAttributeValues: {
            ':next': { S: serializeTokenRecord(next) },
            ':current': { S: serializeTokenRecord(current) },
            ':ttl': { N: String(ttlOf(next)) },
          },
        }));
        return true;
      } catch (e) {
        if (isConditionFailure(e)) return false;
        throw e;
      }
    });
  }

  /**
   * Marks the token with digest `digest` revoked at `at` (kept as a tombstone). Revoking a revoked token
   * keeps the first instant.
   * @returns 'revoked', 'already-revoked', or 'absent' when no such item exists.
   */
  async revoke(digest: string, at: Date): Promise<'revoked' | 'already-revoked' | 'absent'> {
    return awsCall(this.context(`revoking a token in table ${this.tableName}`), async () => {
      try {
        await this.client.send(new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [TOKEN_ITEM.digest]: { S: digest } },
          UpdateExpression: 'SET #v = :at',
          ConditionExpression: 'attribute_exists(#d) AND attribute_not_exists(#v)',
          ExpressionAttributeNames: { '#v': TOKEN_ITEM.revokedAt, '#d': TOKEN_ITEM.digest },
          ExpressionAttributeValues: { ':at': { S: at.toISOString() } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }));
        return 'revoked';
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
        const old = (e as { Item?: Record<string, AttributeValue> }).Item;
        return old ? 'already-revoked' : 'absent';
      }
    });
  }

  /** Every item of the table (all pages), and the items that are not valid records. */
  async list(): Promise<TableListing> {
    const tokens: StoredToken[] = [];
    const unreadable: UnreadableRecord[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await awsCall(this.context(`listing tokens in table ${this.tableName}`), () => this.client.send(new ScanCommand({
        TableName: this.tableName,
        ExclusiveStartKey: start,
      })));
      for (const item of page.Items ?? []) {
        try {
          tokens.push(storedTokenOf(item));
        } catch (e) {
          if (!(e instanceof TokenRecordError)) throw e;
          unreadable.push({ name: `${this.tableName} item ${item[TOKEN_ITEM.id]?.S ?? '(no id)'}`, problem: e.message });
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return { tokens, unreadable };
  }

  private context(action: string) {
    return {
      action,
      notFound: `no table ${this.tableName}: deploy the stage's Keys stack first, or pass the right --token-table`,
      alreadyExists: 'a token with that digest already exists',
    };
  }
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** The `--token-table` flag every tokens command accepts. */
export const TOKEN_TABLE_OPTION = {
  'token-table': { type: 'string', value: 'TABLE', description: 'DynamoDB table of the tokens; default the Keys stack output TokenTableName' },
} as const;

/**
 * The table of a stage: `--token-table` when given (no AWS call), else the output `TokenTableName` of the
 * stack `McpPerimeter-<stage>-Keys` (one CloudFormation DescribeStacks call). The name is generated by
 * CloudFormation, so it cannot be derived from the stage (issue 11: no fixed name on a retained table).
 * @throws CliError USAGE for a flag DynamoDB would refuse (3-255 of A-Z a-z 0-9 _ . -, "Naming rules");
 *   NOT_FOUND (exit 5) when the stack is not deployed or has no such output.
 */
export async function tokenTableFor(cloudFormation: () => CloudFormationClient, stage: string, flag: string | undefined): Promise<string> {
  if (flag !== undefined) {
    if (!TABLE_NAME.test(flag)) throw new CliError(ExitCode.USAGE, `--token-table must be a DynamoDB table name: 3-255 of A-Z a-z 0-9 _ . -, got '${flag}'`);
    return flag;
  }
  const { tokenTable } = await resolveStageOutputs(cloudFormation, stage, ['tokenTable'], {});
  if (!TABLE_NAME.test(tokenTable)) {
    throw new CliError(ExitCode.UNEXPECTED, `stack ${keysStackName(stage)} output TokenTableName is not a DynamoDB table name: '${tokenTable.slice(0, 300)}'; pass --token-table`);
  }
  return tokenTable;
}

/** The stage's token table for a tokens command: `--token-table`, else the Keys stack's output. */
export async function openTokenTable(
  session: { readonly stage: string; aws(): { readonly dynamodb: Pick<DynamoDBClient, 'send'>; readonly cloudFormation: CloudFormationClient } },
  flag: string | undefined,
): Promise<TokenTable> {
  return new TokenTable(session.aws().dynamodb, await tokenTableFor(() => session.aws().cloudFormation, session.stage, flag));
}
