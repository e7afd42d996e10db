import { CronSlotCache } from './cron.js';
import { IndexedMinHeap, type HeapItem } from './heap.js';
import { HookCaller, type SchedulerHooks } from './hooks.js';
import { compileSchedule, nextPlannedTime, sameSchedule, type CompiledSchedule } from './plan.js';
import { RunAbortedError, type RunContext, type ScheduledTask } from './task.js';

export interface SchedulerOptions extends SchedulerHooks {
  /** Clock in ms epoch. Default Date.now. */
  now?: () => number;
  /** Source of jitter, returning values in [0, 1). Default Math.random. */
  random?: () => number;
  /**
   * Most first runs to start per second. Tasks added together (a runner or
   * operator starting with thousands of monitors) then start one after
   * another at this rate instead of in one burst, and keep that spread in
   * later runs, since each later slot follows the first. Default: no limit.
   */
  firstRunsPerSecond?: number;
}

/** Largest delay that setTimeout accepts. Node fires a timer with a longer delay after 1 ms. */
const maxTimerDelayMs = 2 ** 31 - 1;

/**
 * Maximum number of due runs that one timer callback starts or skips. The rest wait for
 * a callback 1 ms later, so that I/O such as watch events and lease renewals
 * is handled between batches when thousands of runs are due together.
 */
const maxDispatchesPerCallback = 500;

interface TaskEntry extends HeapItem {
  task: ScheduledTask;
  schedule: CompiledSchedule;
  /** Slot of the upcoming run. For the first run it is the time the task was added. */
  slotAt: number;
  /** Start time of the upcoming run, meaningful only while the entry is in the queue. */
  plannedAt: number;
  /** Slot of the latest run that came due, whether started or skipped. Undefined before the first. */
  previousSlotAt: number | undefined;
}

interface InFlightRun {
  controller: AbortController;
  settled: Promise<void>;
}

/**
 * Starts the runs of each task on its schedule, never two runs of one task at
 * a time. A new task runs at once, because users expect a result within
 * seconds of creating a monitor. Later runs follow nextPlannedTime.
 *
 * One Node timer serves all tasks. It is set for the earliest planned run in a
 * min-heap of tasks, and each firing starts every run that is due. Compared
 * with one timer per task, the number of timers stays at one for 10,000
 * tasks, replanning is an O(log n) heap update, and the 2^31 - 1 ms limit of
 * setTimeout is handled in one place.
 */
export class Scheduler {
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly hooks: HookCaller;
  private readonly tasks = new Map<string, TaskEntry>();
  private readonly queue = new IndexedMinHeap<TaskEntry>((entry) => entry.plannedAt);
  /** In-flight runs by task key. A removed task's run stays here until it settles. */
  private readonly running = new Map<string, InFlightRun>();
  private readonly cronSlots = new CronSlotCache();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDueAt = Infinity;
  private stopped = false;
  private stopping: Promise<void> | undefined;
  private readonly firstRunSpacingMs: number;
  /** Earliest time the next new task's first run may be planned at. */
  private nextFirstRunAt = -Infinity;

  constructor(options: SchedulerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.hooks = new HookCaller(options);
    const rate = options.firstRunsPerSecond;
    if (rate !== undefined && !(rate > 0)) throw new Error(`firstRunsPerSecond must be above 0, not ${rate}`);
    this.firstRunSpacingMs = rate === undefined ? 0 : 1000 / rate;
  }

  get size(): number {
    return this.tasks.size;
  }

  has(key: string): boolean {
    return this.tasks.has(key);
  }

  /** Returns the planned start of the task's next run in ms epoch, or undefined if none is planned. */
  nextRunAt(key: string): number | undefined {
    const entry = this.tasks.get(key);
    if (entry === undefined || !this.queue.has(entry)) return undefined;
    return entry.plannedAt;
  }

  /** Returns whether a run of the key is in flight, including an aborted run of a removed task. */
  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /**
   * Adds a task, or updates the task with the same key. A new task's first run
   * is due at once, or after the first runs planned before it when
   * `firstRunsPerSecond` is set. It is skipped if an aborted run of a removed task with the
   * same key has not settled yet.
   *
   * An update never touches the run in flight. With an unchanged schedule the
   * task keeps its plan, and only later runs use the new run function. A
   * changed schedule plans the next run as the new schedule would after the
   * previous run's slot, dropping slots that have already passed. Throws if
   * the scheduler is stopped or the schedule is invalid.
   *
   * First runs are not jittered. Without `firstRunsPerSecond`, tasks added
   * together start their first runs in one burst and stay in step. With it,
   * they are planned one after another at that rate.
   */
  upsert(task: ScheduledTask): void {
    if (this.stopped) throw new Error(`cannot add task "${task.key}": the scheduler is stopped`);
    const schedule = compileSchedule(task.schedule, (pattern, timeZone) => this.cronSlots.get(pattern, timeZone));
    const entry = this.tasks.get(task.key);
    if (entry === undefined) {
      this.add(task, schedule);
      return;
    }

    entry.task = task;
    if (sameSchedule(entry.schedule, schedule)) return;
    entry.schedule = schedule;
    // A first run that has not come due yet keeps its immediate start.
    if (entry.previousSlotAt === undefined) return;
    this.planAfter(entry, entry.previousSlotAt, this.now());
    this.armTimer();
  }

