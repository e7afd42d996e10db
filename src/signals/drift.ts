/**
 * Compares the recent runs of a probe with its baseline runs, feature by
 * feature: numeric features (answer length, output tokens, latency) with the
 * Kolmogorov–Smirnov test and PSI, categorical ones (finish reason, pass or
 * fail) with chi-square, or Fisher's exact test on small 2×2 tables.
 */
import { categoricalPValue } from './fisher-exact.js';
import { kolmogorovSmirnov } from './kolmogorov-smirnov.js';
import { psi } from './psi.js';
import { categoricalFeatures, numericFeatures, poolObservations, type ProbeObservation } from './drift-observation.js';

/** One score per method, each taken over the features as the most drifted one. */
export interface DriftScores {
  /** Largest Kolmogorov–Smirnov statistic D, from 0 to 1. */
  ks: number;
  /** Smallest Kolmogorov–Smirnov p-value. */
  ksPValue: number;
  /** Largest population stability index. */
  psi: number;
  /** Minimum number of values on either side among the numeric features that PSI compared. */
  psiSampleSize: number;
  /** Smallest p-value of chi-square or Fisher's exact test over the categorical features. */
  categoricalPValue: number;
  /** The feature with the strongest evidence of drift, for people. */
  feature: string;
}

export interface DriftLimits {
  /** A test's p-value below this counts as drift. */
  minPValue: number;
  /** A PSI at or above this counts as drift. */
  maxPsi: number;
}

/** Defaults: p below 0.001 keeps false alarms rare across 5 tests per probe, and 0.25 is the usual "significant shift" band of PSI. */
export const defaultDriftLimits: DriftLimits = { minPValue: 0.001, maxPsi: 0.25 };

/** Compares pooled baseline runs with pooled recent runs. Features without values on either side are skipped. */
export function compareRuns(baselineRuns: readonly ProbeObservation[], recentRuns: readonly ProbeObservation[]): DriftScores {
  const baseline = poolObservations(baselineRuns);
  const recent = poolObservations(recentRuns);
  const scores: DriftScores = { ks: 0, ksPValue: 1, psi: 0, psiSampleSize: 0, categoricalPValue: 1, feature: '' };
  let strongestPValue = 1;

  for (const feature of numericFeatures) {
    if (baseline[feature].length === 0 || recent[feature].length === 0) continue;
    const ks = kolmogorovSmirnov(baseline[feature], recent[feature]);
    scores.ks = Math.max(scores.ks, ks.statistic);
    scores.ksPValue = Math.min(scores.ksPValue, ks.pValue);
    const size = Math.min(baseline[feature].length, recent[feature].length);
    scores.psi = Math.max(scores.psi, psi(baseline[feature], recent[feature], psiBins(size)).value);
    scores.psiSampleSize = scores.psiSampleSize === 0 ? size : Math.min(scores.psiSampleSize, size);
    if (ks.pValue < strongestPValue) [strongestPValue, scores.feature] = [ks.pValue, feature];
  }
  for (const feature of categoricalFeatures) {
    if (baseline[feature].length === 0 || recent[feature].length === 0) continue;
    const pValue = categoricalPValue(contingencyTable(baseline[feature], recent[feature]));
    scores.categoricalPValue = Math.min(scores.categoricalPValue, pValue);
    if (pValue < strongestPValue) [strongestPValue, scores.feature] = [pValue, feature];
  }
  return scores;
}

/** Returns a sentence naming what drifted, or undefined when nothing passed a limit. */
export function driftFinding(scores: DriftScores, limits: DriftLimits): string | undefined {
  const findings: string[] = [];
  if (scores.ksPValue < limits.minPValue) findings.push(`Kolmogorov–Smirnov p-value ${formatP(scores.ksPValue)} (D ${scores.ks.toFixed(2)})`);
  if (scores.psi >= limits.maxPsi && scores.psiSampleSize >= minPsiSampleSize) findings.push(`PSI ${scores.psi.toFixed(2)}`);
  if (scores.categoricalPValue < limits.minPValue) findings.push(`categorical p-value ${formatP(scores.categoricalPValue)}`);
  if (findings.length === 0) return undefined;
  return `${findings.join(', ')}; strongest in ${scores.feature}`;
}

/**
 * PSI is a large-sample measure: on a few dozen values its bins are mostly
 * noise and its value swings far past 0.25 without any change. Below this
 * many values per side it is reported but does not count as drift.
 */
export const minPsiSampleSize = 50;

/** About 5 values per bin, from 2 bins up to the usual 10. */
function psiBins(size: number): number {
  return Math.min(10, Math.max(2, Math.floor(size / 5)));
}

function contingencyTable(baseline: readonly string[], recent: readonly string[]): number[][] {
  const categories = [...new Set([...baseline, ...recent])].sort();
  const count = (values: readonly string[]) => categories.map((c) => values.filter((v) => v === c).length);
  return [count(baseline), count(recent)];
}

function formatP(p: number): string {
  return p < 0.0001 ? p.toExponential(1) : p.toFixed(4);
}
