/**
 * What CI runs, read statically: the CI entry point (`.ci/run`), the npm scripts it calls and the
 * `scripts/` files those call; and where each checklist CI gate performs its check. A gate is evidence
 * only when CI reaches its script AND the gate recorded its outcome for the same commit
 * (lib/compliance/report/run-results.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CiStep } from '../checklist';
import type { SourceLocation } from './model';

/** One file CI executes, or one npm script it calls. */
export interface CiSource {
  /** Path relative to the repository root. */
  readonly file: string;
  /** Its lines. */
  readonly lines: readonly string[];
}

/** A CI gate: the script CI runs and the command in it that performs the check. */
export interface CiGate {
  /** The gate script, relative to the repository root; it records its outcome as `reports/gates/<step>.json`. */
  readonly script: string;
  /** The text of the line in the script that performs the check; `undefined`: the script is the check (its call site is the location). */
  readonly command?: string;
}

/** The checklist's CI steps: each gate's script and the line that performs its check. */
export const CI_GATES: Readonly<Record<CiStep, CiGate>> = {
  'npm-audit': { script: 'scripts/audit-dependencies.sh', command: 'npm audit --omit=dev --audit-level=high' },
  secretlint: { script: 'scripts/scan-secrets.sh', command: 'npx --no-install secretlint' },
  lockfile: { script: 'scripts/check-lockfile.ts' },
  'no-default-credentials': { script: 'scripts/check-default-credentials.ts' },
};

const NPM_SCRIPT_CALL = /\bnpm\s+(?:run(?:-script)?\s+([\w:.-]+)|(test|start))\b/g;
const SCRIPT_FILE = /\b(scripts\/[\w./-]+\.(?:ts|js|sh|mjs|cjs))\b/g;
/** A comment line in shell or TypeScript (`#`, `//`, a `/*` block line or its ` *` continuation). */
const COMMENT_LINE = /^\s*(#|\/\/|\/\*|\*)/;

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
    // Calls in comments are not calls.
    const code = text
      .split('\n')
      .filter((l) => !COMMENT_LINE.test(l))
      .join('\n');
    for (const m of code.matchAll(NPM_SCRIPT_CALL)) queue.push({ kind: 'npm', name: m[1] ?? m[2] });
    for (const m of code.matchAll(SCRIPT_FILE)) queue.push({ kind: 'file', name: m[1] });
  }
  return sources;
}

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Where CI runs `step` (matched as text, whitespace-insensitive, ignoring comment lines). */
export function findCiStep(step: string, sources: readonly CiSource[]): SourceLocation | undefined {
  const wanted = normalize(step);
  for (const source of sources) {
    for (let i = 0; i < source.lines.length; i++) {
      const line = source.lines[i];
      if (COMMENT_LINE.test(line)) continue;
      if (normalize(line).includes(wanted)) return { file: source.file, line: i + 1 };
    }
  }
  return undefined;
}

/**
 * Where a gate performs its check, when CI reaches its script: the command's line in the script, or (a
 * script that is the check) the line that calls the script. `undefined` when CI does not reach it.
 */
export function locateGate(gate: CiGate, sources: readonly CiSource[]): SourceLocation | undefined {
  const script = sources.find((s) => s.file === gate.script);
  if (!script) return undefined;
  if (gate.command === undefined) return findCiStep(gate.script, sources.filter((s) => s.file !== gate.script));
  return findCiStep(gate.command, [script]);
}
