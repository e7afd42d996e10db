import type { ResolvedThresholds } from '../api/defaults.js';
import { HealthReason } from '../reasons.js';
import { formatPercent, formatSeconds } from './format.js';
import type { ThresholdViolation } from './result.js';

export interface TargetMeasurements {
  passRate: number;
  passRateLowerBound: number;
  errorRate: number;
  /** Failed requests by reason, named in the message so people see why without reading logs. */
  errorsByReason?: Partial<Record<string, number>>;
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
  if (thresholds.minPassRateLowerBound !== undefined && measured.passRateLowerBound < thresholds.minPassRateLowerBound) {
    violations.push({
      reason: HealthReason.PassRateLowerBoundBelowMinimum,
      message: `lower bound ${formatPercent(measured.passRateLowerBound)} of the pass rate ${formatPercent(measured.passRate)} is below the minimum ${formatPercent(thresholds.minPassRateLowerBound)}`,
    });
  }
  if (thresholds.maxErrorRate !== undefined && measured.errorRate > thresholds.maxErrorRate) {
    violations.push({
      reason: HealthReason.ErrorRateAboveMaximum,
      message: `error rate ${formatPercent(measured.errorRate)} is above the maximum ${formatPercent(thresholds.maxErrorRate)}${describeErrors(measured.errorsByReason)}`,
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

/** Formats failures by reason, most frequent first: " (RateLimited: 3, Timeout: 1)". */
function describeErrors(errorsByReason: Partial<Record<string, number>> | undefined): string {
  const entries = Object.entries(errorsByReason ?? {}).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0);
  if (entries.length === 0) return '';
  return ` (${entries
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => `${reason}: ${count}`)
    .join(', ')})`;
}
