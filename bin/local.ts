/**
 * `npm run local`: the reference MCP server behind the local perimeter (the real authorizer code, the
 * API Gateway policy and cache behaviour, the security headers) on 127.0.0.1, with a fresh token to
 * try. A development and test tool: no WAF, no TLS, no throttling (see reference-server/README.md).
 *
 *   npm run local -- [--config path.json] [--port 8787] [--role agent] [--agent-id local-agent] [--tokens .local/tokens] [--upstream http://127.0.0.1:3000]
 *
 * Only this file reads the command line and the process environment.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../lib/config';
import { startLocalPerimeter } from '../lib/local/local-perimeter';

/** `npm run local -- --help`. */
const HELP = `npm run local -- [options]

The reference MCP server behind the local perimeter on 127.0.0.1 (the real authorizer code, API
Gateway's policy and cache behaviour, the security headers), with a fresh token printed once.
A development and test tool: no WAF, no TLS, no throttling (reference-server/README.md).

Options:
  --config FILE      a config JSON merged over the embedded default (roles, routes, credential headers)
  --port PORT        the gateway's port, 0 for any free one (default 8787)
  --role ROLE        the role of the printed token, one of the config's roles (default agent)
  --agent-id ID      the agent id of the printed token (default local-agent)
  --tokens DIR       where token records are kept, digests only (default .local/tokens)
  -h, --help         show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
      config: { type: 'string' },
      port: { type: 'string', default: '8787' },
      role: { type: 'string', default: 'agent' },
      'agent-id': { type: 'string', default: 'local-agent' },
      tokens: { type: 'string', default: '.local/tokens' },
      upstream: { type: 'string' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got '${values.port}'`);
  const config = loadConfig({ file: values.config });
  if (!(values.role in config.rbac.roles)) {
    throw new UsageError(`--role must be one of the config's roles (${Object.keys(config.rbac.roles).join(', ')}), got '${values.role}'`);
  }

  const upstream = values.upstream === undefined ? undefined : URL.canParse(values.upstream) ? new URL(values.upstream) : undefined;
  if (values.upstream !== undefined && (upstream?.protocol !== 'http:')) throw new UsageError(`--upstream must be an http:// URL of an MCP server, like http://127.0.0.1:3000, got '${values.upstream}'`);
  const perimeter = await startLocalPerimeter({
    config,
    ...(upstream ? { upstream } : {}),
    tokenDirectory: resolve(values.tokens),
    port,
    accessLog: (entry) => process.stdout.write(`${JSON.stringify({ event: 'gateway.access', ...entry })}\n`),
  });
  const { token, record } = await perimeter.tokens.issue({ agentId: values['agent-id'], role: values.role, prefix: config.auth.tokenPrefix });

  const mcpUrl = `${perimeter.url}/mcp`;
  const header = config.auth.credentialHeaders.includes('authorization') ? { name: 'Authorization', value: `Bearer ${token}` } : { name: 'X-Access-Token', value: token };
  const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hello through the perimeter' } } });
  const cache = perimeter.cacheTtlSeconds > 0 ? `${perimeter.cacheTtlSeconds} s per ${perimeter.identitySources.join(', ')} value` : 'off (several credential headers accepted, or TTL 0)';
  const jwtNote = config.auth.jwt ? `\n  note      auth.jwt (${config.auth.jwt.mode}) is not emulated: opaque tokens only\n` : '';
  process.stdout.write(`
mcp-perimeter local perimeter (stage ${config.stage})
  gateway   ${perimeter.url}   MCP endpoint: ${mcpUrl}
  server    ${perimeter.serverUrl}   (reach it through the gateway)
  tokens    ${resolve(values.tokens)}   (records with digests only)
  cache     ${cache}
  refresh   token records reloaded every ${config.auth.refreshSeconds} s${jwtNote}

Token for agent '${record.agentId}' (role ${record.role}, id ${record.id}, expires ${record.expiresAt}). It is shown once:

  ${token}

Try it:

  curl -sS ${mcpUrl} \\
    -H '${header.name}: ${header.value}' \\
    -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \\
    -d '${call}'

MCP client (Streamable HTTP): url ${mcpUrl}, header ${header.name}: ${header.value}
Revoke: delete ${resolve(values.tokens, `${record.id}.json`)}; it stops working after the next refresh.
Not emulated: WAF (rate limits, managed rules, size limits), TLS, throttling. See reference-server/README.md.
Audit events of the authorizer and the server follow as JSON lines. Ctrl-C stops.

`);

  const stop = () => {
    void perimeter.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** A command-line mistake: the message says what to change. */
class UsageError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError || ((error as NodeJS.ErrnoException).code ?? '').startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${(error as Error).message}\n${error instanceof ConfigError ? '' : 'see npm run local -- --help\n'}`);
  } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`port in use: ${(error as Error).message}; pick another with --port\n`);
  } else {
    process.stderr.write(`local perimeter failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
