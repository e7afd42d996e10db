import { quantile as quantileOfSample } from 'simple-statistics';

/** The two-sided 95% normal quantile, z for 1 - 0.05 / 2. */
export const z95 = 1.959964;

/**
 * Returns the q-quantile (0 ≤ q ≤ 1) of a sample, or undefined for an empty
 * sample. It interpolates linearly between the two closest ranks, at rank
 * (n - 1) · q counted from 0: Hyndman and Fan's type 7, the default of R's
 * quantile() and NumPy's percentile(). simple-statistics 7.12 computes it in
 * linear time without sorting the whole sample. Throws a RangeError when q
 * is outside [0, 1].
 */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be between 0 and 1, got ${q}`);
  if (values.length === 0) return undefined;
  return quantileOfSample(values, q);
}

/**
 * Returns the lower bound of the Wilson score interval for a binomial
 * proportion: with confidence given by z (95% by default), the true pass
 * rate is at least this value. Unlike the plain ratio it stays cautious on
 * few samples, so 8 of 10 gives 0.4902 where 80 of 100 gives 0.7112.
 * Returns 0 when total is 0. Throws a RangeError unless
 * 0 ≤ successes ≤ total.
 *
 * Formula (Wilson 1927, with p̂ = successes / total and n = total):
 * (p̂ + z²/2n − z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n).
 */
export function wilsonLowerBound(successes: number, total: number, z: number = z95): number {
  if (!(successes >= 0 && successes <= total)) {
    throw new RangeError(`successes must be between 0 and total (${total}), got ${successes}`);
  }
  if (total === 0) return 0;

  const n = total;
  const p = successes / n;
  const zSquared = z * z;
  const centre = p + zSquared / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + zSquared / (4 * n * n));
  const bound = (centre - margin) / (1 + zSquared / n);

  // Rounding can leave a tiny negative number when successes is 0.
  return Math.max(0, bound);
}
