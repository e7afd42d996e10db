/**
 * The status the operator writes after a run: the Healthy condition, whose
 * reason is the first failing threshold, and the summary that
 * `kubectl get llmmonitors` shows in its columns.
 */
import type { LLMMonitorStatus, TargetStatus } from '../api/types.js';
import { formatPercent, formatSeconds } from '../engine/format.js';
import { mergeRecentFailures, type Redact } from '../engine/recent-failures.js';
import type { RunResult } from '../engine/result.js';
import { HealthReason } from '../reasons.js';
import { ConditionType, setCondition, type ConditionInput } from './conditions.js';
import { driftedCondition } from './drift-condition.js';

/** Status.targets is bounded like spec.targets (16), so one monitor's status stays small. */
const maxTargetsInStatus = 16;

export function healthyCondition(run: RunResult, generation: number | undefined): ConditionInput {
  const failing = run.targets.flatMap((t) => t.violations.map((v) => ({ target: t.target, ...v })));
  const condition: ConditionInput =
    failing.length === 0
      ? { type: ConditionType.Healthy, status: 'True', reason: HealthReason.ThresholdsMet, message: 'every target met its thresholds in the latest run' }
      : {
          type: ConditionType.Healthy,
          status: 'False',
          reason: failing[0]?.reason ?? HealthReason.PassRateBelowMinimum,
          message: failing.map((f) => `${f.target}: ${f.message}`).join('; '),
        };
  if (generation !== undefined) condition.observedGeneration = generation;
  return condition;
}

/**
 * Builds the status after a run on the previous one, so that other conditions
 * and transition times are kept. `redact` removes secrets from the answers and
 * reasons of recentFailures.
 */
export function statusAfterRun(
  previous: LLMMonitorStatus | undefined,
  run: RunResult,
  generation: number | undefined,
  nextRunAt: number | undefined,
  now: Date,
  redact: Redact = (text) => text,
): LLMMonitorStatus {
  const status: LLMMonitorStatus = {
    ...previous,
    conditions: setCondition(previous?.conditions, healthyCondition(run, generation), now),
    lastRunTime: rfc3339(new Date(run.startedAt)),
    passRate: formatPercent(run.passRate),
    errorRate: formatPercent(run.errorRate),
    targets: run.targets.slice(0, maxTargetsInStatus).map((t) => {
      const target: TargetStatus = {
        name: t.target,
        passRate: formatPercent(t.passRate),
        passRateLowerBound: formatPercent(t.passRateLowerBound),
        errorRate: formatPercent(t.errorRate),
        healthy: t.healthy,
      };
      if (t.latencyP95Seconds !== undefined) target.latencyP95 = formatSeconds(t.latencyP95Seconds);
      return target;
    }),
  };
  const drifted = driftedCondition(run, generation);
  if (drifted !== undefined) status.conditions = setCondition(status.conditions, drifted, now);
  else status.conditions = status.conditions?.filter((c) => c.type !== ConditionType.Drifted);
  if (generation !== undefined) status.observedGeneration = generation;
  if (run.latencyP95Seconds !== undefined) status.latencyP95 = formatSeconds(run.latencyP95Seconds);
  else delete status.latencyP95;
  if (nextRunAt !== undefined) status.nextRunTime = rfc3339(new Date(nextRunAt));
  const recentFailures = mergeRecentFailures(previous?.recentFailures, run, redact);
  if (recentFailures.length > 0) status.recentFailures = recentFailures;
  else delete status.recentFailures;
  return status;
}

/** Kubernetes serializes times to the second. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
