/**
 * Token records from SSM Parameter Store: one SecureString per token at `<tokenPath>/<tokenId>`, read
 * with GetParametersByPath (recursive, decrypted, every page). The SDK's standard configuration
 * applies (region, endpoint, credentials, retries); nothing is hard-coded.
 */
import { GetParametersByPathCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { parseTokenRecord, TokenRecordError, type TokenRecord } from './token-record';
import type { MalformedRecordReporter, TokenSource } from './token-source';

/** Where and how records are read. */
export interface SsmTokenSourceProps {
  /** The SSM client (standard SDK configuration). */
  readonly client: Pick<SSMClient, 'send'>;
  /** The path holding the records, like /mcp-perimeter/dev/tokens. */
  readonly path: string;
  /** Told about every skipped parameter. @default - skipped silently */
  readonly onMalformed?: MalformedRecordReporter;
  /** Most pages read before the load is failed (guards against a NextToken loop). @default 1000 (10,000 tokens) */
  readonly maxPages?: number;
}

/** Reads every token record under a path. */
export class SsmTokenSource implements TokenSource {
  private readonly maxPages: number;

  constructor(private readonly props: SsmTokenSourceProps) {
    this.maxPages = props.maxPages ?? 1000;
  }

  async load(): Promise<TokenRecord[]> {
    const records: TokenRecord[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      if (++pages > this.maxPages) {
        throw new Error(`GetParametersByPath ${this.props.path} returned more than ${this.maxPages} pages; refusing a partial token snapshot`);
      }
      const page = await this.props.client.send(
        new GetParametersByPathCommand({ Path: this.props.path, Recursive: true, WithDecryption: true, MaxResults: 10, NextToken: nextToken }),
      );
      for (const parameter of page.Parameters ?? []) {
        const record = this.readParameter(parameter.Name ?? '(unnamed)', parameter.Type, parameter.Value);
        if (record) records.push(record);
      }
      nextToken = page.NextToken || undefined;
    } while (nextToken);
    return records;
  }

  private readParameter(name: string, type: string | undefined, value: string | undefined): TokenRecord | undefined {
    if (type !== 'SecureString') return this.skip(name, `parameter type must be SecureString, got ${type ?? 'none'}`);
    if (value === undefined) return this.skip(name, 'parameter has no value');
    let record: TokenRecord;
    try {
      record = parseTokenRecord(value);
    } catch (e) {
      return this.skip(name, e instanceof TokenRecordError ? e.message : 'token record could not be read');
    }
    const leaf = name.slice(name.lastIndexOf('/') + 1);
    if (leaf !== record.id) return this.skip(name, `token record id ${record.id} does not match the parameter name's last segment ${leaf}`);
    return record;
  }

  private skip(name: string, problem: string): undefined {
    this.props.onMalformed?.(name, problem);
    return undefined;
  }
}
