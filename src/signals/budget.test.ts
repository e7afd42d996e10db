import { describe, expect, it } from 'vitest';

import type { RunResult } from '../engine/result.js';
import { projectedMonthlyCost, runsPerMonth } from './budget.js';

describe('runsPerMonth', () => {
  it.each([
    { name: 'hourly interval', schedule: { interval: '1h' }, runs: 720 },
    { name: '5 minute interval', schedule: { interval: '5m' }, runs: 8640 },
    { name: 'hourly cron', schedule: { cron: '0 * * * *' }, runs: 720 },
    { name: 'daily cron', schedule: { cron: '30 6 * * *', timeZone: 'Europe/Paris' }, runs: 30 },
  ])('$name gives $runs', ({ schedule, runs }) => {
    // One decimal, because a daylight saving change within the next 100 runs moves the mean gap.
    expect(runsPerMonth(schedule, new Date('2026-01-05T00:00:00Z'))).toBeCloseTo(runs, 1);
  });
});

describe('projectedMonthlyCost', () => {
  it('adds probe and judge costs per run', () => {
    const run = {
      targets: [{ costDollars: 0.01, probes: [{ samples: [{ assertionRequests: [{ costDollars: 0.002 }, {}] }] }] }],
    } as unknown as RunResult;

    expect(projectedMonthlyCost(run, { interval: '1h' })).toBeCloseTo(0.012 * 720, 9);
  });
});
