import { describe, expect, it } from 'vitest';

import type { TokenUsage } from '../providers/provider.js';
import { builtinPrices, costOf, priceOf, type ModelPrice } from './prices.js';

const anthropicLike: ModelPrice = { inputPerMillionTokens: 3, cacheWriteInputPerMillionTokens: 3.75, cachedInputPerMillionTokens: 0.3, outputPerMillionTokens: 15 };
const withoutCachePrices: ModelPrice = { inputPerMillionTokens: 2, outputPerMillionTokens: 8 };

// Each expected figure is worked by hand: uncached = input - cached - cache write, then each part times its price per million.
const cases: { name: string; usage: TokenUsage; price: ModelPrice; dollars: number }[] = [
  { name: 'input and output only', usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 }, price: anthropicLike, dollars: 3 + 15 },
  {
    name: 'cache reads at the cached price',
    // 600k uncached × 3 + 400k cached × 0.3 + 200k output × 15 = 1.8 + 0.12 + 3
    usage: { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 200_000 },
    price: anthropicLike,
    dollars: 4.92,
  },
  {
    name: 'cache writes at the write price',
    // 100k uncached × 3 + 500k cached × 0.3 + 400k written × 3.75 + 10k output × 15 = 0.3 + 0.15 + 1.5 + 0.15
    usage: { inputTokens: 1_000_000, cachedInputTokens: 500_000, cacheWriteInputTokens: 400_000, outputTokens: 10_000 },
    price: anthropicLike,
    dollars: 2.1,
  },
  {
    name: 'cached tokens at the input price without a cached price',
    // 1000 input × 2 + 500 output × 8, per million
    usage: { inputTokens: 1000, cachedInputTokens: 900, outputTokens: 500 },
    price: withoutCachePrices,
    dollars: 0.006,
  },
  {
    name: 'a small probe request',
    // 20 uncached × 2.5 + 1000 cached × 1.25 + 50 output × 10 = 50 + 1250 + 500 per million
    usage: { inputTokens: 1020, cachedInputTokens: 1000, outputTokens: 50 },
    price: { inputPerMillionTokens: 2.5, cachedInputPerMillionTokens: 1.25, outputPerMillionTokens: 10 },
    dollars: 0.0018,
  },
  {
    name: 'cached count above input clamps uncached at zero',
    usage: { inputTokens: 10, cachedInputTokens: 20, outputTokens: 0 },
    price: anthropicLike,
    dollars: 0.000006,
  },
];

describe('costOf', () => {
  it.each(cases)('$name', ({ usage, price, dollars }) => {
    expect(costOf(usage, price)).toBeCloseTo(dollars, 12);
  });
});

describe('priceOf', () => {
  it('parses declared cache prices', () => {
    const price = priceOf('any-model', { inputPerMillionTokens: '3', outputPerMillionTokens: '15', cachedInputPerMillionTokens: '0.3', cacheWriteInputPerMillionTokens: '3.75' });

    expect(price).toEqual(anthropicLike);
  });

  it('leaves undeclared cache prices out', () => {
    expect(priceOf('gpt-4o', { inputPerMillionTokens: '1', outputPerMillionTokens: '2' })).toEqual({ inputPerMillionTokens: 1, outputPerMillionTokens: 2 });
  });

  it('falls back to the built-in table', () => {
    expect(priceOf('gpt-4o', undefined)).toBe(builtinPrices['gpt-4o']);
  });

  it('returns undefined for an unknown model', () => {
    expect(priceOf('gemini-2.5-flash', undefined)).toBeUndefined();
  });
});

describe('builtinPrices', () => {
  it.each(Object.entries(builtinPrices))('%s prices cache reads below input', (_model, price) => {
    expect(price.cachedInputPerMillionTokens).toBeDefined();
    expect(price.cachedInputPerMillionTokens).toBeLessThan(price.inputPerMillionTokens);
  });
});
