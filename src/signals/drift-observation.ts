/**
 * What drift detection keeps of one probe's samples in one run: the
 * numeric and categorical features of its answered samples, compact enough
 * to store a few runs of them.
 */
import type { ProbeResult } from '../engine/result.js';

export interface ProbeObservation {
  /** Answer lengths in UTF-16 code units. */
  answerLengths: number[];
  outputTokens: number[];
  latencySeconds: number[];
  finishReasons: string[];
  /** pass or fail per answered sample. */
  outcomes: string[];
}

export const numericFeatures = ['answerLengths', 'outputTokens', 'latencySeconds'] as const;
export type NumericFeature = (typeof numericFeatures)[number];
export const categoricalFeatures = ['finishReasons', 'outcomes'] as const;
export type CategoricalFeature = (typeof categoricalFeatures)[number];

/** Returns the features of the probe's answered samples; failed requests have no answer to describe. */
export function observeProbe(probe: ProbeResult): ProbeObservation {
  const observation: ProbeObservation = { answerLengths: [], outputTokens: [], latencySeconds: [], finishReasons: [], outcomes: [] };
  for (const sample of probe.samples) {
    if (sample.error !== undefined) continue;
    observation.answerLengths.push(sample.answerLength ?? sample.answerExcerpt?.length ?? 0);
    if (sample.usage !== undefined) observation.outputTokens.push(sample.usage.outputTokens);
    // Milliseconds are enough to compare distributions and keep the stored state small.
    if (sample.latencySeconds !== undefined) observation.latencySeconds.push(Math.round(sample.latencySeconds * 1000) / 1000);
    observation.finishReasons.push(sample.finishReason ?? 'other');
    observation.outcomes.push(sample.passed ? 'pass' : 'fail');
  }
  return observation;
}

/** Concatenates the observations of several runs into one. */
export function poolObservations(observations: readonly ProbeObservation[]): ProbeObservation {
  return {
    answerLengths: observations.flatMap((o) => o.answerLengths),
    outputTokens: observations.flatMap((o) => o.outputTokens),
    latencySeconds: observations.flatMap((o) => o.latencySeconds),
    finishReasons: observations.flatMap((o) => o.finishReasons),
    outcomes: observations.flatMap((o) => o.outcomes),
  };
}
