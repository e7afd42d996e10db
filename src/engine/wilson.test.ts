import { describe, expect, it } from 'vitest';

import { wilsonLowerBound } from './statistics.js';

describe('wilsonLowerBound against published values', () => {
  // Newcombe, "Two-sided confidence intervals for the single proportion", Statistics in Medicine 17 (1998), Table I, Wilson score method without continuity correction.
  it.each([
    { successes: 81, total: 263, bound: 0.2553 },
    { successes: 15, total: 148, bound: 0.0624 },
    { successes: 0, total: 20, bound: 0 },
    { successes: 1, total: 29, bound: 0.0061 },
  ])('$successes of $total is $bound', ({ successes, total, bound }) => {
    expect(wilsonLowerBound(successes, total)).toBeCloseTo(bound, 4);
  });

  // The values that the minPassRateLowerBound description quotes for a monitor with 3 samples.
  it.each([
    { successes: 3, total: 3, bound: 0.4385 },
    { successes: 2, total: 3, bound: 0.2077 },
    { successes: 1, total: 3, bound: 0.0615 },
    { successes: 80, total: 100, bound: 0.7112 },
  ])('$successes of $total is $bound as documented', ({ successes, total, bound }) => {
    expect(wilsonLowerBound(successes, total)).toBeCloseTo(bound, 4);
  });
});
