/**
 * Confidence of an answer from its token log-probabilities. The perplexity of
 * an answer is exp(-mean log-probability), the inverse of the geometric mean
 * of its token probabilities. Confidence is that geometric mean,
 * exp(mean log-probability) = 1 / perplexity, between 0 and 1: 1 means the
 * model was certain of every token.
 */

/**
 * Returns the arithmetic mean of natural log-probabilities, at most 0, or
 * undefined for an empty list. Servers round, and some return a log-probability
 * slightly above 0 for a certain token, so the mean is capped at 0 to keep
 * the confidence at most 1.
 */
export function meanLogprob(logprobs: readonly number[]): number | undefined {
  if (logprobs.length === 0) return undefined;
  const sum = logprobs.reduce((total, logprob) => total + logprob, 0);
  return Math.min(0, sum / logprobs.length);
}

/** Returns exp(-mean log-probability), at least 1, or undefined for an empty list. */
export function perplexityOf(logprobs: readonly number[]): number | undefined {
  const mean = meanLogprob(logprobs);
  return mean === undefined ? undefined : Math.exp(-mean);
}

/**
 * Returns exp(mean log-probability) = 1 / perplexity, in (0, 1], or undefined
 * for an empty list. A mean below about -745 underflows to 0.
 */
export function confidenceOf(logprobs: readonly number[]): number | undefined {
  const mean = meanLogprob(logprobs);
  return mean === undefined ? undefined : Math.exp(mean);
}
