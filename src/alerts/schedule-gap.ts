/**
 * The maximum time between two runs that a schedule plans. It sizes the
 * alert windows, because a window must span several runs to judge a ratio,
 * and a monitor counts as not running only after several missed runs.
 */
import type { ScheduleSpec } from '../api/types.js';
import { CronSlots } from '../schedule/cron.js';
import { durationMs } from '../util/duration.js';

/** A fixed Friday, 00:00 UTC, so that the gaps of weekday schedules include a weekend and the result never depends on today's date. */
const cronSampleStartMs = Date.UTC(2025, 0, 3);
/** Cron slots sampled at most: enough for a week of runs every 5 minutes. */
const maxCronSlots = 5000;
/** Sampling stops at the first slot after this span, so that a yearly schedule still yields one gap. */
const cronSampleSpanMs = 400 * 24 * 3600_000;

const gapCache = new Map<string, number>();
const maxCachedPatterns = 256;

/**
 * Returns the longest time between two planned runs, in ms, without jitter.
 * For cron it is the largest gap between consecutive slots from a fixed date
 * on, computed in UTC: a time zone only moves slots by an hour where summer
 * time starts or ends. Throws on an invalid interval or cron expression.
 *
 * NOTE: cron gaps are sampled from at most 5000 slots, so a schedule that
 * fires every second on weekdays reports 1s and misses its weekend gap.
 */
export function scheduleGapMs(schedule: ScheduleSpec): number {
  if (schedule.interval !== undefined) return durationMs(schedule.interval);
  if (schedule.cron === undefined) throw new Error('invalid schedule: set exactly one of interval and cron');

  const cached = gapCache.get(schedule.cron);
  if (cached !== undefined) return cached;
  const gap = longestCronGapMs(new CronSlots(schedule.cron));
  if (gapCache.size >= maxCachedPatterns) gapCache.delete(gapCache.keys().next().value as string);
  gapCache.set(schedule.cron, gap);
  return gap;
}

function longestCronGapMs(slots: CronSlots): number {
  let previous = slots.after(cronSampleStartMs);
  if (previous === undefined) return cronSampleSpanMs;

  let longest = 0;
  for (let count = 1; count < maxCronSlots; count++) {
    const next = slots.after(previous);
    if (next === undefined) break;
    longest = Math.max(longest, next - previous);
    previous = next;
    if (previous > cronSampleStartMs + cronSampleSpanMs) break;
  }
  // A schedule with a single slot left has no gap; treat it as running once per sampled span.
  return longest === 0 ? cronSampleSpanMs : longest;
}
