/**
 * The reference tools, in two categories. Replace them with yours: keep each tool's `category`
 * honest (anything that changes state is `write`), because the gate in `tool-access.ts` relies on it.
 */
import { z } from 'zod';
import type { Caller } from './identity';
import type { NoteStore } from './notes';
import type { ToolCategory } from './tool-access';

/** What a tool may use besides its arguments. */
export interface ToolContext {
  readonly caller: Caller;
  readonly notes: NoteStore;
  readonly now: () => Date;
}

/** A tool: its MCP description, its category for the gate, and its run function over validated arguments. */
export interface ReferenceTool<S extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  readonly category: ToolCategory;
  /** The arguments' schema; strict, so unknown arguments are refused. */
  readonly input: S;
  /** Runs the tool and returns its text answer. Throw an Error for a tool-level failure. */
  readonly run: (args: z.output<S>, context: ToolContext) => string;
}

function tool<S extends z.ZodObject>(definition: ReferenceTool<S>): ReferenceTool {
  return definition as unknown as ReferenceTool;
}

const noteKey = z.string().regex(/^[a-z0-9._-]{1,64}$/, 'must be 1-64 characters of a-z 0-9 . _ -');

/** Every tool the server offers. */
export const TOOLS: readonly ReferenceTool[] = [
  tool({
    name: 'echo',
    description: 'Returns the text it is given.',
    category: 'read',
    input: z.object({ text: z.string().max(4096) }).strict(),
    run: ({ text }) => text,
  }),
  tool({
    name: 'server_time',
    description: "Returns the server's current time (ISO 8601, UTC).",
    category: 'read',
    input: z.object({}).strict(),
    run: (_args, { now }) => now().toISOString(),
  }),
  tool({
    name: 'notes_get',
    description: 'Reads one of your notes by key.',
    category: 'read',
    input: z.object({ key: noteKey }).strict(),
    run: ({ key }, { caller, notes }) => {
      const text = notes.get(caller.agentId, key);
      if (text === undefined) throw new Error(`no note with key '${key}'`);
      return text;
    },
  }),
  tool({
    name: 'notes_put',
    description: 'Stores a note under a key (overwrites). Notes are private to your agent id.',
    category: 'write',
    input: z.object({ key: noteKey, text: z.string().max(4096) }).strict(),
    run: ({ key, text }, { caller, notes }) => {
      notes.put(caller.agentId, key, text);
      return `stored note '${key}'`;
    },
  }),
];
