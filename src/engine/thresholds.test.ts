import { describe, expect, it } from 'vitest';

import { HealthReason } from '../reasons.js';
import { wilsonLowerBound } from './statistics.js';
import { evaluateThresholds } from './thresholds.js';

function measuredFrom(passed: number, total: number) {
  return { passRate: passed / total, passRateLowerBound: wilsonLowerBound(passed, total), errorRate: 0 };
}

describe('evaluateThresholds with minPassRateLowerBound', () => {
  it.each([
    { name: '3 of 3 is healthy', passed: 3, total: 3, healthy: true },
    { name: 'one failure in 3 is tolerated', passed: 2, total: 3, healthy: true },
    { name: 'two failures in 3 are not', passed: 1, total: 3, healthy: false },
    { name: '27 of 30 is healthy', passed: 27, total: 30, healthy: true },
    { name: '5 of 30 is not', passed: 5, total: 30, healthy: false },
  ])('$name', ({ passed, total, healthy }) => {
    const violations = evaluateThresholds(measuredFrom(passed, total), { minPassRateLowerBound: 0.2 });

    expect(violations.length === 0).toBe(healthy);
  });

  it('violation names the bound, the rate and the minimum', () => {
    const violations = evaluateThresholds(measuredFrom(1, 3), { minPassRateLowerBound: 0.2 });

    expect(violations).toEqual([
      { reason: HealthReason.PassRateLowerBoundBelowMinimum, message: 'lower bound 6.1% of the pass rate 33.3% is below the minimum 20%' },
    ]);
  });

  it('one failure in 3 still fails minPassRate', () => {
    const violations = evaluateThresholds(measuredFrom(2, 3), { minPassRate: 0.95, minPassRateLowerBound: 0.2 });

    expect(violations.map((v) => v.reason)).toEqual([HealthReason.PassRateBelowMinimum]);
  });
});
