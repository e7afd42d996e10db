/** Gemini's embedContent and batchEmbedContents, through @google/genai. */
import type { GoogleGenAI } from '@google/genai';

import { FailureReason } from '../reasons.js';
import { CallContext } from './call-context.js';
import type { EmbeddingClient, EmbeddingRequest, EmbeddingResponse } from './embeddings.js';
import { describeGeminiError } from './gemini.js';
import { createGeminiClient } from './gemini-client.js';
import { isVector } from './openai-embeddings.js';
import { toProbeError } from './probe-failure.js';
import type { ProviderOptions } from './provider.js';

export function createGeminiEmbeddingClient(options: ProviderOptions): EmbeddingClient {
  const client = createGeminiClient(options);
  return { name: 'gemini', embed: (request) => embed(client, request, options.apiKey) };
}

async function embed(client: GoogleGenAI, request: EmbeddingRequest, apiKey: string | undefined): Promise<EmbeddingResponse> {
  const call = new CallContext(request, apiKey);
  try {
    const response = await client.models.embedContent({
      model: request.model,
      contents: request.inputs,
      config: { abortSignal: call.signal, httpOptions: { timeout: call.sdkTimeoutMs } },
    });
    const vectors = (response.embeddings ?? []).map((embedding) => embedding.values);
    if (vectors.length !== request.inputs.length || !vectors.every(isVector)) {
      throw call.fail(FailureReason.InvalidResponse, `the embeddings response has ${vectors.length} vectors for ${request.inputs.length} inputs`);
    }
    return { vectors, latencySeconds: call.elapsedSeconds() };
  } catch (error) {
    throw toProbeError(error, call, describeGeminiError);
  } finally {
    call.dispose();
  }
}
