import { describe, expect, it } from 'vitest';

import { RateSelector, createRandom } from './selection.js';

function selectedRequests(selector: RateSelector, count: number): number[] {
  const selected: number[] = [];
  for (let n = 1; n <= count; n += 1) if (selector.next()) selected.push(n);
  return selected;
}

describe('RateSelector', () => {
  it('hits exactly 2 of 10 requests at rate 0.2', () => {
    expect(selectedRequests(new RateSelector(0.2), 10)).toEqual([5, 10]);
  });

  const counts = [
    { rate: 0, count: 100, hits: 0 },
    { rate: 1, count: 100, hits: 100 },
    { rate: 0.1, count: 1000, hits: 100 },
    { rate: 0.29, count: 100, hits: 29 },
    { rate: 0.7, count: 10, hits: 7 },
    { rate: 1 / 3, count: 9, hits: 3 },
  ];

  it.each(counts)('hits $hits of $count requests at rate $rate', ({ rate, count, hits }) => {
    expect(selectedRequests(new RateSelector(rate), count)).toHaveLength(hits);
  });

  it('repeats random choices for the same seed', () => {
    const first = selectedRequests(new RateSelector(0.3, createRandom(7)), 200);
    const second = selectedRequests(new RateSelector(0.3, createRandom(7)), 200);
    const other = selectedRequests(new RateSelector(0.3, createRandom(8)), 200);

    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('hits about the rate at random', () => {
    const hits = selectedRequests(new RateSelector(0.3, createRandom(1)), 10_000).length;

    expect(hits).toBeGreaterThan(2800);
    expect(hits).toBeLessThan(3200);
  });
});
