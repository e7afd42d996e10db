import type { Assertion } from './assertion.js';
import { quoteExcerpt } from './message-format.js';
import { findRefusalPhrase, hasHedge } from './refusal-phrases.js';

/**
 * Passes unless the answer is a refusal: the provider stopped for a content
 * filter, Anthropic returned stop_reason "refusal" (Claude 4 models), or the
 * answer opens with a refusal phrase in English. The score is 1 for a clear
 * answer, 0.5 for an empty answer or one that opens with a hedge such as
 * "sorry" but no refusal phrase, and 0 for a refusal. `notRefusal: false`
 * checks nothing and passes.
 */
export const notRefusal: Assertion = (spec, answer) => {
  if (spec.notRefusal !== true) {
    return { kind: 'notRefusal', passed: true, message: 'notRefusal is false, so nothing was checked' };
  }

  if (answer.finishReason === 'content_filter') {
    return { kind: 'notRefusal', passed: false, score: 0, message: 'the provider stopped the answer with a content filter' };
  }
  if (answer.rawFinishReason === 'refusal') {
    return { kind: 'notRefusal', passed: false, score: 0, message: 'the provider stopped the answer as a refusal' };
  }

  const phrase = findRefusalPhrase(answer.text);
  if (phrase !== undefined) {
    return {
      kind: 'notRefusal',
      passed: false,
      score: 0,
      message: `answer opens with the refusal phrase "${phrase}": ${quoteExcerpt(answer.text)}`,
    };
  }

  if (answer.text.trim() === '') {
    return { kind: 'notRefusal', passed: true, score: 0.5, message: 'answer is empty, so it contains no refusal phrase' };
  }
  if (hasHedge(answer.text)) {
    return { kind: 'notRefusal', passed: true, score: 0.5, message: 'answer opens with a hedge but no refusal phrase' };
  }
  return { kind: 'notRefusal', passed: true, score: 1, message: 'answer is not a refusal' };
};
