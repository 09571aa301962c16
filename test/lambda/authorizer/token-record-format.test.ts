/**
 * Issue 17, point 9: persisted formats are read as published. Records written by hand, in every shape
 * the version-1 format allows, are read by the record parser, the table reader and the SSM reader.
 */
import { storedTokenOf } from '../../../lambda/authorizer/token-item';
import { parseTokenRecord, TokenRecordError } from '../../../lambda/authorizer/token-record';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** Hand-written records: base32 and hex ids, with and without scopes, Z and offset instants. */
const ALLOWED = [
  `{"v":1,"id":"tok_abcdefghijklmnopqrstuvwx23","digest":"${DIGEST}","agentId":"billing-bot","agentType":"claude-code","role":"agent","scopes":[],"createdAt":"2026-01-01T00:00:00Z","expiresAt":"2026-03-01T00:00:00Z"}`,
  `{"v":1,"id":"tok_0123456789abcdef0123456789abcdef","digest":"${DIGEST}","agentId":"ci@pipeline","agentType":"gha","role":"reader","scopes":["docs:read","x.y_z"],"createdAt":"2026-01-01T00:00:00.000Z","expiresAt":"2026-03-01T00:00:00.000Z"}`,
  `{"v":1,"id":"tok_ffffffffffffffffffffffffffffffff","digest":"${DIGEST}","agentId":"a","agentType":"b","role":"r","scopes":["*"],"createdAt":"2026-01-01T01:00:00+01:00","expiresAt":"2026-01-02T00:00:00-05:00"}`,
  `{"v":1,"id":"tok_22222222222222222222222222","digest":"${DIGEST}","agentId":"A.B:C-D_E","agentType":"T","role":"admin","scopes":[],"createdAt":"2026-01-01T00:00:00Z","expiresAt":"2126-01-01T00:00:00Z"}`,
];

const REFUSED = [
  ['uppercase hex id', `{"v":1,"id":"tok_0123456789ABCDEF0123456789ABCDEF","digest":"${DIGEST}","agentId":"a","agentType":"b","role":"r","scopes":[],"createdAt":"2026-01-01T00:00:00Z","expiresAt":"2026-03-01T00:00:00Z"}`],
  ['short hex id', `{"v":1,"id":"tok_0123456789abcdef","digest":"${DIGEST}","agentId":"a","agentType":"b","role":"r","scopes":[],"createdAt":"2026-01-01T00:00:00Z","expiresAt":"2026-03-01T00:00:00Z"}`],
  ['base32 id with a 1', `{"v":1,"id":"tok_abcdefghijklmnopqrstuvwx21","digest":"${DIGEST}","agentId":"a","agentType":"b","role":"r","scopes":[],"createdAt":"2026-01-01T00:00:00Z","expiresAt":"2026-03-01T00:00:00Z"}`],
  ['version 2', `{"v":2,"id":"tok_abcdefghijklmnopqrstuvwx23","digest":"${DIGEST}","agentId":"a","agentType":"b","role":"r","scopes":[],"createdAt":"2026-01-01T00:00:00Z","expiresAt":"2026-03-01T00:00:00Z"}`],
] as const;

test.each(ALLOWED.map((r) => [JSON.parse(r).id as string, r]))('AUTH-3: the version-1 record with id %s is read as published', (_id, text) => {
  const record = parseTokenRecord(text);
  expect(record).toEqual(JSON.parse(text));
  expect(storedTokenOf({ digest: { S: DIGEST }, id: { S: record.id }, record: { S: text } })).toEqual({ record });
});

test.each(REFUSED)('AUTH-3: a record with a %s is refused, naming the field', (_case, text) => {
  expect(() => parseTokenRecord(text)).toThrow(TokenRecordError);
  expect(() => parseTokenRecord(text)).toThrow(/token record field (id|v)/);
});

test('AUTH-3: a table item whose record is stored under another digest is refused', () => {
  expect(() => storedTokenOf({ digest: { S: `sha256:${'cd'.repeat(32)}` }, record: { S: ALLOWED[0]! } })).toThrow(/does not match the item key/);
});
