import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { createReferenceServer, serverTimeouts } from '../../reference-server/src/http-server';

test('the server keeps idle connections longer than the load balancer does, and never cuts a silent stream', () => {
  const server = createReferenceServer({ version: '1', streamingTimeoutSeconds: 900 });
  // The load balancer's idle timeout is streamingTimeoutSeconds: the server's keep-alive outlasts it (no 502 on reuse).
  expect(server.keepAliveTimeout).toBeGreaterThan(900_000);
  // Node requires headersTimeout <= requestTimeout; neither covers the response.
  expect(server.headersTimeout).toBeLessThanOrEqual(server.requestTimeout);
  expect(server.timeout).toBe(0);
  expect(serverTimeouts(300)).toEqual({ keepAliveTimeout: 305_000, headersTimeout: 306_000, requestTimeout: 311_000 });
});

test('an idle keep-alive connection stays open past the default 5 s Node keeps it', async () => {
  const server = createReferenceServer({ version: '1', streamingTimeoutSeconds: 30 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    let closed = false;
    socket.on('close', () => { closed = true; });
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => socket.once('data', resolve));
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(closed).toBe(false);
    socket.destroy();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}, 15_000);
