import { describe, expect, it } from 'vitest';

import type { ChatResponse } from '../providers/provider.js';
import { AssertionErrorReason } from '../reasons.js';
import { minConfidence } from './min-confidence.js';

function answerWith(tokenLogprobs?: number[]): ChatResponse {
  const answer: ChatResponse = { text: 'Paris', finishReason: 'stop', latencySeconds: 0.1 };
  if (tokenLogprobs !== undefined) answer.tokenLogprobs = tokenLogprobs;
  return answer;
}

describe('minConfidence', () => {
  // Mean log-probability -0.2, so the confidence is exp(-0.2) = 0.8187.
  it.each([
    { name: 'confidence above the minimum passes', minimum: '0.8', passed: true },
    { name: 'confidence equal to the minimum passes', minimum: '0.5', passed: true, logprobs: [-Math.LN2, -Math.LN2] },
    { name: 'confidence below the minimum fails', minimum: '0.82', passed: false },
    { name: 'minimum of 1 fails an uncertain answer', minimum: '1', passed: false },
  ])('$name', ({ minimum, passed, logprobs }) => {
    const result = minConfidence({ minConfidence: minimum }, answerWith(logprobs ?? [-0.1, -0.2, -0.3]));

    expect(result.passed).toBe(passed);
    expect(result.error).toBeUndefined();
    expect(result.kind).toBe('minConfidence');
  });

  it('score is the confidence', () => {
    const result = minConfidence({ minConfidence: '0.9' }, answerWith([-0.1, -0.2, -0.3]));

    expect(result.score).toBeCloseTo(0.818730753077982, 12);
  });

  it('message gives confidence, perplexity and token count', () => {
    const result = minConfidence({ minConfidence: '0.9' }, answerWith([-0.1, -0.2, -0.3]));

    expect(result.message).toBe('confidence 0.819 (perplexity 1.221, 3 tokens) is below 0.9');
  });

  it.each([
    { name: 'response without log-probabilities', logprobs: undefined },
    { name: 'empty list of log-probabilities', logprobs: [] },
  ])('$name is an error', ({ logprobs }) => {
    const result = minConfidence({ minConfidence: '0.5' }, answerWith(logprobs));

    expect(result.passed).toBe(false);
    expect(result.error).toEqual({ reason: AssertionErrorReason.LogprobsUnavailable });
    expect(result.score).toBeUndefined();
    expect(result.message).toMatch(/^the provider returned no token log-probabilities/);
  });
});
