import type { Assertion } from './assertion.js';
import { expectValue } from './expect-value.js';
import { quoteExcerpt } from './message-format.js';
import { comparableText } from './text-comparison.js';

/** Passes when the expected text is a substring of the answer. With ignoreCase, both are lowercased first. */
export const contains: Assertion = (spec, answer) => {
  const expected = expectValue(spec, 'contains');
  const ignoreCase = spec.ignoreCase === true;

  const found = comparableText(answer.text, ignoreCase).includes(comparableText(expected, ignoreCase));

  const quotedExpected = quoteExcerpt(expected);
  return found
    ? { kind: 'contains', passed: true, message: `answer contains ${quotedExpected}` }
    : {
        kind: 'contains',
        passed: false,
        message: `answer does not contain ${quotedExpected}: ${quoteExcerpt(answer.text)}`,
      };
};
