/** Prices of models and the cost of requests, in US dollars. */
import type { PriceSpec } from '../api/types.js';
import type { TokenUsage } from '../providers/provider.js';

export interface ModelPrice {
  /** US dollars per million input tokens. */
  inputPerMillionTokens: number;
  /** US dollars per million output tokens. */
  outputPerMillionTokens: number;
}

/**
 * Built-in prices by model name, for models whose targets declare none.
 *
 * NOTE: these are list prices for standard (not batch, not cached) tokens
 * as the providers published them in 2025, written down from their pricing
 * pages without a check at build time. Prices change: declare
 * `targets[].price` for any figure that matters.
 */
export const builtinPrices: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { inputPerMillionTokens: 2.5, outputPerMillionTokens: 10 },
  'gpt-4o-mini': { inputPerMillionTokens: 0.15, outputPerMillionTokens: 0.6 },
};

/** Returns the declared price, else the built-in one for the model, else undefined. */
export function priceOf(model: string, declared: PriceSpec | undefined): ModelPrice | undefined {
  if (declared !== undefined) {
    return { inputPerMillionTokens: Number(declared.inputPerMillionTokens), outputPerMillionTokens: Number(declared.outputPerMillionTokens) };
  }
  return builtinPrices[model];
}

/** Returns the cost of one request in US dollars. */
export function costOf(usage: TokenUsage, price: ModelPrice): number {
  return (usage.inputTokens * price.inputPerMillionTokens + usage.outputTokens * price.outputPerMillionTokens) / 1_000_000;
}
