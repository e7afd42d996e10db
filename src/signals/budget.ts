/** A monthly spending limit per monitor, checked against the projected spend after each run. */
import { Cron } from 'croner';

import type { ScheduleSpec } from '../api/types.js';
import type { RunResult } from '../engine/result.js';
import { durationMs } from '../util/duration.js';

/** 30 days, the month of the budget, in milliseconds. */
export const monthMs = 30 * 24 * 60 * 60 * 1000;

/** A run that was not started because the monitor's projected spend exceeds its budget. */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
}

/**
 * Returns the planned runs in 30 days: from the interval, or from the mean gap of a cron schedule's next 100 runs.
 * NOTE: a cron limited to some hours or days is overestimated: every 5 minutes from 9:00 to 17:55 on weekdays
 * comes out about 3.7 times too high, because its next 100 runs fall within one working day. Counting a whole month with croner
 * takes seconds for such patterns, too long for a check made after every run.
 */
export function runsPerMonth(schedule: ScheduleSpec, now: Date = new Date()): number {
  if (schedule.interval !== undefined) return monthMs / durationMs(schedule.interval);
  if (schedule.cron === undefined) return 0;

  const runs = new Cron(schedule.cron, { timezone: schedule.timeZone ?? 'UTC', paused: true }).nextRuns(100, now);
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (first === undefined || last === undefined || runs.length < 2) return 1;
  return monthMs / ((last.getTime() - first.getTime()) / (runs.length - 1));
}

/** Returns the dollars of the run (probe and assertion requests with a price) times the runs in 30 days. */
export function projectedMonthlyCost(run: RunResult, schedule: ScheduleSpec): number {
  let runCost = 0;
  for (const target of run.targets) {
    runCost += target.costDollars ?? 0;
    for (const probe of target.probes) {
      for (const sample of probe.samples) runCost += (sample.assertionRequests ?? []).reduce((sum, r) => sum + (r.costDollars ?? 0), 0);
    }
  }
  return runCost * runsPerMonth(schedule);
}
