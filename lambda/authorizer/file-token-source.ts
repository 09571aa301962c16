/**
 * Token records from a folder, one `<tokenId>.json` file per token holding exactly the value an SSM
 * parameter would hold. The local perimeter and the CLI's round-trip tests use it to drive the real
 * decision code. Not part of the Lambda bundle.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTokenRecord, TokenRecordError, type TokenRecord } from './token-record';
import type { MalformedRecordReporter, TokenSource } from './token-source';

/** Reads every `*.json` token record in a folder. */
export class FileTokenSource implements TokenSource {
  /**
   * @param directory the folder holding `<tokenId>.json` files.
   * @param onMalformed told about every skipped file. @default - skipped silently
   */
  constructor(private readonly directory: string, private readonly onMalformed?: MalformedRecordReporter) {}

  async load(): Promise<TokenRecord[]> {
    const names = (await readdir(this.directory)).filter((n) => n.endsWith('.json')).sort();
    const records: TokenRecord[] = [];
    for (const name of names) {
      const location = join(this.directory, name);
      try {
        const record = parseTokenRecord(await readFile(location, 'utf8'));
        if (`${record.id}.json` !== name) {
          this.onMalformed?.(location, `token record id ${record.id} does not match the file name ${name}`);
          continue;
        }
        records.push(record);
      } catch (e) {
        this.onMalformed?.(location, e instanceof TokenRecordError ? e.message : 'token record could not be read');
      }
    }
    return records;
  }
}
