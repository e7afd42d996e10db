import type { EmbeddingProviderName } from '../api/types.js';
import type { EmbeddingClientFactory } from './embeddings.js';
import { createGeminiEmbeddingClient } from './gemini-embeddings.js';
import { createOpenAIEmbeddingClient } from './openai-embeddings.js';

/** The client factory of every embeddings API. A provider name without an entry does not compile. */
export const embeddingClients: Record<EmbeddingProviderName, EmbeddingClientFactory> = {
  openai: createOpenAIEmbeddingClient,
  gemini: createGeminiEmbeddingClient,
};
