import { describe, expect, it } from 'vitest';

import { psi, psiBand, psiFromShares } from './psi.js';

describe('psiFromShares', () => {
  /*
   * Worked by hand: baseline shares [0.5, 0.5], current shares [0.7, 0.3].
   *   (0.7 − 0.5)·ln(0.7/0.5) = 0.2 · 0.336472 = 0.067294
   *   (0.3 − 0.5)·ln(0.3/0.5) = −0.2 · −0.510826 = 0.102165
   * PSI = 0.169460, between 0.1 and 0.25: a moderate shift.
   */
  it('hand-worked example is a moderate shift', () => {
    const result = psiFromShares([0.5, 0.5], [0.7, 0.3]);

    expect(result.value).toBeCloseTo(0.16946, 5);
    expect(result.band).toBe('moderate');
  });

  it('equal shares give 0', () => {
    expect(psiFromShares([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]).value).toBe(0);
  });

  it('empty bin counts as a small share instead of infinity', () => {
    const result = psiFromShares([0.5, 0.5], [1, 0]);

    expect(Number.isFinite(result.value)).toBe(true);
    expect(result.band).toBe('significant');
  });

  it('lists of different lengths throw a RangeError', () => {
    expect(() => psiFromShares([1], [0.5, 0.5])).toThrow(RangeError);
  });
});

describe('psiBand', () => {
  it.each([
    { value: 0, band: 'stable' },
    { value: 0.0999, band: 'stable' },
    { value: 0.1, band: 'moderate' },
    { value: 0.2499, band: 'moderate' },
    { value: 0.25, band: 'significant' },
    { value: 3, band: 'significant' },
  ])('$value is $band', ({ value, band }) => {
    expect(psiBand(value)).toBe(band);
  });
});

describe('psi', () => {
  const baseline = Array.from({ length: 100 }, (_, i) => i + 1);

  it('same sample is stable at 0', () => {
    expect(psi(baseline, baseline).value).toBe(0);
  });

  it('shifted sample is significant', () => {
    const shifted = baseline.map((v) => v + 50);

    expect(psi(baseline, shifted).band).toBe('significant');
  });

  it('two bins reproduce the hand-worked shares', () => {
    // The baseline median is 50.5, so the bins are ≤ 50.5 and above: 70 and 30 of the current sample.
    const current = [...Array.from({ length: 70 }, () => 10), ...Array.from({ length: 30 }, () => 90)];

    expect(psi(baseline, current, 2).value).toBeCloseTo(0.16946, 5);
  });

  it('constant baseline merges its bins', () => {
    expect(psi([5, 5, 5, 5], [5, 5, 5, 5]).value).toBe(0);
  });

  it('empty sample throws a RangeError', () => {
    expect(() => psi([], [1])).toThrow(RangeError);
  });
});
