import type { Assertion } from './assertion.js';
import { expectValue } from './expect-value.js';

/** Passes when the normalized finish reason (stop, length, content_filter, tool_calls, other) is the expected one. */
export const finishReason: Assertion = (spec, answer) => {
  const expected = expectValue(spec, 'finishReason');

  const actual = answer.rawFinishReason === undefined
    ? `"${answer.finishReason}"`
    : `"${answer.finishReason}" (provider: ${JSON.stringify(answer.rawFinishReason)})`;
  return answer.finishReason === expected
    ? { kind: 'finishReason', passed: true, message: `finish reason is ${actual}` }
    : { kind: 'finishReason', passed: false, message: `finish reason is ${actual}, expected "${expected}"` };
};
