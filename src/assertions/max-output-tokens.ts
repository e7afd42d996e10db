import type { Assertion } from './assertion.js';
import { expectValue } from './expect-value.js';

/** Passes when the provider's reported output token count is at most the maximum. Fails when no usage was reported. */
export const maxOutputTokens: Assertion = (spec, answer) => {
  const maximum = expectValue(spec, 'maxOutputTokens');
  if (answer.usage === undefined) {
    return {
      kind: 'maxOutputTokens',
      passed: false,
      message: 'the provider reported no token usage, so the output token count is unknown',
    };
  }

  const count = answer.usage.outputTokens;
  return count <= maximum
    ? { kind: 'maxOutputTokens', passed: true, message: `output token count ${count} is within the maximum ${maximum}` }
    : { kind: 'maxOutputTokens', passed: false, message: `output token count ${count} is above the maximum ${maximum}` };
};
