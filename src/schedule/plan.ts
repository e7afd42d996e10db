import type { ScheduleSpec } from '../api/types.js';
import { durationMs, parsePercent } from '../util/duration.js';
import { CronSlots, defaultTimeZone } from './cron.js';

/** The jitter of schedules that set none. */
export const defaultJitter = '10%';

/** A schedule with its duration, percent and cron expression parsed. */
export type CompiledSchedule = CompiledInterval | CompiledCron;

export interface CompiledInterval {
  kind: 'interval';
  intervalMs: number;
  /** Share of the interval, from 0 to 1, by which a run may start after its slot. */
  jitter: number;
}

export interface CompiledCron {
  kind: 'cron';
  slots: CronSlots;
  /** Share of the time to the following slot, from 0 to 1, by which a run may start after its slot. */
  jitter: number;
}

/**
 * One planned run. The slot is the time that the schedule defines, and the next
 * plan starts from it. The run starts at `plannedAt`, the slot plus jitter.
 */
export interface PlannedRun {
  slotAt: number;
  plannedAt: number;
}

/**
 * Parses a schedule. Throws if it sets neither or both of interval and cron,
 * or if the interval, jitter, cron expression or time zone is invalid.
 * `cronSlotsFor` lets a caller share CronSlots between tasks.
 */
export function compileSchedule(
  spec: ScheduleSpec,
  cronSlotsFor: (pattern: string, timeZone: string) => CronSlots = (pattern, timeZone) => new CronSlots(pattern, timeZone),
): CompiledSchedule {
  const jitter = parseJitter(spec.jitter ?? defaultJitter);
  if ((spec.interval === undefined) === (spec.cron === undefined)) {
    throw new Error('invalid schedule: set exactly one of interval and cron');
  }

  if (spec.interval !== undefined) {
    const intervalMs = durationMs(spec.interval);
    if (intervalMs <= 0) throw new Error(`invalid schedule interval "${spec.interval}": it must be longer than 0`);
    return { kind: 'interval', intervalMs, jitter };
  }

  return { kind: 'cron', slots: cronSlotsFor(spec.cron as string, spec.timeZone ?? defaultTimeZone), jitter };
}

function parseJitter(text: string): number {
  const jitter = parsePercent(text);
  if (!text.endsWith('%') || !Number.isFinite(jitter) || jitter < 0 || jitter > 1) {
    throw new Error(`invalid schedule jitter "${text}": use a percentage from 0% to 100%, such as 10%`);
  }
  return jitter;
}

/** Returns whether two schedules plan the same slots and jitter, so that a task can keep its plan. */
export function sameSchedule(a: CompiledSchedule, b: CompiledSchedule): boolean {
  if (a.jitter !== b.jitter) return false;
  if (a.kind === 'interval') return b.kind === 'interval' && a.intervalMs === b.intervalMs;
  return b.kind === 'cron' && a.slots.pattern === b.slots.pattern && a.slots.timeZone === b.slots.timeZone;
}

/**
 * Plans the run after the one in slot `previousSlotAt`: the first slot after
 * both `previousSlotAt` and `now`, plus a jitter drawn with `random` (which
 * returns values in [0, 1) like Math.random). Slots that passed while the
 * scheduler was behind, for example while the event loop was blocked, are
 * dropped rather than run in a burst. Returns undefined when the schedule has
 * no further slot, which only a cron expression can cause.
 *
 * For an interval the slots are previousSlotAt + k * interval, so repeated
 * planning stays on the grid of the first slot and never drifts. The jitter
 * is uniform in [0, jitter * interval). For cron it is uniform in
 * [0, jitter * (following slot - slot)), so that a run still starts before the
 * following slot. A last slot gets no jitter.
 */
export function nextPlannedTime(
  schedule: CompiledSchedule,
  previousSlotAt: number,
  now: number,
  random: () => number,
): PlannedRun | undefined {
  if (schedule.kind === 'interval') return nextIntervalRun(schedule, previousSlotAt, now, random);
  return nextCronRun(schedule, previousSlotAt, now, random);
}

function nextIntervalRun(schedule: CompiledInterval, previousSlotAt: number, now: number, random: () => number): PlannedRun {
  const { intervalMs, jitter } = schedule;
  const passedSlots = Math.floor((now - previousSlotAt) / intervalMs);
  const slotAt = previousSlotAt + Math.max(1, passedSlots + 1) * intervalMs;
  return { slotAt, plannedAt: slotAt + jitterOffsetMs(random, jitter * intervalMs) };
}

function nextCronRun(schedule: CompiledCron, previousSlotAt: number, now: number, random: () => number): PlannedRun | undefined {
  const { slots, jitter } = schedule;
  // Requesting the slot after the previous one first lets tasks with the same pattern share the result.
  let slotAt = slots.after(previousSlotAt);
  if (slotAt !== undefined && slotAt <= now) slotAt = slots.after(now);
  if (slotAt === undefined) return undefined;

  const followingAt = slots.after(slotAt);
  const windowMs = followingAt === undefined ? 0 : jitter * (followingAt - slotAt);
  return { slotAt, plannedAt: slotAt + jitterOffsetMs(random, windowMs) };
}

/** Returns whole milliseconds in [0, windowMs), or 0 when the window is shorter than 1 ms. */
function jitterOffsetMs(random: () => number, windowMs: number): number {
  return Math.floor(random() * windowMs);
}
