/**
 * The local perimeter's token store: a folder of `<tokenId>.json` files, each holding exactly the value
 * an SSM parameter would hold. The authorizer reads it through its own `FileTokenSource` (the same
 * `TokenSource` port the SSM adapter implements), so the decision code runs unchanged; this class adds
 * what the operators' CLI does in AWS: issue (the token is returned once and only its digest is
 * written, AUTH-3/AUTH-4) and revoke.
 */
import { mkdir, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileTokenSource } from '../../lambda/authorizer/file-token-source';
import { newToken, newTokenId, serializeTokenRecord, TOKEN_ID_PATTERN, type TokenRecord, tokenDigest } from '../../lambda/authorizer/token-record';
import type { MalformedRecordReporter, TokenSource } from '../../lambda/authorizer/token-source';

/** What a new local token is issued for. */
export interface LocalTokenRequest {
  readonly agentId: string;
  /** @default 'assistant' */
  readonly agentType?: string;
  readonly role: string;
  /** @default - none */
  readonly scopes?: readonly string[];
  /** The token prefix (`auth.tokenPrefix`). */
  readonly prefix: string;
  /** Lifetime in hours. @default 24 */
  readonly lifetimeHours?: number;
}

/** A token just issued: the token (shown once, stored nowhere) and its stored record. */
export interface IssuedToken {
  readonly token: string;
  readonly record: TokenRecord;
}

/** Token records in a local folder, one file per token. */
export class LocalTokenStore {
  /** The authorizer's view of the folder. */
  public readonly source: TokenSource;

  /**
   * @param directory the folder of `<tokenId>.json` files; created on first issue.
   * @param onMalformed told about every record file the authorizer skips. @default - skipped silently
   * @param now the clock. @default - the system clock
   */
  constructor(
    public readonly directory: string,
    onMalformed?: MalformedRecordReporter,
    private readonly now: () => Date = () => new Date(),
  ) {
    const files = new FileTokenSource(directory, onMalformed);
    this.source = { load: async () => ((await this.exists()) ? files.load() : []) };
  }

  /** Issues a token: writes its record (digest only, mode 0600) and returns the token. Expired records are removed. */
  async issue(request: LocalTokenRequest): Promise<IssuedToken> {
    const token = newToken(request.prefix);
    const createdAt = this.now();
    const record: TokenRecord = {
      v: 1,
      id: newTokenId(),
      digest: tokenDigest(token),
      agentId: request.agentId,
      agentType: request.agentType ?? 'assistant',
      role: request.role,
      scopes: [...(request.scopes ?? [])],
      createdAt: createdAt.toISOString(),
      expiresAt: new Date(createdAt.getTime() + (request.lifetimeHours ?? 24) * 3_600_000).toISOString(),
    };
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    await this.removeExpired(createdAt);
    const file = join(this.directory, `${record.id}.json`);
    await writeFile(`${file}.tmp`, serializeTokenRecord(record), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
    return { token, record };
  }

  /** Deletes the record `tokenId`. @returns whether it existed. */
  async revoke(tokenId: string): Promise<boolean> {
    if (!TOKEN_ID_PATTERN.test(tokenId)) throw new Error(`tokenId must look like tok_ followed by 26 base32 or 32 hex characters, got '${tokenId}'`);
    try {
      await unlink(join(this.directory, `${tokenId}.json`));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  private async removeExpired(at: Date): Promise<void> {
    for (const record of await this.source.load()) {
      if (Date.parse(record.expiresAt) <= at.getTime()) await this.revoke(record.id);
    }
  }

  private async exists(): Promise<boolean> {
    try {
      await readdir(this.directory);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }
}
