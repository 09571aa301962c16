/**
 * `npm run bench`: the MCP enforcement point's overhead against issue 14's budgets.
 *
 * - a `tools/call` through the enforcement point vs straight to the same upstream: p50 and p99 of each
 *   and the p50 difference (budget: at most 1 ms added at p50). The upstream answers at once (a JSON
 *   result), so the difference is the enforcement point's own cost: body read, JSON-RPC parsing with the
 *   SDK's schemas, the policy decision, the write-limit count, the audit line (serialized, discarded),
 *   and the extra loopback hop. Runs alternate direct / through, so machine noise falls on both;
 * - SSE: the time to the first event of a `text/event-stream` answer (the upstream sends one event,
 *   then the next 200 ms later), direct vs through the enforcement point with the `tools/list` rewriter
 *   on (budget: first event no later than 1 ms more at p50, and never held until the second event).
 */
import { once } from 'node:events';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createEnforcementPoint } from '../enforcement-point/src/enforcement-point';
import { ToolPolicy } from '../enforcement-point/src/policy';

const WARMUP = 500;
const RUNS = 3_000;
const SSE_RUNS = 40;
const SSE_GAP_MS = 200;
const BUDGETS = { addedP50Ms: 1, sseFirstEventAddedP50Ms: 1 };

const IDENTITY = { 'x-mcp-agent-id': 'bench-agent', 'x-mcp-agent-type': 'assistant', 'x-mcp-role': 'agent', 'x-mcp-permissions': 'read write', 'x-mcp-scopes': '' };
const CALL = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'write_doc', arguments: { path: 'docs/a.md', text: 'x'.repeat(2_000) } } });
const LIST = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
const RESULT = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'ok' }] } });
const TOOLS = { tools: [{ name: 'search_docs', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } }, { name: 'write_doc', inputSchema: { type: 'object' } }] };

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The upstream: JSON results at once; for tools/list an SSE answer whose second event follows SSE_GAP_MS later. */
function upstream(): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      if (body.includes('"tools/list"')) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 2, result: TOOLS })}\n\n`);
        setTimeout(() => res.end(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'late' } })}\n\n`), SSE_GAP_MS);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(RESULT)) }).end(RESULT);
    });
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** POSTs `body`; resolves the ms to the whole answer, and to its first body chunk. */
function post(base: string, body: string): Promise<{ total: number; first: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = -1;
    const req = request(`${base}/mcp`, { method: 'POST', agent, headers: { ...IDENTITY, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.on('data', () => {
        if (first < 0) first = performance.now() - started;
      });
      res.on('end', () => resolve({ total: performance.now() - started, first }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function verdict(ok: boolean): string {
  return ok ? 'within budget' : 'OVER BUDGET';
}

async function main(): Promise<void> {
  const server = upstream();
  const direct = await listen(server);
  const policy = new ToolPolicy({ readPermission: 'read', writePermission: 'write', tools: {}, methods: {}, readOnly: false });
  policy.learn('write_doc', { readOnlyHint: false });
  let auditBytes = 0;
  const pep = createEnforcementPoint({
    upstream: new URL(direct), policy, writesPerMinute: 1_000_000_000,
    audit: (e) => { auditBytes += JSON.stringify(e).length; },
  });
  const through = await listen(pep);

  for (let i = 0; i < WARMUP; i++) {
    await post(direct, CALL);
    await post(through, CALL);
  }
  const d: number[] = [];
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    d.push((await post(direct, CALL)).total);
    t.push((await post(through, CALL)).total);
  }
  d.sort((a, b) => a - b);
  t.sort((a, b) => a - b);

  const sd: number[] = [];
  const st: number[] = [];
  for (let i = 0; i < SSE_RUNS; i++) {
    sd.push((await post(direct, LIST)).first);
    st.push((await post(through, LIST)).first);
  }
  sd.sort((a, b) => a - b);
  st.sort((a, b) => a - b);

  const added = percentile(t, 50) - percentile(d, 50);
  const sseAdded = percentile(st, 50) - percentile(sd, 50);
  console.log(`enforcement point bench (node ${process.version}, ${RUNS} tools/call each way after ${WARMUP} warm-up, alternating; ${SSE_RUNS} SSE answers each way)`);
  console.log('');
  console.log('tools/call                      p50 ms    p99 ms');
  console.log(`${'direct to the upstream'.padEnd(30)} ${percentile(d, 50).toFixed(3).padStart(7)}  ${percentile(d, 99).toFixed(3).padStart(8)}`);
  console.log(`${'through the enforcement point'.padEnd(30)} ${percentile(t, 50).toFixed(3).padStart(7)}  ${percentile(t, 99).toFixed(3).padStart(8)}`);
  console.log(`SSE first event, direct p50 ${percentile(sd, 50).toFixed(3)} ms, through p50 ${percentile(st, 50).toFixed(3)} ms, through max ${st[st.length - 1].toFixed(3)} ms (the second event follows ${SSE_GAP_MS} ms later)`);
  console.log(`(audit lines serialized: ${auditBytes} bytes)`);
  console.log('');
  console.log(`added p50 per tools/call ${added.toFixed(3)} ms (budget ${BUDGETS.addedP50Ms}): ${verdict(added <= BUDGETS.addedP50Ms)}`);
  console.log(`SSE first event added p50 ${sseAdded.toFixed(3)} ms (budget ${BUDGETS.sseFirstEventAddedP50Ms}), never held for the next event: ${verdict(sseAdded <= BUDGETS.sseFirstEventAddedP50Ms && st[st.length - 1] < SSE_GAP_MS / 2)}`);

  agent.destroy();
  pep.closeAllConnections();
  server.closeAllConnections();
  pep.close();
  server.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
