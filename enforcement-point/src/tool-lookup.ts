/**
 * Asks the MCP server for its `tools/list` when a caller names a tool the policy cannot classify yet.
 * Each task learns annotations from the results that pass through it, but behind a load balancer a
 * client's `tools/list` and its later `tools/call` may reach different tasks: a task that never saw
 * the list must be able to classify the tool from the server itself, with the caller's own session
 * (`mcp-session-id`, `mcp-protocol-version`) and identity headers. A tool the server does not list stays
 * unclassified and is refused (deny by default).
 *
 * Bounds (so that a caller cannot turn random tool names into load on the server): one lookup at a
 * time, shared by every waiting request; at most one per `minIntervalMs`; at most `MAX_PAGES` pages;
 * `TIMEOUT_MS` each. A failed lookup classifies nothing, so the call is refused (never allowed).
 */
import { type Agent, request as httpRequest } from 'node:http';
import { createParser } from 'eventsource-parser';
import { filterToolList, type ListedTool } from './messages';

const MAX_PAGES = 10;
const TIMEOUT_MS = 5_000;
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
/** Request headers copied from the caller's request into the lookup. */
const COPIED_HEADERS = ['mcp-session-id', 'mcp-protocol-version', 'x-mcp-agent-id', 'x-mcp-agent-type', 'x-mcp-role', 'x-mcp-scopes', 'x-mcp-permissions', 'x-request-id', 'x-amzn-trace-id'];

/** Looks the server's tools up, in bounded, shared lookups. */
export class ToolLookup {
  private inFlight: Promise<void> | undefined;
  private last = Number.NEGATIVE_INFINITY;
  private counter = 0;

  constructor(
    private readonly upstream: URL,
    private readonly agent: Agent,
    private readonly learn: (tool: ListedTool) => void,
    private readonly errorLog: (message: string) => void,
    private readonly minIntervalMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Lists the server's tools with the caller's headers; resolves when done (or skipped), never rejects. */
  refresh(path: string, callerHeaders: Readonly<Record<string, string | string[] | undefined>>): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.now() - this.last < this.minIntervalMs) return Promise.resolve();
    this.last = this.now();
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    for (const name of COPIED_HEADERS) {
      const v = callerHeaders[name];
      if (typeof v === 'string') headers[name] = v;
    }
    this.inFlight = this.pages(path, headers)
      .catch((error: unknown) => this.errorLog(`tools/list lookup failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }

  private async pages(path: string, headers: Record<string, string>): Promise<void> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const id = `enforcement-point-tools-list-${++this.counter}`;
      const answer = await this.post(path, headers, JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list', ...(cursor ? { params: { cursor } } : {}) }), id);
      if (answer === undefined) return;
      filterToolList(answer, () => true, this.learn);
      const next = (answer as { result?: { nextCursor?: unknown } }).result?.nextCursor;
      if (typeof next !== 'string' || next.length === 0) return;
      cursor = next;
    }
  }

  /** POSTs one request and returns the JSON-RPC response with `id`, from a JSON or an SSE answer. */
  private post(path: string, headers: Record<string, string>, body: string, id: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        protocol: this.upstream.protocol, hostname: this.upstream.hostname, port: this.upstream.port, method: 'POST', path,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: this.agent, timeout: TIMEOUT_MS,
      });
      req.on('timeout', () => req.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.on('response', (res) => {
        const type = String(res.headers['content-type'] ?? '').toLowerCase();
        if ((res.statusCode ?? 500) >= 400) {
          res.resume();
          reject(new Error(`HTTP ${res.statusCode}`));
          return;
        }
        let found: unknown;
        let size = 0;
        res.setEncoding('utf8');
        const match = (message: unknown) => {
          if (typeof message === 'object' && message !== null && (message as { id?: unknown }).id === id) found = message;
        };
        if (type.startsWith('text/event-stream')) {
          const parser = createParser({
            onEvent: (event) => {
              try {
                match(JSON.parse(event.data));
              } catch {
                // not JSON: not our answer
              }
              if (found !== undefined) {
                resolve(found);
                req.destroy();
              }
            },
          });
          res.on('data', (chunk: string) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) req.destroy(new Error('answer too large'));
            else parser.feed(chunk);
          });
          res.on('end', () => resolve(found));
        } else {
          let text = '';
          res.on('data', (chunk: string) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) req.destroy(new Error('answer too large'));
            else text += chunk;
          });
          res.on('end', () => {
            try {
              const json: unknown = JSON.parse(text);
              (Array.isArray(json) ? json : [json]).forEach(match);
            } catch {
              // not JSON: no answer
            }
            resolve(found);
          });
        }
        res.on('error', reject);
      });
      req.end(body);
    });
  }
}
