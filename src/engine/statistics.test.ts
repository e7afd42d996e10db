import { describe, expect, it } from 'vitest';

import { quantile, wilsonLowerBound } from './statistics.js';

describe('quantile', () => {
  it.each([
    { name: 'median of an even sample interpolates', values: [1, 2, 3, 4], q: 0.5, want: 2.5 },
    { name: 'first quartile interpolates between ranks', values: [1, 2, 3, 4], q: 0.25, want: 1.75 },
    { name: 'p95 of four values', values: [1, 2, 3, 4], q: 0.95, want: 3.85 },
    { name: 'p95 of 1 to 20', values: Array.from({ length: 20 }, (_, i) => i + 1), q: 0.95, want: 19.05 },
    { name: 'median of an odd sample is the middle value', values: [3, 6, 7, 8, 8, 9, 10, 13, 15, 16, 20], q: 0.5, want: 9 },
    { name: 'unsorted input gives the sorted result', values: [4, 1, 3, 2], q: 0.25, want: 1.75 },
    { name: 'q 0 is the minimum', values: [5, 2, 9], q: 0, want: 2 },
    { name: 'q 1 is the maximum', values: [5, 2, 9], q: 1, want: 9 },
    { name: 'single value for any q', values: [0.42], q: 0.95, want: 0.42 },
  ])('$name', ({ values, q, want }) => {
    expect(quantile(values, q)).toBeCloseTo(want, 12);
  });

  it('empty sample is undefined', () => {
    expect(quantile([], 0.95)).toBeUndefined();
  });

  it('input is not reordered', () => {
    const values = [4, 1, 3, 2];

    quantile(values, 0.5);

    expect(values).toEqual([4, 1, 3, 2]);
  });

  it.each([-0.1, 1.5, Number.NaN])('q %s throws a RangeError', (q) => {
    expect(() => quantile([1, 2], q)).toThrow(RangeError);
  });
});

describe('wilsonLowerBound', () => {
  it('8 of 10 at 95% is 0.4902', () => {
    expect(wilsonLowerBound(8, 10)).toBeCloseTo(0.4902, 4);
  });

  // Published in the README of the wilson-score-interval npm package (msn0), which uses z = 1.96.
  it.each([
    { successes: 430, total: 474, want: 0.8776750858242243 },
    { successes: 392, total: 436, want: 0.8672311846637769 },
    { successes: 10, total: 14, want: 0.4535045882751561 },
  ])('$successes of $total at z 1.96 matches the published value', ({ successes, total, want }) => {
    expect(wilsonLowerBound(successes, total, 1.96)).toBeCloseTo(want, 12);
  });

  it('0 of 0 is 0', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });

  it('0 successes is 0', () => {
    expect(wilsonLowerBound(0, 25)).toBe(0);
  });

  it('all successes stay below 1', () => {
    expect(wilsonLowerBound(10, 10)).toBeCloseTo(0.7225, 4);
  });

  it('more samples at one rate raise the bound', () => {
    expect(wilsonLowerBound(80, 100)).toBeGreaterThan(wilsonLowerBound(8, 10));
  });

  it('higher confidence lowers the bound', () => {
    expect(wilsonLowerBound(8, 10, 2.575829)).toBeLessThan(wilsonLowerBound(8, 10));
  });

  it.each([
    { successes: -1, total: 10 },
    { successes: 11, total: 10 },
    { successes: Number.NaN, total: 10 },
  ])('$successes of $total throws a RangeError', ({ successes, total }) => {
    expect(() => wilsonLowerBound(successes, total)).toThrow(RangeError);
  });
});
