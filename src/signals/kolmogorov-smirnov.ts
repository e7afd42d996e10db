/**
 * The two-sample Kolmogorov–Smirnov test: whether two samples of a numeric
 * feature (answer length, latency) come from the same distribution.
 */

export interface KolmogorovSmirnovResult {
  /** D, the largest gap between the two empirical distribution functions, between 0 and 1. */
  statistic: number;
  /** Probability of a gap at least D when both samples come from one distribution. */
  pValue: number;
}

/**
 * Computes D and its asymptotic p-value. The p-value uses the Kolmogorov
 * distribution at λ = (√nₑ + 0.12 + 0.11/√nₑ)·D with nₑ = n·m/(n + m),
 * which includes Stephens' small-sample correction. Throws a RangeError
 * when a sample is empty.
 *
 * NOTE: the asymptotic p-value is approximate for samples below about 20
 * values each, where it can be well below the exact one: drift tests on such
 * small samples should ask for a stricter p-value.
 */
export function kolmogorovSmirnov(first: readonly number[], second: readonly number[]): KolmogorovSmirnovResult {
  if (first.length === 0 || second.length === 0) {
    throw new RangeError(`Kolmogorov–Smirnov needs two non-empty samples, got sizes ${first.length} and ${second.length}`);
  }
  const statistic = maxDistributionGap(first, second);

  const effectiveSize = (first.length * second.length) / (first.length + second.length);
  const root = Math.sqrt(effectiveSize);
  const lambda = (root + 0.12 + 0.11 / root) * statistic;
  return { statistic, pValue: kolmogorovSurvival(lambda) };
}

/** Walks both sorted samples in step. Ties advance both sides before the gap is measured. */
function maxDistributionGap(first: readonly number[], second: readonly number[]): number {
  const a = [...first].sort((x, y) => x - y);
  const b = [...second].sort((x, y) => x - y);
  let i = 0;
  let j = 0;
  let gap = 0;
  while (i < a.length && j < b.length) {
    const value = Math.min(a[i] as number, b[j] as number);
    while (i < a.length && a[i] === value) i++;
    while (j < b.length && b[j] === value) j++;
    gap = Math.max(gap, Math.abs(i / a.length - j / b.length));
  }
  return gap;
}

/**
 * Returns Q(λ) = 2 Σ_{k≥1} (−1)^(k−1) e^(−2k²λ²), the probability that the
 * Kolmogorov distribution exceeds λ. Q(1.358) ≈ 0.05 and Q(1.628) ≈ 0.01.
 */
export function kolmogorovSurvival(lambda: number): number {
  // The series converges slowly near 0, where Q is 1 to double precision anyway.
  if (lambda < 0.2) return 1;

  let sum = 0;
  let sign = 1;
  for (let k = 1; k <= 100; k++) {
    const term = sign * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12 * Math.abs(sum)) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
