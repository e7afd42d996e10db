import { setTimeout as sleep } from 'node:timers/promises';

import { expect, it } from 'vitest';

import { Scheduler } from './scheduler.js';

const taskCount = 20;
const intervalMs = 50;
const durationMs = 1500;

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? NaN;
}

it('reports small lateness on real timers', async () => {
  const lateness: number[] = [];
  const runCounts = new Map<string, number>();
  const scheduler = new Scheduler({ onLateness: (_key, seconds) => lateness.push(seconds) });
  for (let i = 0; i < taskCount; i++) {
    const key = `realtime/monitor-${i}`;
    scheduler.upsert({
      key,
      schedule: { interval: `${intervalMs}ms`, jitter: '10%' },
      run: async ({ signal }) => {
        runCounts.set(key, (runCounts.get(key) ?? 0) + 1);
        await sleep(10, undefined, { signal });
      },
    });
  }

  await sleep(durationMs);
  await scheduler.stop({ graceMs: 100 });

  // About 30 runs per task; a loaded machine may drop a few slots.
  expect(runCounts.size).toBe(taskCount);
  expect(Math.min(...runCounts.values())).toBeGreaterThanOrEqual(20);
  expect(Math.max(...runCounts.values())).toBeLessThanOrEqual(durationMs / intervalMs + 1);
  expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
  expect(percentile(lateness, 0.5)).toBeLessThan(0.01);
  expect(percentile(lateness, 0.95)).toBeLessThan(0.05);
}, 10_000);
