/** The Drifted condition from a run's drift figures. */
import type { RunResult } from '../engine/result.js';
import { DriftReason } from '../reasons.js';
import { ConditionType, type ConditionInput } from './conditions.js';

/** Returns the condition, or undefined when the monitor does not enable drift detection. */
export function driftedCondition(run: RunResult, generation: number | undefined): ConditionInput | undefined {
  if (run.drift === undefined) return undefined;

  const drifted = run.drift.filter((d) => d.finding !== undefined);
  const collecting = run.drift.filter((d) => d.scores === undefined);
  let condition: ConditionInput;
  if (drifted.length > 0) {
    const message = drifted.map((d) => `${d.target}/${d.probe}: ${d.finding}`).join('; ');
    condition = { type: ConditionType.Drifted, status: 'True', reason: DriftReason.DriftDetected, message };
  } else if (collecting.length > 0) {
    const message = `collecting the baseline: ${collecting.map((d) => `${d.target}/${d.probe} ${d.baselineRuns} runs`).join(', ')}`;
    condition = { type: ConditionType.Drifted, status: 'Unknown', reason: DriftReason.BaselineIncomplete, message };
  } else {
    condition = { type: ConditionType.Drifted, status: 'False', reason: DriftReason.NoDrift, message: 'no probe drifted from its baseline' };
  }
  if (generation !== undefined) condition.observedGeneration = generation;
  return condition;
}
