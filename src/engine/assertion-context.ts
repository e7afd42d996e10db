/**
 * The AssertionContext of one sample: embeddings and judge requests through
 * the run's resolvers, each request recorded on the sample, and texts
 * embedded once per run.
 */
import type { ResolvedTarget } from '../api/defaults.js';
import type { EmbeddingSpec, JudgeTargetSpec, Message } from '../api/types.js';
import type { AssertionContext } from '../assertions/assertion.js';
import { AssertionUnavailableError } from '../assertions/assertion-error.js';
import { ProbeError, type ChatResponse } from '../providers/provider.js';
import { AssertionErrorReason } from '../reasons.js';
import { builtinPrices, costOf } from '../signals/prices.js';
import type { EmbeddingEndpoint, EmbeddingResolver } from './embedding-resolver.js';
import type { JudgeResolver } from './judge-resolver.js';
import type { AssertionRequest } from './result.js';

/** The resolvers and embedding cache that the samples of one run share for their assertions' own requests. */
export interface RunServices {
  embeddings: EmbeddingResolver | undefined;
  judges: JudgeResolver | undefined;
  namespace: string;
  signal: AbortSignal | undefined;
  /** Vectors by cache key and text, shared by the samples of one run. */
  cache: Map<string, Promise<number[]>>;
}

export function newRunServices(
  resolvers: { embeddings?: EmbeddingResolver | undefined; judges?: JudgeResolver | undefined },
  namespace: string,
  signal: AbortSignal | undefined,
): RunServices {
  return { embeddings: resolvers.embeddings, judges: resolvers.judges, namespace, signal, cache: new Map() };
}

/** Returns the context of one sample of `prompt`; `requests` receives every request it sends. */
export function assertionContext(run: RunServices, target: ResolvedTarget, prompt: readonly Message[], requests: AssertionRequest[]): AssertionContext {
  return {
    prompt,
    ...(target.price === undefined ? {} : { price: target.price }),
    embed: (texts, spec) => embed(run, target, texts, spec, requests),
    chat: (spec, messages) => chat(run, spec, messages, requests),
  };
}

async function embed(run: RunServices, target: ResolvedTarget, texts: string[], spec: EmbeddingSpec | undefined, requests: AssertionRequest[]): Promise<number[][]> {
  if (run.embeddings === undefined) {
    throw new AssertionUnavailableError(AssertionErrorReason.EmbeddingUnsupported, 'this runner has no embeddings client');
  }
  const endpoint = await run.embeddings(run.namespace, target, spec);
  const key = (text: string) => `${endpoint.cacheKey}\u0000${text}`;

  const missing = [...new Set(texts.filter((text) => !run.cache.has(key(text))))];
  if (missing.length > 0) {
    const batch = sendEmbeddings(run, endpoint, missing, requests);
    missing.forEach((text, i) => run.cache.set(key(text), batch.then((vectors) => vectors[i] as number[])));
    // A failed batch must not stay cached, so that the next sample tries again.
    batch.catch(() => missing.forEach((text) => run.cache.delete(key(text))));
  }
  return Promise.all(texts.map((text) => run.cache.get(key(text)) as Promise<number[]>));
}

async function sendEmbeddings(run: RunServices, endpoint: EmbeddingEndpoint, inputs: string[], requests: AssertionRequest[]): Promise<number[][]> {
  const record: AssertionRequest = { operation: 'embeddings', provider: endpoint.provider, model: endpoint.model };
  requests.push(record);
  try {
    const request = { model: endpoint.model, inputs, timeoutMs: endpoint.timeoutMs, ...signalField(run) };
    const response = await endpoint.client.embed(request);
    record.latencySeconds = response.latencySeconds;
    if (response.inputTokens !== undefined) record.inputTokens = response.inputTokens;
    return response.vectors;
  } catch (error) {
    recordFailure(record, error);
    throw error;
  }
}

async function chat(run: RunServices, spec: JudgeTargetSpec, messages: Message[], requests: AssertionRequest[]): Promise<ChatResponse> {
  if (run.judges === undefined) {
    throw new AssertionUnavailableError(AssertionErrorReason.JudgeUnavailable, 'this runner has no judge client');
  }
  const endpoint = await run.judges(run.namespace, spec);
  const record: AssertionRequest = { operation: 'chat', provider: endpoint.provider, model: endpoint.model };
  requests.push(record);
  try {
    const request = { model: endpoint.model, messages, parameters: {}, stream: false, timeoutMs: endpoint.timeoutMs, ...signalField(run) };
    const response = await endpoint.client.chat(request);
    record.latencySeconds = response.latencySeconds;
    if (response.usage !== undefined) {
      record.inputTokens = response.usage.inputTokens;
      record.outputTokens = response.usage.outputTokens;
      const price = builtinPrices[endpoint.model];
      if (price !== undefined) record.costDollars = costOf(response.usage, price);
    }
    return response;
  } catch (error) {
    recordFailure(record, error);
    throw error;
  }
}

function recordFailure(record: AssertionRequest, error: unknown): void {
  if (!(error instanceof ProbeError)) return;
  record.error = error.reason;
  if (error.latencySeconds !== undefined) record.latencySeconds = error.latencySeconds;
}

function signalField(run: RunServices): { signal?: AbortSignal } {
  return run.signal === undefined ? {} : { signal: run.signal };
}
