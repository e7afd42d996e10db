import { describe, expect, it } from 'vitest';

import type { ChatResponse } from '../providers/provider.js';
import { AssertionErrorReason } from '../reasons.js';
import type { AssertionContext } from './assertion.js';
import { evaluateAssertions } from './registry.js';

const context: AssertionContext = {
  prompt: [],
  price: { inputPerMillionTokens: 2.5, outputPerMillionTokens: 10 },
  embed: () => Promise.reject(new Error('not used')),
  chat: () => Promise.reject(new Error('not used')),
};

function answerUsing(inputTokens: number, outputTokens: number): ChatResponse {
  return { text: 'Paris', finishReason: 'stop', latencySeconds: 0.1, usage: { inputTokens, outputTokens } };
}

describe('maxCost', () => {
  // 1000 input tokens at $2.50 per million and 100 output tokens at $10 per million: $0.0025 + $0.001 = $0.0035.
  it.each([
    { name: 'cost below the limit passes', limit: '0.004', passed: true },
    { name: 'cost equal to the limit passes', limit: '0.0035', passed: true },
    { name: 'cost above the limit fails', limit: '0.003', passed: false },
  ])('$name', async ({ limit, passed }) => {
    const [result] = await evaluateAssertions([{ maxCost: limit }], answerUsing(1000, 100), context);

    expect(result?.passed).toBe(passed);
    expect(result?.error).toBeUndefined();
  });

  it('message gives the cost and the tokens', async () => {
    const [result] = await evaluateAssertions([{ maxCost: '0.003' }], answerUsing(1000, 100), context);

    expect(result?.message).toBe('cost $0.0035 (1000 input, 100 output tokens) is above $0.003');
  });

  it('model without a price is an error', async () => {
    const { price: _price, ...unpriced } = context;

    const [result] = await evaluateAssertions([{ maxCost: '1' }], answerUsing(1, 1), unpriced);

    expect(result?.error).toEqual({ reason: AssertionErrorReason.PriceUnknown });
  });

  it('answer without usage is an error', async () => {
    const [result] = await evaluateAssertions([{ maxCost: '1' }], { text: 'Paris', finishReason: 'stop', latencySeconds: 0.1 }, context);

    expect(result?.error).toEqual({ reason: AssertionErrorReason.PriceUnknown });
  });
});
