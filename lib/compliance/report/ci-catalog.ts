/**
 * What CI runs, read statically: the CI entry point (`.ci/run`), the npm scripts it calls and the
 * `scripts/` files those call. A checklist CI step is evidence only when it is found there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceLocation } from './model';

/** One file CI executes, or one npm script it calls. */
export interface CiSource {
  /** Path relative to the repository root. */
  readonly file: string;
  /** Its lines. */
  readonly lines: readonly string[];
}

const NPM_SCRIPT_CALL = /\bnpm\s+(?:run(?:-script)?\s+([\w:.-]+)|(test|start))\b/g;
const SCRIPT_FILE = /\b(scripts\/[\w./-]+\.(?:ts|js|sh|mjs|cjs))\b/g;

/** The CI entry point and everything it calls, in discovery order. */
export function readCiSources(repoRoot: string, entry = '.ci/run'): CiSource[] {
  const sources: CiSource[] = [];
  const seen = new Set<string>();
  const pkgPath = join(repoRoot, 'package.json');
  const pkgText = existsSync(pkgPath) ? readFileSync(pkgPath, 'utf8') : '{}';
  const scripts = (JSON.parse(pkgText) as { scripts?: Record<string, string> }).scripts ?? {};
  const pkgLines = pkgText.split('\n');

  const queue: Array<{ kind: 'file' | 'npm'; name: string }> = [{ kind: 'file', name: entry }];
  while (queue.length > 0) {
    const next = queue.shift()!;
    const key = `${next.kind}:${next.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let text: string;
    let source: CiSource;
    if (next.kind === 'file') {
      const full = join(repoRoot, next.name);
      if (!existsSync(full)) continue;
      text = readFileSync(full, 'utf8');
      source = { file: next.name, lines: text.split('\n') };
    } else {
      const script = scripts[next.name];
      if (script === undefined) continue;
      text = script;
      // Keep package.json line numbers: blank every line but the script's own.
      const at = pkgLines.findIndex((l) => l.includes(`"${next.name}"`) && l.includes(':'));
      source = { file: 'package.json', lines: pkgLines.map((l, i) => (i === at ? l : '')) };
    }
    sources.push(source);
    for (const m of text.matchAll(NPM_SCRIPT_CALL)) queue.push({ kind: 'npm', name: m[1] ?? m[2] });
    for (const m of text.matchAll(SCRIPT_FILE)) queue.push({ kind: 'file', name: m[1] });
  }
  return sources;
}

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Where CI runs `step` (matched as text, whitespace-insensitive, ignoring `#` comment lines). */
export function findCiStep(step: string, sources: readonly CiSource[]): SourceLocation | undefined {
  const wanted = normalize(step);
  for (const source of sources) {
    for (let i = 0; i < source.lines.length; i++) {
      const line = source.lines[i];
      if (/^\s*(#|\/\/)/.test(line)) continue;
      if (normalize(line).includes(wanted)) return { file: source.file, line: i + 1 };
    }
  }
  return undefined;
}
