/** Callbacks through which the scheduler reports what happened to runs. They should not throw. */
export interface SchedulerHooks {
  /** A due run was skipped because the task's previous run was still in flight. */
  onSkipped?(key: string, plannedAt: number): void;
  /** A run started `latenessSeconds` after its planned time. Called for every started run. */
  onLateness?(key: string, latenessSeconds: number): void;
  /**
   * A run threw or rejected. Not called when a run that the scheduler aborted
   * rejects with the abort reason or an AbortError. Without this hook the
   * error becomes a process warning.
   */
  onRunError?(key: string, error: unknown): void;
}

/**
 * Calls the hooks so that nothing they throw reaches the scheduler's timer.
 * A hook's own error becomes a process warning, which Node prints to stderr
 * by default, because no hook is left that could receive it.
 */
export class HookCaller {
  constructor(private readonly hooks: SchedulerHooks) {}

  skipped(key: string, plannedAt: number): void {
    this.call('onSkipped', () => this.hooks.onSkipped?.(key, plannedAt));
  }

  lateness(key: string, latenessSeconds: number): void {
    this.call('onLateness', () => this.hooks.onLateness?.(key, latenessSeconds));
  }

  runError(key: string, error: unknown): void {
    if (this.hooks.onRunError === undefined) {
      emitWarning(`run of task "${key}" failed`, error);
      return;
    }
    this.call('onRunError', () => this.hooks.onRunError?.(key, error));
  }

  private call(name: keyof SchedulerHooks, hook: () => void): void {
    try {
      hook();
    } catch (error) {
      emitWarning(`scheduler hook ${name} threw`, error);
    }
  }
}

function emitWarning(message: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.emitWarning(message, { type: 'SchedulerWarning', detail });
}
