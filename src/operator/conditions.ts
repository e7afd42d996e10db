/**
 * Status conditions as the Kubernetes API conventions define them: a list
 * keyed by type, each with status, CamelCase reason, message,
 * lastTransitionTime and observedGeneration.
 */
import type { Condition } from '../api/types.js';

export const ConditionType = {
  /** The monitor is valid, its secrets resolve, and it is scheduled. */
  Ready: 'Ready',
  /** Every target met the thresholds in the latest run. */
  Healthy: 'Healthy',
  /** A probe's answers changed significantly against its baseline (only with spec.drift). */
  Drifted: 'Drifted',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export type ConditionInput = Omit<Condition, 'lastTransitionTime'>;

/**
 * Returns the conditions with `next` set. lastTransitionTime changes only
 * when the status changes, so a condition rewritten with the same status
 * keeps the time it last flipped.
 */
export function setCondition(conditions: readonly Condition[] | undefined, next: ConditionInput, now: Date): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  const previous = index === -1 ? undefined : list[index];
  const lastTransitionTime = previous !== undefined && previous.status === next.status ? previous.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const condition: Condition = { ...next, lastTransitionTime };
  if (index === -1) list.push(condition);
  else list[index] = condition;
  return list;
}

export function findCondition(conditions: readonly Condition[] | undefined, type: ConditionType): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
