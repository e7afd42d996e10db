/**
 * Tests for categorical features (finish reason, pass or fail): whether the
 * category counts of two or more groups come from one distribution.
 */
import { gammaln } from 'simple-statistics';

export interface ChiSquareResult {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

/**
 * Pearson's chi-square test of homogeneity on a contingency table: one row
 * per group (baseline, current), one column per category, counts in cells.
 * Categories that no group has are dropped before counting degrees of
 * freedom. With fewer than 2 non-empty rows or columns nothing can differ,
 * so the result is statistic 0, 0 degrees of freedom and p-value 1.
 * Throws a RangeError on a negative or non-integer count.
 */
export function chiSquareHomogeneity(table: readonly (readonly number[])[]): ChiSquareResult {
  validateCounts(table);
  const rows = table.filter((row) => sum(row) > 0);
  const columnCount = Math.max(0, ...rows.map((row) => row.length));
  const columnTotals = Array.from({ length: columnCount }, (_, c) => sum(rows.map((row) => row[c] ?? 0)));
  const columns = columnTotals.flatMap((total, c) => (total > 0 ? [c] : []));
  const degreesOfFreedom = (rows.length - 1) * (columns.length - 1);
  if (degreesOfFreedom <= 0) return { statistic: 0, degreesOfFreedom: 0, pValue: 1 };

  const grandTotal = sum(columnTotals);
  let statistic = 0;
  for (const row of rows) {
    const rowTotal = sum(row);
    for (const c of columns) {
      const expected = (rowTotal * (columnTotals[c] as number)) / grandTotal;
      const observed = row[c] ?? 0;
      statistic += ((observed - expected) ** 2) / expected;
    }
  }
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
}

/**
 * Returns P(X ≥ x) for a chi-square distribution with k degrees of freedom:
 * the regularized upper incomplete gamma function Q(k/2, x/2), computed by
 * its power series when x/2 < k/2 + 1 and by its continued fraction above.
 */
export function chiSquareSurvival(x: number, degreesOfFreedom: number): number {
  if (!(degreesOfFreedom > 0)) throw new RangeError(`degrees of freedom must be positive, got ${degreesOfFreedom}`);
  if (x <= 0) return 1;
  const a = degreesOfFreedom / 2;
  const z = x / 2;
  return z < a + 1 ? 1 - lowerGammaSeries(a, z) : upperGammaContinuedFraction(a, z);
}

const maxIterations = 1000;
const epsilon = 1e-15;
const tiny = 1e-300;

function lowerGammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let total = term;
  for (let n = 1; n < maxIterations; n++) {
    term *= x / (a + n);
    total += term;
    if (Math.abs(term) < Math.abs(total) * epsilon) break;
  }
  return total * Math.exp(-x + a * Math.log(x) - gammaln(a));
}

/** Modified Lentz's method. */
function upperGammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < maxIterations; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < epsilon) break;
  }
  return Math.exp(-x + a * Math.log(x) - gammaln(a)) * h;
}

function validateCounts(table: readonly (readonly number[])[]): void {
  for (const row of table) {
    for (const count of row) {
      if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`contingency table counts must be non-negative integers, got ${count}`);
    }
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
