import { setTimeout as realSleep } from 'node:timers/promises';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ScheduleSpec } from '../api/types.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';
import { RunAbortedError, type RunContext, type ScheduledTask } from './task.js';

const second = 1000;
const minute = 60 * second;
const start = Date.parse('2025-01-01T00:00:00.000Z');

/** Mulberry32: a small seeded generator, so that a failing case can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resolves after `ms` of the (fake) clock, or rejects with the signal's reason when it aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Rejects with the signal's reason when it aborts, and never settles otherwise. */
function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

interface RecordedTask extends ScheduledTask {
  runs: RunContext[];
}

function recordedTask(key: string, schedule: ScheduleSpec, body: (context: RunContext) => Promise<void> = async () => {}): RecordedTask {
  const runs: RunContext[] = [];
  return {
    key,
    schedule,
    runs,
    run: (context) => {
      runs.push(context);
      return body(context);
    },
  };
}

function createScheduler(options: SchedulerOptions = {}) {
  const skipped: number[] = [];
  const lateness: number[] = [];
  const errors: unknown[] = [];
  const scheduler = new Scheduler({
    now: () => Date.now(),
    random: () => 0.5,
    onSkipped: (_key, plannedAt) => skipped.push(plannedAt - start),
    onLateness: (_key, seconds) => lateness.push(seconds),
    onRunError: (_key, error) => errors.push(error),
    ...options,
  });
  return { scheduler, skipped, lateness, errors };
}

/** Planned times relative to the test's start, in ms. */
const plannedOffsets = (task: RecordedTask): number[] => task.runs.map((run) => run.plannedAt - start);

