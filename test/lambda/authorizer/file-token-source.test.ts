import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTokenSource } from '../../../lambda/authorizer/file-token-source';
import { serializeTokenRecord } from '../../../lambda/authorizer/token-record';
import { issueToken } from './fixtures';

test('the local token source reads <tokenId>.json records and skips (and reports) malformed ones', async () => {
  // GIVEN
  const dir = mkdtempSync(join(tmpdir(), 'tokens-'));
  const good = issueToken();
  const misnamed = issueToken();
  writeFileSync(join(dir, `${good.record.id}.json`), serializeTokenRecord(good.record));
  writeFileSync(join(dir, 'tok_aaaaaaaaaaaaaaaaaaaaaaaaaa.json'), serializeTokenRecord(misnamed.record));
  writeFileSync(join(dir, 'tok_bbbbbbbbbbbbbbbbbbbbbbbbbb.json'), '{oops');
  writeFileSync(join(dir, 'README.txt'), 'not a record');
  const problems: string[] = [];
  // WHEN
  const records = await new FileTokenSource(dir, (_where, problem) => problems.push(problem)).load();
  // THEN
  expect(records).toEqual([good.record]);
  expect(problems).toEqual([expect.stringMatching(/does not match the file name/), 'token record is not JSON']);
});
