/**
 * A deliberately naive MCP server (test fixture): Streamable HTTP, stateless, it lists a catalogue the
 * test can change and accepts every `tools/call` of any name, checking nothing (no identity, no role).
 * It counts what reaches it, so a test can prove that a refused call never did.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Server as McpServer } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';

/** A running naive server. */
export interface NaiveMcpServer {
  readonly url: string;
  /** The listed tools; push to add one "later". */
  readonly catalogue: Tool[];
  /** Every tools/call that reached the server: tool name and arguments. */
  readonly calls: Array<{ name: string; arguments: unknown }>;
  /** Every JSON-RPC method that reached the server. */
  readonly methods: string[];
  close(): Promise<void>;
}

const tool = (name: string, annotations?: Tool['annotations']): Tool => ({ name, description: name, inputSchema: { type: 'object' }, ...(annotations ? { annotations } : {}) });

/** The naive server's starting catalogue: a read tool, an annotated write tool, an unannotated tool. */
export const NAIVE_TOOLS = (): Tool[] => [
  tool('search_docs', { readOnlyHint: true }),
  tool('write_doc', { readOnlyHint: false, destructiveHint: false }),
  tool('delete_doc'),
];

/** Starts the naive server on 127.0.0.1; `json` answers with application/json instead of SSE. */
export async function startNaiveMcpServer(options: { json?: boolean } = {}): Promise<NaiveMcpServer> {
  const catalogue = NAIVE_TOOLS();
  const calls: Array<{ name: string; arguments: unknown }> = [];
  const methods: string[] = [];
  const http: Server = createServer(async (req, res) => {
    const server = new McpServer({ name: 'naive', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: catalogue }));
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      calls.push({ name: request.params.name, arguments: request.params.arguments });
      return { content: [{ type: 'text', text: `done: ${request.params.name}` }] };
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: options.json ?? false });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
      for (const m of Array.isArray(body) ? body : [body]) if (m && typeof m.method === 'string') methods.push(m.method);
    } catch {
      body = undefined;
    }
    await transport.handleRequest(req, res, body);
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    catalogue,
    calls,
    methods,
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
