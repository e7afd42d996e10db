import type { ScheduleSpec } from '../api/types.js';

/** The context of one run. Times are ms epoch from the scheduler's clock. */
export interface RunContext {
  /** Aborted, with a RunAbortedError as reason, when the task is removed or the scheduler stops. */
  signal: AbortSignal;
  /** The planned start: the schedule's slot plus jitter, or the time the task was added for its first run. */
  plannedAt: number;
  startedAt: number;
}

/** Work that the scheduler starts on a schedule, for example one run of one monitor. */
export interface ScheduledTask {
  /** Unique among the scheduler's tasks, for example "namespace/name". */
  key: string;
  schedule: ScheduleSpec;
  /** Should settle soon after `signal` aborts, because Scheduler.stop waits for it. */
  run(context: RunContext): Promise<void>;
}

/** The reason of a run's aborted signal. */
export class RunAbortedError extends Error {
  override readonly name = 'RunAbortedError';

  constructor(
    readonly key: string,
    /** The Scheduler method that aborted the run. */
    readonly abortedBy: 'remove' | 'stop',
  ) {
    super(
      abortedBy === 'remove'
        ? `run of task "${key}" aborted because the task was removed`
        : `run of task "${key}" aborted because the scheduler stopped`,
    );
  }
}
