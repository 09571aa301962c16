/**
 * A `text/event-stream` (SSE) rewriter: events are parsed by `eventsource-parser` (the MCP SDK's own
 * SSE parser) and written out again one by one as soon as each is complete, so the stream is never
 * buffered beyond one event (first-event latency unchanged). Each event's `data` is a JSON-RPC message;
 * `rewrite` may replace it. Comments (keep-alives) and `retry` pass through; data that is not JSON
 * passes through unchanged. An event with no `data` line at all is not an event (WHATWG: nothing is
 * dispatched) and the parser drops it; MCP servers send their resumption ids with a `data` line.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** The largest single SSE event held while it is incomplete: 4 MiB. */
const MAX_EVENT_BYTES = 4 * 1024 * 1024;

/** Writes an SSE event (WHATWG HTML, "Server-sent events": one `data:` line per line of data). */
export function formatEvent(event: EventSourceMessage): string {
  let out = '';
  if (event.event !== undefined) out += `event: ${event.event}\n`;
  if (event.id !== undefined) out += `id: ${event.id}\n`;
  for (const line of event.data.split('\n')) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** An SSE rewriter: `feed` takes chunks of the upstream stream; `emit` receives the rewritten text. */
export interface SseRewriter {
  feed(chunk: string): void;
}

/**
 * @param rewrite called with each event's parsed JSON data; returns the data to send (the same object
 *   when unchanged, which sends the original text).
 * @param emit receives rewritten SSE text, event by event.
 * @param onError receives parser problems (the stream goes on).
 */
export function createSseRewriter(rewrite: (data: unknown) => unknown, emit: (text: string) => void, onError: (message: string) => void): SseRewriter {
  const parser = createParser({
    maxBufferSize: MAX_EVENT_BYTES,
    onEvent: (event) => {
      let data = event.data;
      if (data.length > 0) {
        let json: unknown;
        try {
          json = JSON.parse(data);
        } catch {
          json = undefined;
        }
        if (json !== undefined) {
          const next = rewrite(json);
          if (next !== json) data = JSON.stringify(next);
        }
      }
      emit(formatEvent({ ...event, data }));
    },
    onRetry: (retry) => emit(`retry: ${retry}\n\n`),
    onComment: (comment) => emit(`:${comment}\n\n`),
    onError: (error) => onError(`sse: ${error.message}`),
  });
  return { feed: (chunk) => parser.feed(chunk) };
}