beforeEach(() => {
  vi.useFakeTimers({ now: start });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('Scheduler', () => {
  it('starts the first run at once', async () => {
    const { scheduler, lateness } = createScheduler();
    const task = recordedTask('default/a', { interval: '1m' });

    scheduler.upsert(task);

    expect(scheduler.nextRunAt('default/a')).toBe(start);
    await vi.advanceTimersByTimeAsync(0);
    expect(task.runs).toHaveLength(1);
    expect(task.runs[0]?.plannedAt).toBe(start);
    expect(task.runs[0]?.startedAt).toBe(start);
    expect(lateness).toEqual([0]);
    // With random 0.5, the second run is planned half-way into the 6 s jitter window.
    expect(scheduler.nextRunAt('default/a')).toBe(start + minute + 3 * second);
  });

  it('starts due runs in batches of 500', async () => {
    const { scheduler } = createScheduler();
    let started = 0;
    for (let i = 0; i < 1200; i++) {
      scheduler.upsert(
        recordedTask(`default/m${i}`, { interval: '1m' }, async () => {
          started++;
        }),
      );
    }
    const startedAfterCallbacks: number[] = [];

    for (let callback = 0; callback < 3; callback++) {
      await vi.advanceTimersToNextTimerAsync();
      startedAfterCallbacks.push(started);
    }

    expect(startedAfterCallbacks).toEqual([500, 1000, 1200]);
  });

  it('paces first runs of tasks added together', async () => {
    const { scheduler, lateness } = createScheduler({ firstRunsPerSecond: 100 });
    const tasks = Array.from({ length: 300 }, (_, i) => recordedTask(`default/m${i}`, { interval: '1m', jitter: '0%' }));

    for (const task of tasks) scheduler.upsert(task);
    await vi.advanceTimersByTimeAsync(minute + 3 * second);

    // 100 a second: the first runs of 300 tasks take 3 s, 10 ms apart, and each second run is one minute after its first.
    expect(tasks.map((t) => plannedOffsets(t)[0])).toEqual(tasks.map((_, i) => i * 10));
    expect(tasks.map((t) => plannedOffsets(t)[1])).toEqual(tasks.map((_, i) => minute + i * 10));
    expect(Math.max(...lateness)).toBe(0);
  });

  it('starts a task added after a quiet spell at once, whatever firstRunsPerSecond is', async () => {
    const { scheduler } = createScheduler({ firstRunsPerSecond: 1 });
    const first = recordedTask('default/a', { interval: '1m' });
    const second = recordedTask('default/b', { interval: '1m' });

    scheduler.upsert(first);
    await vi.advanceTimersByTimeAsync(5 * 1000);
    scheduler.upsert(second);

    expect(scheduler.nextRunAt('default/b')).toBe(start + 5 * 1000);
  });

  it.each([0, -1, Number.NaN])('refuses firstRunsPerSecond %s', (rate) => {
    expect(() => new Scheduler({ firstRunsPerSecond: rate })).toThrow(`firstRunsPerSecond must be above 0, not ${rate}`);
  });

  it('keeps runs in their jitter windows without drift', async () => {
    const { scheduler, lateness } = createScheduler({ random: seededRandom(11) });
    const task = recordedTask('default/a', { interval: '1m', jitter: '10%' });

    scheduler.upsert(task);
    await vi.advanceTimersByTimeAsync(1000 * minute);

    expect(task.runs).toHaveLength(1000);
    task.runs.forEach((run, k) => {
      expect(run.plannedAt - start - k * minute).toBeGreaterThanOrEqual(0);
      expect(run.plannedAt - start - k * minute).toBeLessThan(6 * second);
    });
    expect(lateness.every((seconds) => seconds === 0)).toBe(true);
  });

  it('skips due runs while the previous run is in flight', async () => {
    const { scheduler, skipped } = createScheduler();
    const task = recordedTask('default/slow', { interval: '1m', jitter: '0%' }, () => sleep(150 * second));

    scheduler.upsert(task);
    await vi.advanceTimersByTimeAsync(6 * minute);

    expect(plannedOffsets(task)).toEqual([0, 3 * minute, 6 * minute]);
    expect(skipped).toEqual([1 * minute, 2 * minute, 4 * minute, 5 * minute]);
  });

  it('reports whether a run is in flight', async () => {
    const { scheduler } = createScheduler();
    scheduler.upsert(recordedTask('default/a', { interval: '1m' }, () => sleep(10 * second)));

    await vi.advanceTimersByTimeAsync(0);
    const whileRunning = scheduler.isRunning('default/a');
    await vi.advanceTimersByTimeAsync(10 * second);

    expect(whileRunning).toBe(true);
    expect(scheduler.isRunning('default/a')).toBe(false);
  });

  it('keeps the plan when an update leaves the schedule unchanged', async () => {
    const { scheduler } = createScheduler({ random: seededRandom(5) });
    const before = recordedTask('default/a', { interval: '1m' });
    const after = recordedTask('default/a', { interval: '60s', jitter: '10%' });
    scheduler.upsert(before);
    await vi.advanceTimersByTimeAsync(10 * second);
    const planned = scheduler.nextRunAt('default/a');

    scheduler.upsert(after);
    const plannedAfterUpdate = scheduler.nextRunAt('default/a');
    await vi.advanceTimersByTimeAsync(minute);

    expect(plannedAfterUpdate).toBe(planned);
    expect(plannedOffsets(before)).toEqual([0]);
    expect(after.runs.map((run) => run.plannedAt)).toEqual([planned]);
  });

  it.each([
    { interval: '10s', nextOffset: 40 * second },
    { interval: '5m', nextOffset: 5 * minute },
  ])('replans from the previous slot when the interval changes to $interval', async ({ interval, nextOffset }) => {
    const { scheduler } = createScheduler();
    const task = recordedTask('default/a', { interval: '1m', jitter: '0%' });
    scheduler.upsert(task);
    await vi.advanceTimersByTimeAsync(30 * second);

    scheduler.upsert({ ...task, schedule: { interval, jitter: '0%' } });

    expect(scheduler.nextRunAt('default/a')).toBe(start + nextOffset);
    await vi.advanceTimersByTimeAsync(nextOffset - 30 * second);
    expect(plannedOffsets(task)).toEqual([0, nextOffset]);
  });

  it('keeps the pending first run when the schedule changes', () => {
    const { scheduler } = createScheduler();
    const task = recordedTask('default/a', { interval: '1m' });
    scheduler.upsert(task);

    scheduler.upsert({ ...task, schedule: { interval: '5m' } });

    expect(scheduler.nextRunAt('default/a')).toBe(start);
  });

  it('does not overlap the run in flight after an update', async () => {
    const { scheduler, skipped } = createScheduler();
    const task = recordedTask('default/a', { interval: '1m', jitter: '0%' }, () => sleep(25 * second));
    scheduler.upsert(task);
    await vi.advanceTimersByTimeAsync(5 * second);

    scheduler.upsert({ ...task, schedule: { interval: '10s', jitter: '0%' } });
    await vi.advanceTimersByTimeAsync(25 * second);

    expect(plannedOffsets(task)).toEqual([0, 30 * second]);
    expect(skipped).toEqual([10 * second, 20 * second]);
  });

  it('aborts the run in flight when the task is removed', async () => {
    const { scheduler, errors } = createScheduler();
    const task = recordedTask('default/a', { interval: '1m' }, ({ signal }) => untilAborted(signal));
    scheduler.upsert(task);
    await vi.advanceTimersByTimeAsync(0);

    scheduler.remove('default/a');
    await vi.advanceTimersByTimeAsync(10 * minute);

    const signal = task.runs[0]?.signal;
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(RunAbortedError);
    expect((signal?.reason as RunAbortedError).abortedBy).toBe('remove');
    expect(task.runs).toHaveLength(1);
    expect(scheduler.has('default/a')).toBe(false);
    expect(scheduler.isRunning('default/a')).toBe(false);
    expect(scheduler.nextRunAt('default/a')).toBeUndefined();
    expect(errors).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([
    { ending: 'the abort reason', body: ({ signal }: RunContext) => untilAborted(signal), reported: [] },
    { ending: 'an AbortError', body: ({ signal }: RunContext) => realSleep(3_600_000, undefined, { signal }), reported: [] },
    {
      ending: 'another error',
      body: async ({ signal }: RunContext) => {
        await untilAborted(signal).catch(() => {});
        throw new Error('cleanup failed');
      },
      reported: ['cleanup failed'],
    },
  ])('reports after abort only other errors: $ending', async ({ body, reported }) => {
    const { scheduler, errors } = createScheduler();
    scheduler.upsert(recordedTask('default/a', { interval: '1m' }, body));
    await vi.advanceTimersByTimeAsync(0);

    scheduler.remove('default/a');
    await vi.advanceTimersByTimeAsync(0);

    expect(errors.map((error) => (error as Error).message)).toEqual(reported);
  });

  it('lets a short run finish and aborts a long one on stop', async () => {
    const { scheduler, errors } = createScheduler();
    const short = recordedTask('default/short', { interval: '1m' }, () => sleep(2 * second));
    const long = recordedTask('default/long', { interval: '1m' }, ({ signal }) => untilAborted(signal));
    scheduler.upsert(short);
    scheduler.upsert(long);
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;

    const stopping = scheduler.stop({ graceMs: 5 * second }).then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(4 * second);
    const stoppedWithinGrace = stopped;
    await vi.advanceTimersByTimeAsync(1 * second);
    await stopping;

    expect(stoppedWithinGrace).toBe(false);
    expect(short.runs[0]?.signal.aborted).toBe(false);
    expect(long.runs[0]?.signal.aborted).toBe(true);
    expect((long.runs[0]?.signal.reason as RunAbortedError).abortedBy).toBe('stop');
    expect(scheduler.isRunning('default/long')).toBe(false);
    expect(errors).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts runs at once on stop without grace', async () => {
    const { scheduler } = createScheduler();
    const task = recordedTask('default/a', { interval: '1m' }, ({ signal }) => untilAborted(signal));
    scheduler.upsert(task);
    await vi.advanceTimersByTimeAsync(0);

    await scheduler.stop();

    expect(task.runs[0]?.signal.aborted).toBe(true);
    expect(scheduler.size).toBe(0);
  });

  it('rejects tasks after stop', async () => {
    const { scheduler } = createScheduler();

    await scheduler.stop();

    expect(() => scheduler.upsert(recordedTask('default/a', { interval: '1m' }))).toThrow(
      'cannot add task "default/a": the scheduler is stopped',
    );
  });

  it('reports a failing run and keeps scheduling', async () => {
    const { scheduler, errors } = createScheduler();
    let calls = 0;
    const task = recordedTask('default/a', { interval: '1m', jitter: '0%' }, () => {
      calls++;
      if (calls === 1) throw new Error('thrown');
      if (calls === 2) return Promise.reject(new Error('rejected'));
      return Promise.resolve();
    });

    scheduler.upsert(task);
    await vi.advanceTimersByTimeAsync(2 * minute);

    expect(task.runs).toHaveLength(3);
    expect(errors.map((error) => (error as Error).message)).toEqual(['thrown', 'rejected']);
    expect(scheduler.nextRunAt('default/a')).toBe(start + 3 * minute);
  });

  it('turns a run error into a process warning without onRunError', async () => {
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const { scheduler } = createScheduler({ onRunError: undefined });

    scheduler.upsert(recordedTask('default/a', { interval: '1m' }, () => Promise.reject(new Error('model unreachable'))));
    await vi.advanceTimersByTimeAsync(0);

    expect(warnings).toHaveBeenCalledTimes(1);
    expect(warnings.mock.calls[0]?.[0]).toBe('run of task "default/a" failed');
  });

  it('keeps scheduling when a hook throws', async () => {
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const { scheduler } = createScheduler({
      onLateness: () => {
        throw new Error('hook failed');
      },
    });
    const task = recordedTask('default/a', { interval: '1m', jitter: '0%' });

    scheduler.upsert(task);
    await vi.advanceTimersByTimeAsync(2 * minute);

    expect(task.runs).toHaveLength(3);
    expect(warnings).toHaveBeenCalledTimes(3);
    expect(warnings.mock.calls[0]?.[0]).toBe('scheduler hook onLateness threw');
  });

  it.each([
    { timeZone: undefined, next: '2025-01-01T09:00:00.000Z' },
    { timeZone: 'Asia/Tokyo', next: '2025-01-02T00:00:00.000Z' },
    { timeZone: 'America/Los_Angeles', next: '2025-01-01T17:00:00.000Z' },
  ])('plans cron runs in time zone $timeZone', async ({ timeZone, next }) => {
    const { scheduler } = createScheduler();
    const task = recordedTask('default/a', { cron: '0 9 * * *', jitter: '0%', ...(timeZone && { timeZone }) });

    scheduler.upsert(task);
    await vi.advanceTimersByTimeAsync(0);
    const planned = scheduler.nextRunAt('default/a');
    await vi.advanceTimersByTimeAsync(Date.parse(next) - start);

    expect(new Date(planned ?? NaN).toISOString()).toBe(next);
    expect(task.runs.map((run) => new Date(run.startedAt).toISOString())).toEqual([new Date(start).toISOString(), next]);
  });

  it('tracks its tasks by key', () => {
    const { scheduler } = createScheduler();

    scheduler.upsert(recordedTask('default/a', { interval: '1m' }));
    scheduler.upsert(recordedTask('default/b', { interval: '1m' }));
    scheduler.upsert(recordedTask('default/a', { interval: '2m' }));
    scheduler.remove('default/b');
    scheduler.remove('default/unknown');

    expect(scheduler.size).toBe(1);
    expect(scheduler.has('default/a')).toBe(true);
    expect(scheduler.has('default/b')).toBe(false);
    expect(scheduler.nextRunAt('default/unknown')).toBeUndefined();
  });
});
