import { describe, expect, it } from 'vitest';

import { kolmogorovSmirnov, kolmogorovSurvival } from './kolmogorov-smirnov.js';

describe('kolmogorovSmirnov', () => {
  /*
   * Worked by hand: first = [1, 2, 3, 4], second = [3, 4, 5, 6].
   * The empirical distribution functions after each distinct value:
   *   value  F₁    F₂    |F₁ − F₂|
   *   1      0.25  0     0.25
   *   2      0.50  0     0.50
   *   3      0.75  0.25  0.50
   *   4      1     0.50  0.50
   *   5, 6   1     …     ≤ 0.50
   * so D = 0.5. With nₑ = 4·4/8 = 2, λ = (√2 + 0.12 + 0.11/√2)·0.5 = 0.80600,
   * and Q(λ) = 2(e^(−2λ²) − e^(−8λ²) + e^(−18λ²) − …) = 2(0.272727 − 0.005532 + 0.000008) = 0.534406.
   */
  it('hand-worked example gives D 0.5 and p 0.5344', () => {
    const result = kolmogorovSmirnov([1, 2, 3, 4], [3, 4, 5, 6]);

    expect(result.statistic).toBe(0.5);
    expect(result.pValue).toBeCloseTo(0.5344, 4);
  });

  it.each([
    { name: 'identical samples have D 0', first: [1, 2, 3], second: [3, 2, 1], statistic: 0 },
    { name: 'disjoint samples have D 1', first: [1, 2, 3], second: [4, 5, 6], statistic: 1 },
    { name: 'sizes may differ', first: [1, 2], second: [1, 2, 3, 4], statistic: 0.5 },
    { name: 'ties across samples count together', first: [1, 1, 2], second: [1, 2, 2], statistic: 1 / 3 },
  ])('$name', ({ first, second, statistic }) => {
    expect(kolmogorovSmirnov(first, second).statistic).toBeCloseTo(statistic, 12);
  });

  it('identical samples have p-value 1', () => {
    expect(kolmogorovSmirnov([5, 6, 7], [5, 6, 7]).pValue).toBe(1);
  });

  it('well separated large samples have a tiny p-value', () => {
    const first = Array.from({ length: 50 }, (_, i) => i);
    const second = Array.from({ length: 50 }, (_, i) => i + 40);

    expect(kolmogorovSmirnov(first, second).pValue).toBeLessThan(1e-10);
  });

  it('empty sample throws a RangeError', () => {
    expect(() => kolmogorovSmirnov([], [1])).toThrow(RangeError);
  });
});

describe('kolmogorovSurvival', () => {
  // Critical values of the Kolmogorov distribution, as tabulated in statistics texts (Smirnov 1948).
  it.each([
    { lambda: 1.2238, p: 0.1 },
    { lambda: 1.3581, p: 0.05 },
    { lambda: 1.4802, p: 0.025 },
    { lambda: 1.6276, p: 0.01 },
    { lambda: 1.9495, p: 0.001 },
  ])('Q($lambda) is $p', ({ lambda, p }) => {
    expect(kolmogorovSurvival(lambda)).toBeCloseTo(p, 4);
  });

  it('is 1 near 0', () => {
    expect(kolmogorovSurvival(0)).toBe(1);
  });
});
