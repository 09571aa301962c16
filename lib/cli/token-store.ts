/**
 * The stage's token records in SSM Parameter Store: one SecureString per token at
 * `<token path>/<token id>`, encrypted with the stage's secrets KMS key, in the version-1 format of
 * lambda/authorizer/token-record.ts. Creation never overwrites; only rotation replaces a record.
 */
import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  type Parameter,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { parseTokenRecord, serializeTokenRecord, type TokenRecord, TokenRecordError } from '../../lambda/authorizer/token-record';
import { awsCall, CliError, ExitCode } from './errors';

/** A stored value that is not a valid record (listed, never fatal for `tokens list`). */
export interface UnreadableRecord {
  /** The parameter name. */
  readonly name: string;
  /** Why it cannot be read (never the value). */
  readonly problem: string;
}

/** What `list` finds under the token path. */
export interface TokenListing {
  readonly records: TokenRecord[];
  readonly unreadable: UnreadableRecord[];
}

/** Token records of one stage in SSM. */
export class TokenStore {
  /**
   * @param ssm the SSM client.
   * @param tokenPath the stage's token path, e.g. `/mcp-perimeter/dev/tokens`.
   * @param keyId the stage's secrets KMS key (id, ARN or alias); needed only to write records.
   */
  constructor(private readonly ssm: SSMClient, readonly tokenPath: string, private readonly keyId?: string) {}

  /** The parameter name of a token id. */
  parameterName(id: string): string {
    return `${this.tokenPath}/${id}`;
  }

  /** Writes a new record; fails with ALREADY_EXISTS rather than overwrite one. */
  async create(record: TokenRecord): Promise<void> {
    await this.put(record, false);
  }

  /** Replaces an existing record (rotation shortens the old token's expiry). */
  async replace(record: TokenRecord): Promise<void> {
    await this.put(record, true);
  }

  /** Reads and validates one record. @throws CliError NOT_FOUND when the id is unknown. */
  async get(id: string): Promise<TokenRecord> {
    const name = this.parameterName(id);
    const response = await awsCall(
      { action: `reading token ${id}`, notFound: `no token '${id}' under ${this.tokenPath} (see tokens list)` },
      () => this.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true })),
    );
    const parameter = response.Parameter;
    if (!parameter) throw new CliError(ExitCode.NOT_FOUND, `reading token ${id}: no token '${id}' under ${this.tokenPath}`);
    const read = readParameter(parameter);
    if ('problem' in read) throw new CliError(ExitCode.UNEXPECTED, `token record ${name} is unreadable: ${read.problem}; revoke it and issue a new token`);
    return read;
  }

  /**
   * Every record under the token path (recursively and on all pages, as the authorizer reads them), and
   * the parameters that are not valid records.
   */
  async list(): Promise<TokenListing> {
    const records: TokenRecord[] = [];
    const unreadable: UnreadableRecord[] = [];
    let nextToken: string | undefined;
    do {
      const response = await awsCall(
        { action: `listing tokens under ${this.tokenPath}` },
        () => this.ssm.send(new GetParametersByPathCommand({
          Path: this.tokenPath,
          Recursive: true,
          WithDecryption: true,
          MaxResults: 10,
          NextToken: nextToken,
        })),
      );
      for (const parameter of response.Parameters ?? []) {
        const read = readParameter(parameter);
        if ('problem' in read) unreadable.push(read);
        else records.push(read);
      }
      nextToken = response.NextToken;
    } while (nextToken);
    return { records, unreadable };
  }

  /** Deletes a record: the token is refused once the authorizer's snapshot and cache refresh. */
  async delete(id: string): Promise<void> {
    await awsCall(
      { action: `revoking token ${id}`, notFound: `no token '${id}' under ${this.tokenPath} (see tokens list)` },
      () => this.ssm.send(new DeleteParameterCommand({ Name: this.parameterName(id) })),
    );
  }

  private async put(record: TokenRecord, overwrite: boolean): Promise<void> {
    if (!this.keyId) throw new CliError(ExitCode.USAGE, 'writing a version-1 SSM token record needs the stage secrets key (token records are written to the token table now)');
    const name = this.parameterName(record.id);
    await awsCall(
      {
        action: `writing token record ${name}`,
        notFound: overwrite ? `no token '${record.id}' under ${this.tokenPath}` : `the token path ${this.tokenPath} or key ${this.keyId} does not exist`,
        alreadyExists: `a token record already exists at ${name}`,
      },
      () => this.ssm.send(new PutParameterCommand({
        Name: name,
        Value: serializeTokenRecord(record),
        Type: 'SecureString',
        KeyId: this.keyId,
        Overwrite: overwrite,
        Tier: 'Standard',
        Description: `mcp-perimeter token of agent ${record.agentId} (role ${record.role})`,
      })),
    );
  }
}

/** Parses a parameter as a record whose id matches its name, or says why it cannot. */
function readParameter(parameter: Parameter): TokenRecord | UnreadableRecord {
  const name = parameter.Name ?? '(unnamed)';
  if (parameter.Type !== 'SecureString') return { name, problem: `parameter type must be SecureString, got ${parameter.Type ?? 'none'}` };
  try {
    const record = parseTokenRecord(parameter.Value ?? '');
    const id = name.slice(name.lastIndexOf('/') + 1);
    if (record.id !== id) return { name, problem: `record id ${record.id} does not match the parameter name` };
    return record;
  } catch (e) {
    if (e instanceof TokenRecordError) return { name, problem: e.message };
    throw e;
  }
}
