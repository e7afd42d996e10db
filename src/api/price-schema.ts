/** The schema of a target's price, apart from schema.ts so that cost fields sit together. */
import { decimalPattern } from './pattern-messages.js';
import { obj, str, type JSONSchema } from './schema-helpers.js';

export const targetPrice: JSONSchema = obj(
  'Price of the model in US dollars per million tokens, overriding the built-in price table. Drives llm_monitor_cost_dollars_total and maxCost.',
  {
    inputPerMillionTokens: str('US dollars per million input tokens that were not read from or written to the prompt cache, a decimal string such as "2.5".', { pattern: decimalPattern, maxLength: 32 }),
    outputPerMillionTokens: str('US dollars per million output tokens, a decimal string such as "10".', { pattern: decimalPattern, maxLength: 32 }),
    cachedInputPerMillionTokens: str(
      'US dollars per million input tokens read from the provider\'s prompt cache (OpenAI cached_tokens, Anthropic cache_read_input_tokens, Gemini cachedContentTokenCount), a decimal string such as "1.25". Default: inputPerMillionTokens.',
      { pattern: decimalPattern, maxLength: 32 },
    ),
    cacheWriteInputPerMillionTokens: str(
      'US dollars per million input tokens written to the prompt cache (Anthropic cache_creation_input_tokens), a decimal string such as "3.75". Default: inputPerMillionTokens.',
      { pattern: decimalPattern, maxLength: 32 },
    ),
  },
  { required: ['inputPerMillionTokens', 'outputPerMillionTokens'] },
);
