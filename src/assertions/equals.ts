import type { Assertion } from './assertion.js';
import { expectValue } from './expect-value.js';
import { quoteExcerpt } from './message-format.js';
import { comparableText } from './text-comparison.js';

/**
 * Passes when the answer equals the expected text after both are trimmed of
 * surrounding whitespace, because models often add a trailing line break.
 * Whitespace inside the text must match exactly.
 */
export const equals: Assertion = (spec, answer) => {
  const expected = expectValue(spec, 'equals');
  const ignoreCase = spec.ignoreCase === true;

  const equal = comparableText(answer.text.trim(), ignoreCase) === comparableText(expected.trim(), ignoreCase);

  const quotedExpected = quoteExcerpt(expected.trim());
  return equal
    ? { kind: 'equals', passed: true, message: `answer equals ${quotedExpected}` }
    : {
        kind: 'equals',
        passed: false,
        message: `answer ${quoteExcerpt(answer.text.trim())} does not equal ${quotedExpected}`,
      };
};
