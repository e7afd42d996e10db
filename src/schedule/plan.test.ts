import { describe, expect, it } from 'vitest';

import type { ScheduleSpec } from '../api/types.js';
import { compileSchedule, nextPlannedTime, sameSchedule, type CompiledSchedule } from './plan.js';

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

const minute = 60_000;
const anchor = Date.parse('2025-01-01T00:00:00.000Z');
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
const always = (value: number) => () => value;

describe('nextPlannedTime for an interval', () => {
  it('keeps every run within its jitter window', () => {
    const schedule = compileSchedule({ interval: '1m', jitter: '10%' });
    const random = seededRandom(42);
    let slotAt = anchor;
    const offsets: number[] = [];

    for (let k = 1; k <= 10_000; k++) {
      const next = nextPlannedTime(schedule, slotAt, slotAt, random);

      expect(next?.slotAt).toBe(anchor + k * minute);
      const offset = (next?.plannedAt ?? NaN) - (next?.slotAt ?? NaN);
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(0.1 * minute);
      offsets.push(offset);
      slotAt = next?.slotAt ?? NaN;
    }

    // The offsets spread over the window instead of sticking to one end.
    expect(Math.min(...offsets)).toBeLessThan(0.01 * minute);
    expect(Math.max(...offsets)).toBeGreaterThan(0.09 * minute);
  });

  it('does not drift over 1,000 intervals', () => {
    const schedule = compileSchedule({ interval: '1m30s', jitter: '50%' });
    const random = seededRandom(7);
    let slotAt = anchor;

    for (let k = 1; k <= 1000; k++) {
      // Each plan is made when the previous run starts, which is after its slot.
      const next = nextPlannedTime(schedule, slotAt, slotAt + 44_999, random);
      slotAt = next?.slotAt ?? NaN;
    }

    expect(slotAt).toBe(anchor + 1000 * 90_000);
  });

  it.each([
    { jitter: '0%', random: 0.999, offset: 0 },
    { jitter: '10%', random: 0, offset: 0 },
    { jitter: '10%', random: 0.5, offset: 3000 },
    { jitter: '10%', random: 0.9999999, offset: 5999 },
    { jitter: '100%', random: 0.25, offset: 15_000 },
  ])('offsets by random times the window: $jitter at $random', ({ jitter, random, offset }) => {
    const schedule = compileSchedule({ interval: '1m', jitter });

    const next = nextPlannedTime(schedule, anchor, anchor, always(random));

    expect(next).toEqual({ slotAt: anchor + minute, plannedAt: anchor + minute + offset });
  });

  it('uses 10% jitter by default', () => {
    const schedule = compileSchedule({ interval: '1m' });

    const next = nextPlannedTime(schedule, anchor, anchor, always(0.5));

    expect(next?.plannedAt).toBe(anchor + minute + 3000);
  });

  it('drops slots that passed while behind', () => {
    const schedule = compileSchedule({ interval: '1m', jitter: '0%' });

    const next = nextPlannedTime(schedule, anchor, anchor + 5 * minute + 1, always(0));

    expect(next?.slotAt).toBe(anchor + 6 * minute);
  });

  it('plans the slot after now when now is on a slot', () => {
    const schedule = compileSchedule({ interval: '1m', jitter: '0%' });

    const next = nextPlannedTime(schedule, anchor, anchor + 2 * minute, always(0));

    expect(next?.slotAt).toBe(anchor + 3 * minute);
  });

  it('plans one interval ahead when the clock went back', () => {
    const schedule = compileSchedule({ interval: '1m', jitter: '0%' });

    const next = nextPlannedTime(schedule, anchor, anchor - 10 * minute, always(0));

    expect(next?.slotAt).toBe(anchor + minute);
  });
});

