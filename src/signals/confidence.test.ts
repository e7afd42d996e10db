import { describe, expect, it } from 'vitest';

import { confidenceOf, meanLogprob, perplexityOf } from './confidence.js';

describe('confidence from token log-probabilities', () => {
  // Worked by hand: confidence = exp(mean), perplexity = exp(-mean).
  it.each([
    { name: 'three tokens', logprobs: [-0.1, -0.2, -0.3], mean: -0.2, confidence: 0.818730753077982, perplexity: 1.221402758160170 },
    { name: 'certain tokens', logprobs: [0, 0], mean: 0, confidence: 1, perplexity: 1 },
    { name: 'coin flips', logprobs: [-Math.LN2, -Math.LN2], mean: -Math.LN2, confidence: 0.5, perplexity: 2 },
    // (ln 1/2 + ln 1/8) / 2 = -2 ln 2, so the geometric mean of 1/2 and 1/8 is 1/4.
    { name: 'one half and one eighth', logprobs: [-Math.LN2, -3 * Math.LN2], mean: -2 * Math.LN2, confidence: 0.25, perplexity: 4 },
    { name: 'one token of -1', logprobs: [-1], mean: -1, confidence: 0.367879441171442, perplexity: Math.E },
    { name: 'rounding above 0 caps at 1', logprobs: [0.002, -0.001], mean: 0, confidence: 1, perplexity: 1 },
  ])('$name', ({ logprobs, mean, confidence, perplexity }) => {
    expect(meanLogprob(logprobs)).toBeCloseTo(mean, 12);
    expect(confidenceOf(logprobs)).toBeCloseTo(confidence, 12);
    expect(perplexityOf(logprobs)).toBeCloseTo(perplexity, 12);
  });

  it('confidence is the inverse of perplexity', () => {
    const logprobs = [-0.05, -1.7, -0.3, -0.0001];

    expect((confidenceOf(logprobs) ?? 0) * (perplexityOf(logprobs) ?? 0)).toBeCloseTo(1, 12);
  });

  it('empty list has no confidence', () => {
    expect(meanLogprob([])).toBeUndefined();
    expect(confidenceOf([])).toBeUndefined();
    expect(perplexityOf([])).toBeUndefined();
  });
});
