import type { ProviderName } from '../api/types.js';
import { createAnthropicProvider } from './anthropic.js';
import { createGeminiProvider } from './gemini.js';
import { createOpenAIProvider } from './openai.js';
import type { ProviderFactory } from './provider.js';

/** The client factory of every provider API. A provider name without an entry does not compile. */
export const providers: Record<ProviderName, ProviderFactory> = {
  openai: createOpenAIProvider,
  anthropic: createAnthropicProvider,
  gemini: createGeminiProvider,
};
