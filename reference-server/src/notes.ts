/**
 * The `notes_*` tools' storage: in memory, one notebook per agent, bounded. It stands in for your
 * database. Behind a load balancer every task has its own copy; a real backend keeps state outside
 * the task (the container's root filesystem is read-only anyway).
 */

/** Per-agent notes, bounded in count and size so one agent cannot exhaust the task's memory. */
export class NoteStore {
  private readonly notebooks = new Map<string, Map<string, string>>();

  /**
   * @param maxNotesPerAgent notes one agent may keep. @default 100
   * @param maxAgents agents with notes at once; the oldest notebook is dropped beyond. @default 1000
   */
  constructor(private readonly maxNotesPerAgent = 100, private readonly maxAgents = 1000) {}

  /** Stores `text` under `key` for `agentId`. @throws Error when the agent's notebook is full. */
  put(agentId: string, key: string, text: string): void {
    let notebook = this.notebooks.get(agentId);
    if (!notebook) {
      if (this.notebooks.size >= this.maxAgents) this.notebooks.delete(this.notebooks.keys().next().value as string);
      notebook = new Map();
      this.notebooks.set(agentId, notebook);
    }
    if (!notebook.has(key) && notebook.size >= this.maxNotesPerAgent) {
      throw new Error(`notebook full: at most ${this.maxNotesPerAgent} notes per agent; overwrite an existing key`);
    }
    notebook.set(key, text);
  }

  /** The note `key` of `agentId`, or undefined. */
  get(agentId: string, key: string): string | undefined {
    return this.notebooks.get(agentId)?.get(key);
  }
}
