/**
 * Finds the repository's own line in a stack trace: the frame that created a resource or made an
 * acknowledgment, for SARIF locations and the report's "where".
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { SourceLocation } from './model';

// `fn (/abs/file.ts:12:7)`, `at /abs/file.ts:12:7`, `at fn (file:///abs/file.ts:12:7)`
const FRAME = /(?:\(|\s|^)(?:file:\/\/)?((?:\/|[A-Za-z]:[\\/])[^():\n]+?):(\d+):(\d+)\)?\s*$/;

/**
 * The first frame of `traces` that lies inside `repoRoot` and outside `node_modules`, relative to the root.
 * @returns undefined when no frame is in the repository (library code only, or traces disabled)
 */
export function sourceLocationOf(traces: readonly string[] | string | undefined, repoRoot: string): SourceLocation | undefined {
  if (traces === undefined) return undefined;
  const lines = (Array.isArray(traces) ? traces : [traces]).flatMap((t) => t.split('\n'));
  for (const line of lines) {
    const m = FRAME.exec(line.trim());
    if (!m) continue;
    const [, file, lineNo, column] = m;
    if (!isAbsolute(file)) continue;
    const rel = relative(repoRoot, file);
    if (rel.startsWith('..') || isAbsolute(rel)) continue;
    if (rel.split(sep).includes('node_modules')) continue;
    return { file: rel.split(sep).join('/'), line: Number(lineNo), column: Number(column) };
  }
  return undefined;
}
