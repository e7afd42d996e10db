import { chiSquaredDistributionTable } from 'simple-statistics';
import { describe, expect, it } from 'vitest';

import { chiSquareHomogeneity, chiSquareSurvival } from './chi-square.js';

describe('chiSquareHomogeneity', () => {
  /*
   * Worked by hand: rows (baseline, current) = [10, 20] and [20, 10].
   * Row and column totals are all 30 of 60, so every expected count is 15,
   * and χ² = 4 · (10 − 15)² / 15 = 6.6667 with (2 − 1)(2 − 1) = 1 degree of
   * freedom. For 1 degree of freedom P(X ≥ x) = erfc(√(x/2)) = erfc(1.8257) = 0.009823.
   */
  it('hand-worked 2×2 table', () => {
    const result = chiSquareHomogeneity([
      [10, 20],
      [20, 10],
    ]);

    expect(result.statistic).toBeCloseTo(6.6667, 4);
    expect(result.degreesOfFreedom).toBe(1);
    expect(result.pValue).toBeCloseTo(0.009823, 6);
  });

  it.each([
    { name: 'equal proportions give 0', table: [[5, 10, 15], [10, 20, 30]], statistic: 0, degreesOfFreedom: 2 },
    { name: 'empty category is dropped', table: [[10, 0, 20], [20, 0, 10]], statistic: 20 / 3, degreesOfFreedom: 1 },
    { name: 'single category cannot differ', table: [[7], [9]], statistic: 0, degreesOfFreedom: 0 },
    { name: 'empty group cannot differ', table: [[0, 0], [3, 4]], statistic: 0, degreesOfFreedom: 0 },
    { name: 'ragged rows count missing cells as 0', table: [[10, 20], [20, 10, 0]], statistic: 20 / 3, degreesOfFreedom: 1 },
  ])('$name', ({ table, statistic, degreesOfFreedom }) => {
    const result = chiSquareHomogeneity(table);

    expect(result.statistic).toBeCloseTo(statistic, 10);
    expect(result.degreesOfFreedom).toBe(degreesOfFreedom);
  });

  it('negative count throws a RangeError', () => {
    expect(() => chiSquareHomogeneity([[1, -1], [2, 2]])).toThrow(RangeError);
  });
});

describe('chiSquareSurvival', () => {
  // simple-statistics tabulates critical values to two decimals, so the p-values agree to about 0.001.
  const cases = ([1, 2, 3, 5, 10, 20] as const).flatMap((df) =>
    (['0.1', '0.05', '0.01'] as const).map((p) => ({ df, p: Number(p), x: chiSquaredDistributionTable[df]?.[p] ?? Number.NaN })),
  );

  it.each(cases)('critical value $x with $df degrees of freedom has p $p', ({ df, p, x }) => {
    expect(Math.abs(chiSquareSurvival(x, df) - p)).toBeLessThan(0.0015);
  });

  it.each([
    { x: 3.841459, df: 1, p: 0.05 },
    { x: 5.991465, df: 2, p: 0.05 },
    { x: 9.487729, df: 4, p: 0.05 },
    { x: 6.634897, df: 1, p: 0.01 },
  ])('exact critical value $x with $df degrees of freedom', ({ x, df, p }) => {
    expect(chiSquareSurvival(x, df)).toBeCloseTo(p, 6);
  });

  it('is 1 at 0', () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});
