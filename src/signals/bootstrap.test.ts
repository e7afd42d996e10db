import { describe, expect, it } from 'vitest';

import { bootstrapDriftThreshold } from './bootstrap.js';
import { cosineDistance, meanVector } from './cosine.js';
import { seededRandom } from '../util/random.js';

function noisyVectors(count: number, centre: readonly number[], spread: number, seed: number): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => centre.map((c) => c + (random() - 0.5) * spread));
}

describe('seededRandom', () => {
  it('same seed gives the same sequence', () => {
    const first = seededRandom(42);
    const second = seededRandom(42);

    expect([first(), first(), first()]).toEqual([second(), second(), second()]);
  });

  it('values lie in [0, 1)', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 1000 }, random);

    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});

describe('bootstrapDriftThreshold', () => {
  const baseline = noisyVectors(40, [1, 1, 1, 1], 0.6, 3);

  it('identical embeddings give threshold 0', () => {
    expect(bootstrapDriftThreshold([[1, 2], [1, 2], [1, 2]], 5)).toBe(0);
  });

  it('same seed gives the same threshold', () => {
    expect(bootstrapDriftThreshold(baseline, 5, { seed: 9 })).toBe(bootstrapDriftThreshold(baseline, 5, { seed: 9 }));
  });

  it('larger batches get a tighter threshold', () => {
    expect(bootstrapDriftThreshold(baseline, 20)).toBeLessThan(bootstrapDriftThreshold(baseline, 2));
  });

  it('batch from the baseline distribution stays below', () => {
    const batch = noisyVectors(10, [1, 1, 1, 1], 0.6, 11);

    expect(cosineDistance(meanVector(batch), meanVector(baseline))).toBeLessThan(bootstrapDriftThreshold(baseline, 10));
  });

  it('batch from a moved distribution exceeds it', () => {
    const batch = noisyVectors(10, [1, 1, 0, 0.2], 0.6, 11);

    expect(cosineDistance(meanVector(batch), meanVector(baseline))).toBeGreaterThan(bootstrapDriftThreshold(baseline, 10));
  });

  it('empty baseline throws a RangeError', () => {
    expect(() => bootstrapDriftThreshold([], 3)).toThrow(RangeError);
  });
});
