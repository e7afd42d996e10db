import { AssertionErrorReason } from '../reasons.js';
import { costOf } from '../signals/prices.js';
import type { AsyncAssertion } from './assertion.js';
import { AssertionUnavailableError } from './assertion-error.js';
import { expectValue } from './expect-value.js';

/**
 * Passes when the answer's tokens cost at most maxCost US dollars at the
 * price of the target's model. Without a price, or without token usage in
 * the response, the assertion cannot be evaluated and is an error.
 */
export const maxCost: AsyncAssertion = async (spec, answer, context) => {
  const limit = expectValue(spec, 'maxCost');
  if (context.price === undefined) {
    throw new AssertionUnavailableError(AssertionErrorReason.PriceUnknown, 'the target\'s model has no price: declare targets[].price');
  }
  if (answer.usage === undefined) {
    throw new AssertionUnavailableError(AssertionErrorReason.PriceUnknown, 'the response reports no token usage, so its cost is unknown');
  }

  const cost = costOf(answer.usage, context.price);
  const figures = `cost $${formatDollars(cost)} (${answer.usage.inputTokens} input, ${answer.usage.outputTokens} output tokens)`;
  return cost <= Number(limit)
    ? { kind: 'maxCost', passed: true, message: `${figures} is within $${limit}` }
    : { kind: 'maxCost', passed: false, message: `${figures} is above $${limit}` };
};

/** Six significant digits, since one answer often costs a fraction of a cent. */
function formatDollars(dollars: number): string {
  return String(Number(dollars.toPrecision(6)));
}
