import type { AgentRun } from './agent-run';

/**
 * Runs by (user, run id), so `agentRun({ runId })` hands every caller the same run. Completed runs
 * are remembered (bounded, oldest first out) so a late caller gets the completed run and its typed
 * error, rather than a fresh run that would emit a second agent_started.
 */
export class RunRegistry {
  private readonly active = new Map<string, AgentRun>();
  private readonly completed = new Map<string, AgentRun>();

  constructor(private readonly maxCompleted = 10_000) {}

  getOrCreate(userId: string, runId: string, create: () => AgentRun): AgentRun {
    const key = RunRegistry.key(userId, runId);
    const existing = this.active.get(key) ?? this.completed.get(key);
    if (existing) return existing;
    const run = create();
    this.active.set(key, run);
    return run;
  }

  markCompleted(run: AgentRun): void {
    const key = RunRegistry.key(run.userId, run.runId);
    this.active.delete(key);
    this.completed.set(key, run);
    if (this.completed.size > this.maxCompleted) {
      const oldest = this.completed.keys().next().value as string;
      this.completed.delete(oldest);
    }
  }

  get activeCount(): number {
    return this.active.size;
  }

  clear(): void {
    this.active.clear();
    this.completed.clear();
  }

  private static key(userId: string, runId: string): string {
    // \u0000 cannot appear in a user id from JSON text keys we generate, and keeps keys unambiguous.
    return `${userId}\u0000${runId}`;
  }
}