describe('nextPlannedTime for cron', () => {
  const plan = (spec: ScheduleSpec, previousSlot: string, now: string, random = 0) => {
    const next = nextPlannedTime(compileSchedule(spec), at(previousSlot), at(now), always(random));
    return { slotAt: iso(next?.slotAt), plannedAt: iso(next?.plannedAt) };
  };

  it.each([
    {
      name: 'five fields in UTC by default',
      spec: { cron: '*/15 * * * *' },
      previous: '2025-03-01T10:00:00Z',
      now: '2025-03-01T10:07:00Z',
      slot: '2025-03-01T10:15:00.000Z',
    },
    {
      name: 'six fields with seconds',
      spec: { cron: '*/10 * * * * *' },
      previous: '2025-03-01T10:00:00Z',
      now: '2025-03-01T10:00:00.500Z',
      slot: '2025-03-01T10:00:10.000Z',
    },
    {
      name: 'New York before daylight saving time',
      spec: { cron: '0 9 * * *', timeZone: 'America/New_York' },
      previous: '2025-03-08T14:00:00Z',
      now: '2025-03-08T14:00:01Z',
      slot: '2025-03-09T13:00:00.000Z',
    },
    {
      name: 'New York after daylight saving time',
      spec: { cron: '0 9 * * *', timeZone: 'America/New_York' },
      previous: '2025-03-09T13:00:00Z',
      now: '2025-03-09T13:00:01Z',
      slot: '2025-03-10T13:00:00.000Z',
    },
    {
      name: 'Berlin in summer',
      spec: { cron: '30 6 * * 1', timeZone: 'Europe/Berlin' },
      previous: '2025-07-01T00:00:00Z',
      now: '2025-07-01T00:00:00Z',
      slot: '2025-07-07T04:30:00.000Z',
    },
    {
      name: 'Kolkata with a half-hour offset',
      spec: { cron: '0 12 * * *', timeZone: 'Asia/Kolkata' },
      previous: '2025-07-01T00:00:00Z',
      now: '2025-07-01T00:00:00Z',
      slot: '2025-07-01T06:30:00.000Z',
    },
    {
      name: 'slots dropped while behind',
      spec: { cron: '0 * * * *' },
      previous: '2025-03-01T10:00:00Z',
      now: '2025-03-01T13:20:00Z',
      slot: '2025-03-01T14:00:00.000Z',
    },
  ])('plans the next slot: $name', ({ spec, previous, now, slot }) => {
    const next = plan({ ...spec, jitter: '0%' }, previous, now);

    expect(next).toEqual({ slotAt: slot, plannedAt: slot });
  });

  it('sizes the jitter window by the distance to the following slot', () => {
    // Slots at 09:00 and 17:00: 10% of the 8 hours to the following slot is 48 minutes.
    const next = plan({ cron: '0 9,17 * * *', jitter: '10%' }, '2025-03-01T08:00:00Z', '2025-03-01T08:00:00Z', 0.5);

    expect(next).toEqual({ slotAt: '2025-03-01T09:00:00.000Z', plannedAt: '2025-03-01T09:24:00.000Z' });
  });

  it('keeps every run before the following slot', () => {
    // The range crosses the end of summer time in Paris, where slots are irregular.
    const schedule = compileSchedule({ cron: '*/5 * * * *', timeZone: 'Europe/Paris', jitter: '100%' });
    const random = seededRandom(3);
    const runs = [{ slotAt: at('2025-10-25T22:00:00Z'), plannedAt: at('2025-10-25T22:00:00Z') }];

    for (let k = 1; k <= 500; k++) {
      const previous = runs[k - 1]?.slotAt ?? NaN;
      runs.push(nextPlannedTime(schedule, previous, previous, random) ?? { slotAt: NaN, plannedAt: NaN });
    }

    for (let k = 1; k < runs.length - 1; k++) {
      const run = runs[k] ?? { slotAt: NaN, plannedAt: NaN };
      expect(run.plannedAt).toBeGreaterThanOrEqual(run.slotAt);
      expect(run.plannedAt).toBeLessThan(runs[k + 1]?.slotAt ?? NaN);
    }
  });

  it('returns undefined after the last slot', () => {
    // Croner stops searching at the year 3000.
    const next = plan({ cron: '0 0 1 1 *' }, '2999-06-01T00:00:00Z', '2999-06-01T00:00:00Z');

    expect(next).toEqual({ slotAt: undefined, plannedAt: undefined });
  });
});

describe('compileSchedule', () => {
  it.each([
    { spec: {}, error: 'invalid schedule: set exactly one of interval and cron' },
    { spec: { interval: '1m', cron: '* * * * *' }, error: 'invalid schedule: set exactly one of interval and cron' },
    { spec: { interval: '0' }, error: 'invalid schedule interval "0": it must be longer than 0' },
    { spec: { interval: '1 minute' }, error: 'invalid duration "1 minute": use a form such as 30s, 1m30s or 500ms' },
    { spec: { interval: '1m', jitter: '10' }, error: 'invalid schedule jitter "10": use a percentage from 0% to 100%, such as 10%' },
    { spec: { interval: '1m', jitter: '150%' }, error: 'invalid schedule jitter "150%": use a percentage from 0% to 100%, such as 10%' },
    { spec: { interval: '1m', jitter: 'x%' }, error: 'invalid schedule jitter "x%": use a percentage from 0% to 100%, such as 10%' },
    { spec: { cron: '* * * *' }, error: 'exactly five or six space separated parts are required' },
    { spec: { cron: '* * * * *', timeZone: 'Mars/Olympus' }, error: 'invalid time zone "Mars/Olympus": use an IANA name such as UTC or Europe/Berlin' },
  ])('rejects $spec', ({ spec, error }) => {
    expect(() => compileSchedule(spec)).toThrow(error);
  });
});

describe('sameSchedule', () => {
  const compile = (spec: ScheduleSpec): CompiledSchedule => compileSchedule(spec);

  it.each([
    { a: { interval: '1m' }, b: { interval: '60s' }, same: true },
    { a: { interval: '1m' }, b: { interval: '1m', jitter: '10%' }, same: true },
    { a: { interval: '1m' }, b: { interval: '2m' }, same: false },
    { a: { interval: '1m' }, b: { interval: '1m', jitter: '20%' }, same: false },
    { a: { cron: '* * * * *' }, b: { cron: '* * * * *', timeZone: 'UTC' }, same: true },
    { a: { cron: '* * * * *' }, b: { cron: '*/2 * * * *' }, same: false },
    { a: { cron: '* * * * *' }, b: { cron: '* * * * *', timeZone: 'Europe/Berlin' }, same: false },
    { a: { cron: '* * * * *' }, b: { interval: '1m' }, same: false },
  ])('returns $same for $a and $b', ({ a, b, same }) => {
    expect(sameSchedule(compile(a), compile(b))).toBe(same);
    expect(sameSchedule(compile(b), compile(a))).toBe(same);
  });
});
