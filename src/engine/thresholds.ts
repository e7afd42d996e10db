import type { ResolvedThresholds } from '../api/defaults.js';
import { HealthReason } from '../reasons.js';
import { formatPercent, formatSeconds } from './format.js';
import type { ThresholdViolation } from './result.js';

export interface TargetMeasurements {
  passRate: number;
  errorRate: number;
  latencyP95Seconds?: number;
}

/**
 * Compares one target's results with the thresholds. The order of the checks
 * is the order of importance: the first violation becomes the Healthy
 * condition's reason.
 */
export function evaluateThresholds(measured: TargetMeasurements, thresholds: ResolvedThresholds): ThresholdViolation[] {
  const violations: ThresholdViolation[] = [];
  if (thresholds.minPassRate !== undefined && measured.passRate < thresholds.minPassRate) {
    violations.push({
      reason: HealthReason.PassRateBelowMinimum,
      message: `pass rate ${formatPercent(measured.passRate)} is below the minimum ${formatPercent(thresholds.minPassRate)}`,
    });
  }
  if (thresholds.maxErrorRate !== undefined && measured.errorRate > thresholds.maxErrorRate) {
    violations.push({
      reason: HealthReason.ErrorRateAboveMaximum,
      message: `error rate ${formatPercent(measured.errorRate)} is above the maximum ${formatPercent(thresholds.maxErrorRate)}`,
    });
  }
  if (
    thresholds.maxLatencyP95Seconds !== undefined &&
    measured.latencyP95Seconds !== undefined &&
    measured.latencyP95Seconds > thresholds.maxLatencyP95Seconds
  ) {
    violations.push({
      reason: HealthReason.LatencyAboveMaximum,
      message: `p95 latency ${formatSeconds(measured.latencyP95Seconds)} is above the maximum ${formatSeconds(thresholds.maxLatencyP95Seconds)}`,
    });
  }
  return violations;
}
