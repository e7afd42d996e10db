import type { Assertion } from './assertion.js';
import { expectValue } from './expect-value.js';
import { quoteExcerpt } from './message-format.js';
import { comparableText } from './text-comparison.js';

/** Passes when the text is not a substring of the answer. With ignoreCase, both are lowercased first. */
export const notContains: Assertion = (spec, answer) => {
  const forbidden = expectValue(spec, 'notContains');
  const ignoreCase = spec.ignoreCase === true;

  const found = comparableText(answer.text, ignoreCase).includes(comparableText(forbidden, ignoreCase));

  const quotedForbidden = quoteExcerpt(forbidden);
  return found
    ? { kind: 'notContains', passed: false, message: `answer contains ${quotedForbidden}` }
    : { kind: 'notContains', passed: true, message: `answer does not contain ${quotedForbidden}` };
};
