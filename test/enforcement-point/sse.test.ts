import fc from 'fast-check';
import { createSseRewriter } from '../../enforcement-point/src/sse';

test('RBAC-2: each SSE event is written out as soon as it is complete, never held for the next', () => {
  const out: string[] = [];
  const rewriter = createSseRewriter((d) => d, (t) => out.push(t), () => undefined);
  rewriter.feed('id: 1\ndata: {"jsonrpc":"2.0","method":"notifications/progress"}\n\n');
  expect(out).toEqual(['id: 1\ndata: {"jsonrpc":"2.0","method":"notifications/progress"}\n\n']);
  rewriter.feed('event: message\ndata: {"a"');
  expect(out).toHaveLength(1);
  rewriter.feed(':1}\n\n');
  expect(out[1]).toBe('event: message\ndata: {"a":1}\n\n');
});

test('RBAC-2: SSE events survive any split into chunks, and only rewritten data changes', () => {
  const events = fc.array(fc.record({ id: fc.option(fc.stringMatching(/^[a-z0-9]{1,6}$/), { nil: undefined }), n: fc.integer() }), { minLength: 1, maxLength: 5 });
  fc.assert(fc.property(events, fc.array(fc.nat(), { maxLength: 6 }), (list, cuts) => {
    const text = list.map((e) => `${e.id !== undefined ? `id: ${e.id}\n` : ''}data: ${JSON.stringify({ n: e.n })}\n\n`).join('');
    const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
    const out: string[] = [];
    const rewriter = createSseRewriter((d) => ((d as { n: number }).n % 2 === 0 ? { n: 'even' } : d), (t) => out.push(t), () => undefined);
    let at = 0;
    for (const p of [...points, text.length]) {
      rewriter.feed(text.slice(at, p));
      at = p;
    }
    const expected = list.map((e) => `${e.id !== undefined ? `id: ${e.id}\n` : ''}data: ${JSON.stringify(e.n % 2 === 0 ? { n: 'even' } : { n: e.n })}\n\n`);
    expect(out).toEqual(expected);
  }));
});
