/**
 * AUTH-6 gate: no default token or password exists anywhere in the repository (or in `cdk.out/` when
 * given). It looks for:
 *   - opaque tokens of the kit's shape (`mcp_` / `sct_` and 32+ token characters) outside test fixtures;
 *   - secret-named environment variables with a value: `PASSWORD=…`, `ENV API_TOKEN …`, `export SECRET=…`;
 *   - defaults for secret-named environment variables in code: `process.env.X_TOKEN ?? '<literal>'`;
 *   - secret-named fields with a literal value in JSON/YAML config: `"password": "…"`;
 *   - credentials embedded in URLs: `scheme://user:<password>@host`.
 * Test files (`test/**`, `*.test.ts`) are fixtures and are skipped; so are dependencies and build output.
 *
 * Usage: node -r esbuild-register scripts/check-default-credentials.ts [dir …]   (default: the repository)
 * Exit status 1 when anything is found; every finding names the file, the line and the rule.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { recordGate } from './record-gate';

/** One suspected default credential. */
export interface CredentialFinding {
  /** Path relative to the scanned root's parent repository. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** Which rule matched. */
  readonly rule: 'token-literal' | 'secret-env-value' | 'secret-env-default' | 'secret-config-value' | 'url-credentials';
  /** The matched text, with the secret part masked. */
  readonly excerpt: string;
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage', 'test-artifacts', 'reports', '.work', 'test', 'asset-cache']);
const SKIP_FILES = [/\.test\.ts$/, /^package-lock\.json$/, /\.(png|jpe?g|gif|ico|zip|gz|tgz|woff2?)$/i];
const SECRET_NAME = '[A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY)[A-Z0-9_]*';
/** A value that is a reference, not a literal: `$VAR`, `${…}`, `<placeholder>`, empty. */
const REFERENCE = /^(?:\$|<|\{\{|%|\s*$|""|''|changeme-in-secret-store$)/;

const RULES: ReadonlyArray<{ rule: CredentialFinding['rule']; pattern: RegExp; value: number; files?: RegExp }> = [
  { rule: 'token-literal', pattern: /(?<![A-Za-z0-9])((?:mcp|sct)_[A-Za-z0-9_-]{32,})/g, value: 1 },
  {
    rule: 'secret-env-value',
    pattern: new RegExp(`^\\s*(?:export\\s+|ENV\\s+|ARG\\s+)?(${SECRET_NAME})(?:\\s*=\\s*|\\s+)(["']?)([^\\s"']+)\\2\\s*$`, 'gm'),
    value: 3,
    files: /(^|\/)(\.env[^/]*|Dockerfile[^/]*|[^/]+\.(sh|env|bash))$|(^|\/)\.ci\/run$/,
  },
  {
    rule: 'secret-env-default',
    pattern: new RegExp(`process\\.env(?:\\.|\\[['"])(${SECRET_NAME})(?:['"]\\])?\\s*(?:\\?\\?|\\|\\|)\\s*(['"\`])([^'"\`]+)\\2`, 'g'),
    value: 3,
    files: /\.(ts|js|mjs|cjs)$/,
  },
  {
    rule: 'secret-config-value',
    pattern: /["']?\b(password|passwd|secret|token|apiKey|api_key|accessToken|privateKey)["']?\s*:\s*["']([^"'\s]{4,})["']/gi,
    value: 2,
    files: /\.(json|ya?ml)$/,
  },
  { rule: 'url-credentials', pattern: /\b[a-z][a-z0-9+.-]*:\/\/([^\s/:@'"`]+):([^\s/@'"`]{3,})@/g, value: 2 },
];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : files(full);
    if (!e.isFile() || SKIP_FILES.some((p) => p.test(e.name))) return [];
    return statSync(full).size > 5_000_000 ? [] : [full];
  });
}

function mask(text: string, secret: string): string {
  return text.replace(secret, `${secret.slice(0, 4)}${'*'.repeat(Math.max(0, Math.min(secret.length, 40) - 4))}`);
}

/** The findings in one file's text; `file` is its repository-relative path (used for file-type rules). */
export function scanText(text: string, file: string): CredentialFinding[] {
  const out: CredentialFinding[] = [];
  for (const { rule, pattern, value, files: only } of RULES) {
    if (only && !only.test(file)) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const secret = m[value];
      if (rule !== 'token-literal' && REFERENCE.test(secret)) continue;
      const line = text.slice(0, m.index).split('\n').length;
      out.push({ file, line, rule, excerpt: mask(m[0].trim(), secret) });
    }
  }
  return out;
}

/** Scans every file under `dirs` (default: the repository root), paths relative to `root`. */
export function findDefaultCredentials(root: string, dirs: readonly string[] = [root]): CredentialFinding[] {
  return dirs.flatMap((dir) =>
    files(resolve(root, dir)).flatMap((f) => scanText(readFileSync(f, 'utf8'), relative(root, f).split(sep).join('/'))),
  );
}

if (require.main === module) {
  const root = resolve(__dirname, '..');
  const dirs = process.argv.slice(2);
  const found = findDefaultCredentials(root, dirs.length ? dirs : [root]);
  for (const f of found) process.stderr.write(`${f.file}:${f.line}: ${f.rule}: ${f.excerpt}\n`);
  if (found.length) {
    process.stderr.write(`AUTH-6: ${found.length} default credential(s) found; remove them (tokens are issued at run time, secrets live in SSM).\n`);
    recordGate('no-default-credentials', 'failed', `${found.length} default credential(s) found, first ${found[0].file}:${found[0].line}`);
    process.exit(1);
  }
  const ok = `no default token or password in ${dirs.length ? dirs.join(', ') : 'the repository'}`;
  recordGate('no-default-credentials', 'passed', ok);
  process.stdout.write(`AUTH-6: ${ok}\n`);
}
