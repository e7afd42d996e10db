/**
 * The population stability index (PSI): how far the distribution of a
 * numeric feature moved from a baseline, summed over bins as
 * Σ (aᵢ − eᵢ)·ln(aᵢ / eᵢ) with eᵢ the baseline share and aᵢ the current share.
 */
import { quantileSorted } from 'simple-statistics';

/** The usual reading of PSI in credit scoring: below 0.1 stable, 0.1 to 0.25 a moderate shift, 0.25 and above significant. */
export type PsiBand = 'stable' | 'moderate' | 'significant';

export const psiModerate = 0.1;
export const psiSignificant = 0.25;

export interface PsiResult {
  value: number;
  band: PsiBand;
}

/** Default number of bins: deciles of the baseline. */
export const defaultPsiBins = 10;

/**
 * An empty bin would make ln(aᵢ / eᵢ) infinite, so empty shares count as
 * this small share instead, a common choice in PSI implementations.
 */
export const emptyBinShare = 1e-4;

/**
 * Computes PSI from bin shares of the baseline and the current sample.
 * Throws a RangeError when the lists differ in length or are empty.
 */
export function psiFromShares(baseline: readonly number[], current: readonly number[]): PsiResult {
  if (baseline.length === 0 || baseline.length !== current.length) {
    throw new RangeError(`PSI needs two share lists of one non-zero length, got ${baseline.length} and ${current.length}`);
  }
  let value = 0;
  for (let i = 0; i < baseline.length; i++) {
    const expected = Math.max(baseline[i] as number, emptyBinShare);
    const actual = Math.max(current[i] as number, emptyBinShare);
    value += (actual - expected) * Math.log(actual / expected);
  }
  return { value, band: psiBand(value) };
}

/**
 * Computes PSI between two samples, with bin edges at the baseline's
 * quantiles (deciles by default). Repeated edges, from a baseline with many
 * equal values, merge into one bin. Throws a RangeError when a sample is empty.
 */
export function psi(baseline: readonly number[], current: readonly number[], bins: number = defaultPsiBins): PsiResult {
  if (baseline.length === 0 || current.length === 0) {
    throw new RangeError(`PSI needs two non-empty samples, got sizes ${baseline.length} and ${current.length}`);
  }
  const edges = quantileEdges(baseline, bins);
  return psiFromShares(binShares(baseline, edges), binShares(current, edges));
}

export function psiBand(value: number): PsiBand {
  if (value >= psiSignificant) return 'significant';
  if (value >= psiModerate) return 'moderate';
  return 'stable';
}

/** Inner edges: a value v falls in bin i when edges[i-1] < v ≤ edges[i]. */
function quantileEdges(sample: readonly number[], bins: number): number[] {
  const sorted = [...sample].sort((a, b) => a - b);
  const edges = Array.from({ length: bins - 1 }, (_, i) => quantileSorted(sorted, (i + 1) / bins));
  return [...new Set(edges)];
}

function binShares(sample: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const value of sample) {
    let bin = edges.findIndex((edge) => value <= edge);
    if (bin === -1) bin = edges.length;
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts.map((count) => count / sample.length);
}
