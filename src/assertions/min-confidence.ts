import { AssertionErrorReason } from '../reasons.js';
import { confidenceOf } from '../signals/confidence.js';
import type { Assertion } from './assertion.js';
import { expectValue } from './expect-value.js';

/**
 * Passes when the answer's confidence, exp(mean token log-probability), is at
 * least minConfidence. The score is the confidence. A response without token
 * log-probabilities cannot be judged, so it is an error, not a failure.
 */
export const minConfidence: Assertion = (spec, answer) => {
  const minimum = expectValue(spec, 'minConfidence');
  const confidence = confidenceOf(answer.tokenLogprobs ?? []);
  if (confidence === undefined) {
    return {
      kind: 'minConfidence',
      passed: false,
      error: { reason: AssertionErrorReason.LogprobsUnavailable },
      message: 'the provider returned no token log-probabilities, so the confidence is unknown: use a model or server that supports logprobs',
    };
  }

  const tokens = answer.tokenLogprobs?.length ?? 0;
  const figures = `confidence ${confidence.toFixed(3)} (perplexity ${(1 / confidence).toFixed(3)}, ${tokens} ${tokens === 1 ? 'token' : 'tokens'})`;
  return confidence >= Number(minimum)
    ? { kind: 'minConfidence', passed: true, score: confidence, message: `${figures} is at least ${minimum}` }
    : { kind: 'minConfidence', passed: false, score: confidence, message: `${figures} is below ${minimum}` };
};
