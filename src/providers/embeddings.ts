/** The embeddings API of a provider, used by similarTo assertions and embedding drift. */
import type { EmbeddingProviderName } from '../api/types.js';
import type { ProviderOptions } from './provider.js';

export interface EmbeddingRequest {
  model: string;
  /** Texts to embed; the response has one vector per text, in the same order. */
  inputs: string[];
  /** Total time allowed for the call, in milliseconds. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface EmbeddingResponse {
  vectors: number[][];
  /** Input tokens as the provider reported them; Gemini reports none. */
  inputTokens?: number;
  /** Seconds from sending the request to the complete response. */
  latencySeconds: number;
}

/** A client for one embeddings endpoint. Calls either resolve or reject with a ProbeError. */
export interface EmbeddingClient {
  readonly name: EmbeddingProviderName;
  embed(request: EmbeddingRequest): Promise<EmbeddingResponse>;
}

export type EmbeddingClientFactory = (options: ProviderOptions) => EmbeddingClient;

/** The model used when a similarTo assertion names none. */
export const defaultEmbeddingModels: Record<EmbeddingProviderName, string> = {
  openai: 'text-embedding-3-small',
  gemini: 'gemini-embedding-001',
};
