import { describe, expect, it } from 'vitest';

import { cosineDistance, cosineSimilarity, meanVector } from './cosine.js';

describe('cosineSimilarity', () => {
  it.each([
    { name: 'same direction is 1', a: [1, 2, 3], b: [2, 4, 6], similarity: 1 },
    { name: 'orthogonal is 0', a: [1, 0], b: [0, 5], similarity: 0 },
    { name: 'opposite is -1', a: [1, -1], b: [-2, 2], similarity: -1 },
    // 1·4 + 2·5 + 3·6 = 32; |a| = √14, |b| = √77; 32 / √1078 = 0.974632.
    { name: 'hand-worked 3-d case', a: [1, 2, 3], b: [4, 5, 6], similarity: 0.974632 },
  ])('$name', ({ a, b, similarity }) => {
    expect(cosineSimilarity(a, b)).toBeCloseTo(similarity, 6);
  });

  it('distance is 1 minus similarity', () => {
    expect(cosineDistance([1, 2, 3], [4, 5, 6])).toBeCloseTo(1 - 0.974632, 6);
  });

  it('zero vector throws a RangeError', () => {
    expect(() => cosineSimilarity([0, 0], [1, 1])).toThrow(RangeError);
  });

  it('different dimensions throw a RangeError', () => {
    expect(() => cosineSimilarity([1], [1, 1])).toThrow(RangeError);
  });
});

describe('meanVector', () => {
  it('averages each component', () => {
    expect(meanVector([[1, 2], [3, 6]])).toEqual([2, 4]);
  });

  it('no vectors throws a RangeError', () => {
    expect(() => meanVector([])).toThrow(RangeError);
  });
});
