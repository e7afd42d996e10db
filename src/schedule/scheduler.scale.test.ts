import { afterEach, beforeEach, expect, it, vi } from 'vitest';

import { Scheduler } from './scheduler.js';

const minute = 60_000;
const start = Date.parse('2025-01-01T00:00:00.000Z');
const taskCount = 10_000;

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

beforeEach(() => {
  vi.useFakeTimers({ now: start });
});

afterEach(() => {
  vi.useRealTimers();
});

it('runs 10,000 tasks once per interval each', async () => {
  const planned = new Map<string, number[]>();
  const skipped: string[] = [];
  const errors: unknown[] = [];
  const scheduler = new Scheduler({
    now: () => Date.now(),
    random: seededRandom(2025),
    onSkipped: (key) => skipped.push(key),
    onRunError: (_key, error) => errors.push(error),
  });
  for (let i = 0; i < taskCount; i++) {
    const key = `load/monitor-${i}`;
    planned.set(key, []);
    scheduler.upsert({
      key,
      schedule: { interval: '1m', jitter: '10%' },
      run: async ({ plannedAt }) => {
        planned.get(key)?.push(plannedAt - start);
      },
    });
  }

  // The 10th interval's jitter window ends 6 s after its slot.
  await vi.advanceTimersByTimeAsync(10 * minute + 6000);

  const wrongCounts = [...planned].filter(([, offsets]) => offsets.length !== 11);
  const outsideWindow = [...planned].filter(([, offsets]) =>
    offsets.some((offset, k) => offset < k * minute || offset >= k * minute + 6000),
  );
  expect(wrongCounts).toEqual([]);
  expect(outsideWindow).toEqual([]);
  expect(skipped).toEqual([]);
  expect(errors).toEqual([]);
  await scheduler.stop();
}, 60_000);
