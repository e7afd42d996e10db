import { describe, expect, it } from 'vitest';

import { categoricalPValue, fisherExact } from './fisher-exact.js';

describe('fisherExact', () => {
  it.each([
    // Fisher's lady tasting tea: 3 of 4 cups right each way, p = 17/70 · 2 = 0.4857.
    { name: 'lady tasting tea', table: [[3, 1], [1, 3]] as const, p: 34 / 70 },
    // The example on Wikipedia's "Fisher's exact test" page (men and women dieting), p = 0.002759.
    { name: 'dieting example', table: [[1, 9], [11, 3]] as const, p: 0.002759 },
    { name: 'identical rows give 1', table: [[2, 2], [2, 2]] as const, p: 1 },
    // Only two tables have these margins, each with probability 1/2.
    { name: 'extreme split of two', table: [[1, 0], [0, 1]] as const, p: 1 },
    // Margins 5, 5, 5, 5: the two extreme tables each have probability 1/252.
    { name: 'perfect separation of ten', table: [[5, 0], [0, 5]] as const, p: 2 / 252 },
  ])('$name', ({ table, p }) => {
    expect(fisherExact(table)).toBeCloseTo(p, 6);
  });

  it('fractional count throws a RangeError', () => {
    expect(() => fisherExact([[1.5, 0], [0, 1]])).toThrow(RangeError);
  });
});

describe('categoricalPValue', () => {
  it('small 2×2 table uses Fisher', () => {
    expect(categoricalPValue([[3, 1], [1, 3]])).toBeCloseTo(34 / 70, 6);
  });

  it('small table with an empty category uses Fisher', () => {
    expect(categoricalPValue([[3, 0, 1], [1, 0, 3]])).toBeCloseTo(34 / 70, 6);
  });

  it('large 2×2 table uses chi-square', () => {
    expect(categoricalPValue([[10, 20], [20, 10]])).toBeCloseTo(0.009823, 6);
  });

  it('three categories use chi-square', () => {
    expect(categoricalPValue([[5, 10, 15], [10, 20, 30]])).toBeCloseTo(1, 10);
  });
});