  /** Removes the task and aborts its in-flight run, if any. Does nothing for an unknown key. */
  remove(key: string): void {
    const entry = this.tasks.get(key);
    if (entry === undefined) return;

    this.tasks.delete(key);
    this.queue.remove(entry);
    this.running.get(key)?.controller.abort(new RunAbortedError(key, 'remove'));
    this.armTimer();
  }

  /**
   * Stops all timers, lets in-flight runs continue for up to `graceMs`, then
   * aborts the runs still in flight and resolves once every run has settled.
   * A run that ignores its signal keeps the promise pending. Later calls
   * return the first call's promise.
   */
  stop(options: { graceMs?: number } = {}): Promise<void> {
    if (this.stopping === undefined) {
      this.stopped = true;
      this.clearTimer();
      this.queue.clear();
      this.tasks.clear();
      this.stopping = this.drain(options.graceMs ?? 0);
    }
    return this.stopping;
  }

  private add(task: ScheduledTask, schedule: CompiledSchedule): void {
    // The first run is due at once, unless other first runs took the slots up to now and after.
    const firstAt = Math.max(this.now(), this.nextFirstRunAt);
    this.nextFirstRunAt = firstAt + this.firstRunSpacingMs;
    const entry: TaskEntry = { task, schedule, slotAt: firstAt, plannedAt: firstAt, previousSlotAt: undefined, heapIndex: -1 };
    this.tasks.set(task.key, entry);
    this.queue.push(entry);
    this.armTimer();
  }

  /** Plans the run after slot `slotAt`, or takes the entry out of the queue when the schedule has no further slot. */
  private planAfter(entry: TaskEntry, slotAt: number, now: number): void {
    const next = nextPlannedTime(entry.schedule, slotAt, now, this.random);
    if (next === undefined) {
      this.queue.remove(entry);
      return;
    }
    entry.slotAt = next.slotAt;
    entry.plannedAt = next.plannedAt;
    this.queue.update(entry);
  }

  private armTimer(): void {
    const next = this.queue.peek();
    if (next === undefined || this.stopped) {
      this.clearTimer();
      return;
    }
    // A timer that fires earlier than needed only costs a wake-up that finds nothing due.
    if (this.timer !== undefined && this.timerDueAt <= next.plannedAt) return;

    this.clearTimer();
    const now = this.now();
    const delayMs = Math.min(Math.max(next.plannedAt - now, 0), maxTimerDelayMs);
    this.timerDueAt = now + delayMs;
    this.timer = setTimeout(this.fire, delayMs);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = Infinity;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerDueAt = Infinity;
    // One reading of the clock bounds the loop, because every next plan lies after it.
    const now = this.now();
    try {
      for (let dispatched = 0; dispatched < maxDispatchesPerCallback; dispatched++) {
        const entry = this.queue.peek();
        if (entry === undefined || entry.plannedAt > now) break;
        this.dispatch(entry, now);
      }
    } finally {
      this.armTimer();
    }
  };

  /** Starts or skips the due run of the entry at the top of the queue, after planning its next run. */
  private dispatch(entry: TaskEntry, now: number): void {
    const { task, plannedAt } = entry;
    entry.previousSlotAt = entry.slotAt;
    // Planning first keeps the queue right if a hook or the run itself calls upsert or remove.
    this.planAfter(entry, entry.slotAt, now);

    if (this.running.has(task.key)) {
      this.hooks.skipped(task.key, plannedAt);
      return;
    }
    this.start(task, plannedAt);
  }

  private start(task: ScheduledTask, plannedAt: number): void {
    // The settled promise exists before any hook or run code can call stop(), which waits for it.
    let markSettled = (): void => {};
    const settled = new Promise<void>((resolve) => {
      markSettled = resolve;
    });
    const controller = new AbortController();
    const run: InFlightRun = { controller, settled };
    this.running.set(task.key, run);

    const startedAt = this.now();
    this.hooks.lateness(task.key, (startedAt - plannedAt) / 1000);
    void this.execute(task, run, { signal: controller.signal, plannedAt, startedAt }).then(markSettled);
  }

  /** Runs the task and reports its error. The returned promise never rejects. */
  private async execute(task: ScheduledTask, run: InFlightRun, context: RunContext): Promise<void> {
    try {
      await task.run(context);
    } catch (error) {
      if (!isAbortOutcome(error, context.signal)) this.hooks.runError(task.key, error);
    } finally {
      if (this.running.get(task.key) === run) this.running.delete(task.key);
    }
  }

  private async drain(graceMs: number): Promise<void> {
    if (graceMs > 0) await this.waitForRuns(graceMs);

    for (const [key, run] of this.running) run.controller.abort(new RunAbortedError(key, 'stop'));
    await Promise.all(Array.from(this.running.values(), (run) => run.settled));
  }

  /** Resolves when every in-flight run has settled or after `timeoutMs`, whichever comes first. */
  private async waitForRuns(timeoutMs: number): Promise<void> {
    if (this.running.size === 0) return;

    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    const settled = Promise.all(Array.from(this.running.values(), (run) => run.settled));
    await Promise.race([settled, timeout]);
    clearTimeout(timer);
  }
}

/**
 * Returns whether the error is the expected end of a run whose signal the
 * scheduler aborted: the abort reason itself, which Node 20's fetch rejects
 * with, or an AbortError, which node:timers/promises rejects with.
 */
function isAbortOutcome(error: unknown, signal: AbortSignal): boolean {
  if (!signal.aborted) return false;
  return error === signal.reason || (error instanceof Error && error.name === 'AbortError');
}
