import { ConfigError, DEFAULT_CONFIG, mergeConfig, parseConfig } from '../../../lib/config';
import { corsOriginAllowed } from '../../../lib/config/checks/traffic';

function parse(overlay: Record<string, unknown>) {
  return parseConfig(mergeConfig(DEFAULT_CONFIG, overlay), 'test');
}

function errorOf(overlay: Record<string, unknown>): string {
  try {
    parse(overlay);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the config to be refused');
}

test('EDGE-5: browser origins are https://; plain http:// only on a loopback host', () => {
  expect(errorOf({ cors: { allowedOrigins: ['http://app.example.com'] } }))
    .toMatch(/cors\.allowedOrigins\.0: must be an https:\/\/ origin \(http:\/\/ only for localhost, 127\.0\.0\.1 or \[::1\]\), got http:\/\/app\.example\.com/);
  expect(parse({ cors: { allowedOrigins: ['https://app.example.com', 'http://localhost:5173', 'http://127.0.0.1:3000'] } }).cors.allowedOrigins).toHaveLength(3);
  expect(corsOriginAllowed('http://[::1]:8080')).toBe(true);
  expect(corsOriginAllowed('http://localhost.example.com')).toBe(false);
  expect(corsOriginAllowed('not a url')).toBe(false);
});

test('sessions: a stateful server with more than one task is refused, naming both fields', () => {
  const message = errorOf({ service: { sessions: 'stateful', desiredCount: 2, maxCount: 4 } });
  expect(message).toMatch(/service\.desiredCount: must be 1 when service\.sessions is 'stateful' .*got 2; or set service\.sessionSharingReason/);
  expect(message).toMatch(/service\.maxCount: must be 1 when service\.sessions is 'stateful' .*got 4/);
});

test('sessions: a stateful server runs several tasks when the config says how they share sessions; one task needs no reason', () => {
  expect(parse({ service: { sessions: 'stateful', desiredCount: 2, sessionSharingReason: 'sessions live in ElastiCache, keyed by Mcp-Session-Id' } }).service.desiredCount).toBe(2);
  expect(parse({ service: { sessions: 'stateful', desiredCount: 1, maxCount: 1 } }).service.sessions).toBe('stateful');
  expect(errorOf({ service: { sessions: 'stateful', desiredCount: 2, sessionSharingReason: 'shared' } })).toMatch(/service\.sessionSharingReason: must say in 20 characters or more/);
});

test('streaming: the default keeps a stream 5 minutes; 15 minutes at most (REST response streaming)', () => {
  expect(parse({}).service.streamingTimeoutSeconds).toBe(300);
  expect(parse({}).service.sessions).toBe('stateless');
  expect(errorOf({ service: { streamingTimeoutSeconds: 901 } })).toMatch(/service\.streamingTimeoutSeconds: must be at most 900 \(REST API response streaming lasts 15 minutes at most\), got 901/);
  expect(errorOf({ service: { streamingTimeoutSeconds: 10 } })).toMatch(/service\.streamingTimeoutSeconds: must be at least 30/);
});

test('EDGE-2: by default 20 agents at their per-credential limit share one address; requests without a credential keep 30 per minute', () => {
  const { rateLimits } = parse({});
  expect(rateLimits.perIpPerMinute).toBeGreaterThanOrEqual(20 * rateLimits.perCredentialPerMinute);
  expect(rateLimits.unauthenticatedPerIpPerMinute).toBe(30);
});
