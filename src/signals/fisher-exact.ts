/**
 * Fisher's exact test for a 2×2 table, used instead of chi-square when
 * counts are small (an expected count below 5), where the chi-square
 * approximation is poor.
 */
import { gammaln } from 'simple-statistics';

import { chiSquareHomogeneity } from './chi-square.js';

export type TwoByTwo = readonly [readonly [number, number], readonly [number, number]];

/**
 * Returns the two-sided p-value: the total probability, with the margins
 * fixed, of every table at most as probable as the observed one. A relative
 * tolerance of 1e-7 counts tables of equal probability despite rounding, as
 * R's fisher.test does. Throws a RangeError on a negative or non-integer count.
 */
export function fisherExact(table: TwoByTwo): number {
  const [[a, b], [c, d]] = table;
  for (const count of [a, b, c, d]) {
    if (!(Number.isInteger(count) && count >= 0)) throw new RangeError(`contingency table counts must be non-negative integers, got ${count}`);
  }
  const firstRow = a + b;
  const firstColumn = a + c;
  const total = a + b + c + d;
  const lowest = Math.max(0, firstRow + firstColumn - total);
  const highest = Math.min(firstRow, firstColumn);

  const observed = logHypergeometric(a, firstRow, firstColumn, total);
  let pValue = 0;
  for (let x = lowest; x <= highest; x++) {
    const logProbability = logHypergeometric(x, firstRow, firstColumn, total);
    if (logProbability <= observed + 1e-7) pValue += Math.exp(logProbability);
  }
  return Math.min(1, pValue);
}

/**
 * Tests a table of two groups over categories: Fisher's exact test when it
 * is 2×2 (after dropping empty categories) with an expected count below 5,
 * and chi-square otherwise.
 */
export function categoricalPValue(table: readonly (readonly number[])[]): number {
  const twoByTwo = asSmallTwoByTwo(table);
  return twoByTwo === undefined ? chiSquareHomogeneity(table).pValue : fisherExact(twoByTwo);
}

function asSmallTwoByTwo(table: readonly (readonly number[])[]): TwoByTwo | undefined {
  const [first, second] = table;
  if (table.length !== 2 || first === undefined || second === undefined) return undefined;
  const width = Math.max(first.length, second.length);
  const columns = Array.from({ length: width }, (_, c) => c).filter((c) => (first[c] ?? 0) + (second[c] ?? 0) > 0);
  if (columns.length !== 2) return undefined;

  const [left, right] = columns as [number, number];
  const cells: TwoByTwo = [
    [first[left] ?? 0, first[right] ?? 0],
    [second[left] ?? 0, second[right] ?? 0],
  ];
  const total = cells[0][0] + cells[0][1] + cells[1][0] + cells[1][1];
  const rowTotals = [cells[0][0] + cells[0][1], cells[1][0] + cells[1][1]];
  const columnTotals = [cells[0][0] + cells[1][0], cells[0][1] + cells[1][1]];
  const smallestExpected = (Math.min(...rowTotals) * Math.min(...columnTotals)) / total;
  return smallestExpected < 5 ? cells : undefined;
}

/** log P(X = x) for X hypergeometric: x successes in a draw of `draws` from `total` with `successes` successes. */
function logHypergeometric(x: number, draws: number, successes: number, total: number): number {
  return logChoose(successes, x) + logChoose(total - successes, draws - x) - logChoose(total, draws);
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

function logFactorial(n: number): number {
  return n < 2 ? 0 : gammaln(n + 1);
}
