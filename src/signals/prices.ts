/** Prices of models and the cost of requests, in US dollars. */
import type { PriceSpec } from '../api/types.js';
import type { TokenUsage } from '../providers/provider.js';

export interface ModelPrice {
  /** US dollars per million input tokens that were not read from or written to the prompt cache. */
  inputPerMillionTokens: number;
  /** US dollars per million output tokens. */
  outputPerMillionTokens: number;
  /** US dollars per million input tokens read from the prompt cache; without it they cost inputPerMillionTokens. */
  cachedInputPerMillionTokens?: number;
  /** US dollars per million input tokens written to the prompt cache (Anthropic); without it they cost inputPerMillionTokens. */
  cacheWriteInputPerMillionTokens?: number;
}

/**
 * Built-in list prices by model name, for models whose targets declare none:
 * standard tier, not batch, prompts of ordinary length. Anthropic's cache
 * write price is the one of the default 5-minute cache.
 *
 * NOTE: these figures were copied by hand on 2026-12-04 from the pages named
 * below and are not checked at build time. The OpenAI figures come from
 * secondary pages that quote OpenAI's pricing page, because the official page
 * could not be opened. Gemini models are left out, because no official
 * figure for their cached input could be checked. Prices change: declare
 * `targets[].price` for any figure that matters.
 */
export const builtinPrices: Readonly<Record<string, ModelPrice>> = {
  // https://chatgptpricing-akr.pages.dev/api-pricing ("Source: developers.openai.com/api/docs/pricing"), the same
  // figures as the openai-models crate's table (https://docs.rs/crate/openai-models/0.1.1/source/src/lib.rs).
  'gpt-4o': { inputPerMillionTokens: 2.5, cachedInputPerMillionTokens: 1.25, outputPerMillionTokens: 10 },
  'gpt-4o-mini': { inputPerMillionTokens: 0.15, cachedInputPerMillionTokens: 0.075, outputPerMillionTokens: 0.6 },
  // https://platform.claude.com/docs/zh-CN/about-claude/pricing, "Base Input Tokens", "5m Cache Writes",
  // "Cache Hits & Refreshes" and "Output Tokens"; the same rows are on the English page.
  'claude-opus-4-5': { inputPerMillionTokens: 5, cacheWriteInputPerMillionTokens: 6.25, cachedInputPerMillionTokens: 0.5, outputPerMillionTokens: 25 },
  'claude-sonnet-4-5': { inputPerMillionTokens: 3, cacheWriteInputPerMillionTokens: 3.75, cachedInputPerMillionTokens: 0.3, outputPerMillionTokens: 15 },
  'claude-haiku-4-5': { inputPerMillionTokens: 1, cacheWriteInputPerMillionTokens: 1.25, cachedInputPerMillionTokens: 0.1, outputPerMillionTokens: 5 },
};

/** Returns the declared price, else the built-in one for the model, else undefined. */
export function priceOf(model: string, declared: PriceSpec | undefined): ModelPrice | undefined {
  if (declared === undefined) return builtinPrices[model];

  const price: ModelPrice = { inputPerMillionTokens: Number(declared.inputPerMillionTokens), outputPerMillionTokens: Number(declared.outputPerMillionTokens) };
  if (declared.cachedInputPerMillionTokens !== undefined) price.cachedInputPerMillionTokens = Number(declared.cachedInputPerMillionTokens);
  if (declared.cacheWriteInputPerMillionTokens !== undefined) price.cacheWriteInputPerMillionTokens = Number(declared.cacheWriteInputPerMillionTokens);
  return price;
}

/**
 * Returns the cost of one request in US dollars: uncached input, cache reads,
 * cache writes and output, each at its price. Cached tokens count inside
 * usage.inputTokens, so they are taken out of the uncached input first.
 */
export function costOf(usage: TokenUsage, price: ModelPrice): number {
  const cached = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cached - cacheWrite);

  const dollarsPerMillion =
    uncached * price.inputPerMillionTokens +
    cached * (price.cachedInputPerMillionTokens ?? price.inputPerMillionTokens) +
    cacheWrite * (price.cacheWriteInputPerMillionTokens ?? price.inputPerMillionTokens) +
    usage.outputTokens * price.outputPerMillionTokens;
  return dollarsPerMillion / 1_000_000;
}
