/** Small statistics for benchmark figures. */

/** The q-quantile (0 to 1) of the values by the nearest-rank method, or undefined for no values. */
export function nearestRank(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

/** The median of the values, or undefined for no values. */
export function median(values: readonly number[]): number | undefined {
  return nearestRank(values, 0.5);
}

/** part / whole, or undefined when whole is not positive. */
export function ratio(part: number, whole: number): number | undefined {
  return whole > 0 ? part / whole : undefined;
}
