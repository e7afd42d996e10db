import type { Assertion } from './assertion.js';
import { parseAnswerJSON } from './answer-json.js';

/**
 * Passes when the answer is JSON, bare or in one Markdown code fence. Any
 * JSON value counts, a bare number or string included, so use
 * matchesJSONSchema with `type: object` to require an object.
 * `isJSON: false` checks nothing and passes.
 */
export const isJSON: Assertion = (spec, answer) => {
  if (spec.isJSON !== true) return { kind: 'isJSON', passed: true, message: 'isJSON is false, so nothing was checked' };

  const parsed = parseAnswerJSON(answer.text);
  if (!parsed.ok) return { kind: 'isJSON', passed: false, message: parsed.message };
  return {
    kind: 'isJSON',
    passed: true,
    message: parsed.fenced ? 'answer is valid JSON inside a code fence' : 'answer is valid JSON',
  };
};
