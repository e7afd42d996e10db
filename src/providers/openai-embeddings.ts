/** OpenAI's POST /v1/embeddings, and any OpenAI-compatible server that serves it (vLLM, Ollama, LiteLLM). */
import type OpenAI from 'openai';

import { FailureReason } from '../reasons.js';
import { CallContext } from './call-context.js';
import type { EmbeddingClient, EmbeddingRequest, EmbeddingResponse } from './embeddings.js';
import { describeOpenAIError } from './openai.js';
import { createOpenAIClient } from './openai-client.js';
import { toProbeError } from './probe-failure.js';
import type { ProviderOptions } from './provider.js';

export function createOpenAIEmbeddingClient(options: ProviderOptions): EmbeddingClient {
  const client = createOpenAIClient(options);
  return { name: 'openai', embed: (request) => embed(client, request, options.apiKey) };
}

async function embed(client: OpenAI, request: EmbeddingRequest, apiKey: string | undefined): Promise<EmbeddingResponse> {
  const call = new CallContext(request, apiKey);
  try {
    // Floats, because the SDK's default base64 decoding would hide a malformed vector behind a decoding error.
    const response = await client.embeddings.create(
      { model: request.model, input: request.inputs, encoding_format: 'float' },
      { signal: call.signal, timeout: call.sdkTimeoutMs },
    );
    const vectors = [...(response.data ?? [])].sort((a, b) => a.index - b.index).map((item) => item.embedding);
    if (vectors.length !== request.inputs.length || !vectors.every(isVector)) {
      throw call.fail(FailureReason.InvalidResponse, `the embeddings response has ${vectors.length} valid vectors for ${request.inputs.length} inputs`);
    }
    const result: EmbeddingResponse = { vectors, latencySeconds: call.elapsedSeconds() };
    if (typeof response.usage?.prompt_tokens === 'number') result.inputTokens = response.usage.prompt_tokens;
    return result;
  } catch (error) {
    throw toProbeError(error, call, describeOpenAIError);
  } finally {
    call.dispose();
  }
}

export function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'number' && Number.isFinite(x));
}
