import { describe, expect, it } from 'vitest';
import { scheduleGapMs } from './schedule-gap.js';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

describe('scheduleGapMs', () => {
  it.each([
    { schedule: { interval: '5m' }, gap: 5 * minute },
    { schedule: { interval: '1500ms' }, gap: 1500 },
    { schedule: { cron: '*/10 * * * *' }, gap: 10 * minute },
    { schedule: { cron: '*/30 * * * * *' }, gap: 30_000 },
    { schedule: { cron: '0 9 * * 1-5' }, gap: 3 * day },
    { schedule: { cron: '*/5 9-17 * * 1-5' }, gap: 2 * day + 15 * hour + 5 * minute },
    { schedule: { cron: '0 0 1 * *' }, gap: 31 * day },
    { schedule: { cron: '0 0 1 1 *' }, gap: 365 * day },
  ])('is the longest gap of $schedule', ({ schedule, gap }) => {
    expect(scheduleGapMs(schedule)).toBe(gap);
  });

  it('throws on an invalid cron expression', () => {
    expect(() => scheduleGapMs({ cron: 'not a cron' })).toThrow();
  });
});
