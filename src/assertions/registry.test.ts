import { describe, expect, it } from 'vitest';

import { assertionKinds, type ExpectSpec } from '../api/types.js';
import { ProbeError, type ChatResponse } from '../providers/provider.js';
import { FailureReason } from '../reasons.js';
import type { AssertionContext } from './assertion.js';
import { assertionKindOf, assertions, evaluateAssertions } from './registry.js';

const answer: ChatResponse = {
  text: '{"city": "Paris"}',
  finishReason: 'stop',
  latencySeconds: 0.8,
  timeToFirstTokenSeconds: 0.2,
  usage: { inputTokens: 20, outputTokens: 7 },
  tokenLogprobs: [-0.1, -0.2, -0.3],
};

/** Embeds every text as one and the same vector, so every similarity is 1. */
const context: AssertionContext = {
  prompt: [{ role: 'user', content: 'Where is Paris?' }],
  price: { inputPerMillionTokens: 2.5, outputPerMillionTokens: 10 },
  embed: async (texts) => texts.map(() => [1, 0]),
  chat: async () => ({ text: '{"score": 5, "reason": "correct"}', finishReason: 'stop', latencySeconds: 0.1 }),
};

// One expect item per kind, in the order of assertionKinds, each passing on `answer`.
const passingSpecs: ExpectSpec[] = [
  { contains: 'Paris' },
  { notContains: 'London' },
  { equals: '{"city": "Paris"}' },
  { regex: '"city"' },
  { isJSON: true },
  { matchesJSONSchema: { type: 'object', required: ['city'] } },
  { maxLatency: '1s' },
  { maxTimeToFirstToken: '500ms' },
  { maxOutputTokens: 10 },
  { finishReason: 'stop' },
  { notRefusal: true },
  { similarTo: { references: ['Paris'], minSimilarity: '0.9' } },
  { judge: { rubric: 'Names Paris.', target: { provider: 'openai', model: 'judge' }, minScore: '4' } },
  { maxCost: '1' },
  { minConfidence: '0.8' },
];

describe('assertions registry', () => {
  it.each(assertionKinds)('kind %s has an implementation', (kind) => {
    expect(typeof assertions[kind]).toBe('function');
  });

  it('registry has no kind beyond assertionKinds', () => {
    expect(Object.keys(assertions).sort()).toEqual([...assertionKinds].sort());
  });

  it.each(passingSpecs)('kind of %j is its one kind key', (spec) => {
    const kind = assertionKindOf(spec);

    expect(Object.keys(spec)).toContain(kind);
  });

  it('ignoreCase is an option, not a kind', () => {
    expect(assertionKindOf({ ignoreCase: true, equals: 'x' })).toBe('equals');
  });

  it('false boolean kinds still count as set', () => {
    expect(assertionKindOf({ isJSON: false })).toBe('isJSON');
  });

  it('spec without a kind throws', () => {
    expect(() => assertionKindOf({ ignoreCase: true })).toThrow(/sets no assertion kind/);
  });

  it('each implementation reports its own kind', async () => {
    const results = await evaluateAssertions(passingSpecs, answer, context);

    expect(results.map((r) => r.kind)).toEqual([...assertionKinds]);
    expect(results.filter((r) => !r.passed)).toEqual([]);
  });

  it('evaluateAssertions keeps the order of expect', async () => {
    const expectItems: ExpectSpec[] = [{ maxLatency: '1s' }, { contains: 'Berlin' }, { isJSON: true }, { contains: 'Paris' }];

    const results = await evaluateAssertions(expectItems, answer, context);

    expect(results.map((r) => [r.kind, r.passed])).toEqual([
      ['maxLatency', true],
      ['contains', false],
      ['isJSON', true],
      ['contains', true],
    ]);
  });

  it('no expect items give no results', async () => {
    expect(await evaluateAssertions([], answer, context)).toEqual([]);
  });

  it('failed request of an assertion is an error result', async () => {
    const failing: AssertionContext = {
      ...context,
      embed: () => Promise.reject(new ProbeError(FailureReason.RateLimited, 'rate limited by the embeddings API')),
    };

    const [result] = await evaluateAssertions([{ similarTo: { references: ['Paris'], minSimilarity: '0.9' } }], answer, failing);

    expect(result?.passed).toBe(false);
    expect(result?.error).toEqual({ reason: FailureReason.RateLimited });
    expect(result?.message).toBe('similarTo could not be evaluated: rate limited by the embeddings API');
  });
});
