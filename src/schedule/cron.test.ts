import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';

import { CronSlotCache, CronSlots } from './cron.js';

describe('CronSlots', () => {
  it.each(['*/7 * * * *', '0 9 * * 1-5', '30 */6 1,15 * *', '15 */10 * * * *', '@daily'])(
    'gives the same UTC slots as croner with a time zone: %s',
    (pattern) => {
      const slots = new CronSlots(pattern, 'UTC');
      const reference = new Cron(pattern, { timezone: 'UTC' });
      let time = Date.parse('2024-02-28T22:13:07.250Z');

      for (let k = 0; k < 50; k++) {
        const expected = reference.nextRun(new Date(time))?.getTime();
        expect(slots.after(time)).toBe(expected);
        time = expected ?? NaN;
      }
    },
  );

  it.each([
    { pattern: '*/15 * * * *', timeZone: 'Europe/Paris', from: '2025-10-25T23:00:00Z' },
    { pattern: '*/15 * * * *', timeZone: 'Europe/Paris', from: '2025-03-30T00:00:00Z' },
    { pattern: '30 2 * * *', timeZone: 'America/New_York', from: '2025-03-08T00:00:00Z' },
    { pattern: '0 * * * *', timeZone: 'Australia/Lord_Howe', from: '2025-04-05T12:00:00Z' },
  ])('memoizes like direct croner calls in $timeZone from $from', ({ pattern, timeZone, from }) => {
    const slots = new CronSlots(pattern, timeZone);
    const reference = new Cron(pattern, { timezone: timeZone });
    let seed = 9;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    // Times in increasing order with random gaps, as tasks request them.
    let time = Date.parse(from);

    for (let k = 0; k < 400; k++) {
      time += Math.floor(random() * 20 * 60_000);
      expect(slots.after(time), new Date(time).toISOString()).toBe(reference.nextRun(new Date(time))?.getTime());
    }
  });

  it('returns slots strictly after the given time', () => {
    const slots = new CronSlots('* * * * *');
    const slotAt = Date.parse('2025-01-01T12:00:00Z');

    expect(slots.after(slotAt)).toBe(slotAt + 60_000);
    expect(slots.after(slotAt - 1)).toBe(slotAt);
  });

  it('rejects an unknown time zone when created', () => {
    expect(() => new CronSlots('* * * * *', 'Europe/Atlantis')).toThrow(
      'invalid time zone "Europe/Atlantis": use an IANA name such as UTC or Europe/Berlin',
    );
  });
});

describe('CronSlotCache', () => {
  it('shares one CronSlots per pattern and time zone', () => {
    const cache = new CronSlotCache();

    const first = cache.get('0 * * * *', 'Europe/Berlin');

    expect(cache.get('0 * * * *', 'Europe/Berlin')).toBe(first);
    expect(cache.get('0 * * * *', 'UTC')).not.toBe(first);
    expect(cache.get('5 * * * *', 'Europe/Berlin')).not.toBe(first);
  });
});
