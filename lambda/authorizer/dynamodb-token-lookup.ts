/**
 * Token records from the stage's DynamoDB table (issue 15, point 1): one GetItem by digest per token
 * seen for the first time (and once per refresh period while it is in use). Eventually consistent
 * reads (half the cost; a write is visible within about a second, far inside `auth.refreshSeconds`).
 * The SDK's standard configuration applies (region, endpoint, credentials) with a short timeout and one
 * retry, so a slow store costs one request a bounded wait, not the whole instance.
 */
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { storedTokenOf, TOKEN_ITEM } from './token-item';
import type { StoredToken, TokenLookup } from './token-lookup';
import { TokenRecordError } from './token-record';

/** Which table and how malformed items are reported. */
export interface DynamoDbTokenLookupProps {
  /** The DynamoDB client. */
  readonly client: Pick<DynamoDBClient, 'send'>;
  /** The table name, `mcp-perimeter-<stage>-tokens`. */
  readonly tableName: string;
  /** Told about an item that is not a valid record (never its value). @default - not reported */
  readonly onMalformed?: (digestPrefix: string, problem: string) => void;
}

/** Looks a token up by digest with GetItem. */
export class DynamoDbTokenLookup implements TokenLookup {
  constructor(private readonly props: DynamoDbTokenLookupProps) {}

  async lookup(digest: string): Promise<StoredToken | undefined> {
    const answer = await this.props.client.send(new GetItemCommand({
      TableName: this.props.tableName,
      Key: { [TOKEN_ITEM.digest]: { S: digest } },
      ProjectionExpression: '#r, #i, #d, #v',
      ExpressionAttributeNames: { '#r': TOKEN_ITEM.record, '#i': TOKEN_ITEM.id, '#d': TOKEN_ITEM.digest, '#v': TOKEN_ITEM.revokedAt },
    }));
    if (!answer.Item) return undefined;
    try {
      return storedTokenOf(answer.Item);
    } catch (e) {
      // A digest prefix only: enough to find the item, not enough to matter.
      this.props.onMalformed?.(digest.slice(0, 'sha256:'.length + 8), e instanceof TokenRecordError ? e.message : 'token item could not be read');
      return undefined;
    }
  }
}
