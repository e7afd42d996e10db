import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

function delays(backoff: Backoff, count: number): number[] {
  return Array.from({ length: count }, () => backoff.next());
}

describe('Backoff', () => {
  it.each([
    { name: 'lowest jitter halves each step', random: 0, expected: [100, 200, 400, 800, 1600, 3200, 5000, 5000] },
    { name: 'highest jitter reaches each step', random: 1, expected: [200, 400, 800, 1600, 3200, 6400, 10000, 10000] },
    { name: 'middle jitter', random: 0.5, expected: [150, 300, 600, 1200, 2400, 4800, 7500, 7500] },
  ])('doubles up to the maximum with $name', ({ random, expected }) => {
    const backoff = new Backoff({ initialMs: 200, maxMs: 10_000 }, () => random);

    expect(delays(backoff, expected.length)).toEqual(expected);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 200, maxMs: 10_000 }, () => 1);
    delays(backoff, 5);

    backoff.reset();

    expect(delays(backoff, 2)).toEqual([200, 400]);
  });

  it('raises a delay to the Retry-After', () => {
    const backoff = new Backoff({ initialMs: 200, maxMs: 1_000 }, () => 1);

    expect(backoff.next(5_000)).toBe(5_000);
    expect(backoff.next(100)).toBe(400);
  });

  it('stays finite after many failures', () => {
    const backoff = new Backoff({ initialMs: 200, maxMs: 30_000 }, () => 1);

    expect(delays(backoff, 2_000).at(-1)).toBe(30_000);
  });

  it.each([
    { initialMs: 0, maxMs: 100 },
    { initialMs: 200, maxMs: 100 },
    { initialMs: Number.NaN, maxMs: 100 },
  ])('rejects initialMs $initialMs with maxMs $maxMs', (options) => {
    expect(() => new Backoff(options)).toThrow('invalid backoff');
  });
});
