/**
 * Finds the embeddings endpoint of a similarTo assertion: its own
 * embedding provider when it names one, otherwise the target's provider,
 * base URL and API key. Clients are cached by what they were built from.
 */
import type { ResolvedTarget } from '../api/defaults.js';
import type { EmbeddingProviderName, EmbeddingSpec } from '../api/types.js';
import { AssertionUnavailableError } from '../assertions/assertion-error.js';
import { defaultEmbeddingModels, type EmbeddingClient, type EmbeddingClientFactory } from '../providers/embeddings.js';
import type { ProviderOptions } from '../providers/provider.js';
import { AssertionErrorReason } from '../reasons.js';
import type { Redactor } from '../secrets/redactor.js';
import type { SecretResolver } from '../secrets/secrets.js';
import { durationMs } from '../util/duration.js';

export interface EmbeddingEndpoint {
  client: EmbeddingClient;
  provider: EmbeddingProviderName;
  model: string;
  timeoutMs: number;
  /** Identifies the endpoint and model, so that equal texts are embedded once per run. */
  cacheKey: string;
}

export type EmbeddingResolver = (namespace: string, target: ResolvedTarget, spec: EmbeddingSpec | undefined) => Promise<EmbeddingEndpoint>;

export const defaultEmbeddingTimeoutMs = 30_000;

export interface EmbeddingResolverOptions {
  factories: Record<EmbeddingProviderName, EmbeddingClientFactory>;
  secrets: SecretResolver;
  redactor: Redactor;
}

export function createEmbeddingResolver(options: EmbeddingResolverOptions): EmbeddingResolver {
  const clients = new Map<string, EmbeddingClient>();

  return async (namespace, target, spec) => {
    const provider = spec?.provider ?? embeddingProviderOf(target);
    const inherited = spec?.provider === undefined;
    const baseURL = inherited ? target.baseURL : spec?.baseURL;
    const secretRef = inherited ? target.apiKeySecretRef : spec?.apiKeySecretRef;

    const clientOptions: ProviderOptions = {};
    if (baseURL !== undefined) clientOptions.baseURL = baseURL;
    if (secretRef !== undefined) clientOptions.apiKey = await resolveKey(options, namespace, secretRef);

    const clientKey = `${provider}\u0000${baseURL ?? ''}\u0000${clientOptions.apiKey ?? ''}`;
    let client = clients.get(clientKey);
    if (client === undefined) {
      client = options.factories[provider](clientOptions);
      clients.set(clientKey, client);
    }
    const model = spec?.model ?? defaultEmbeddingModels[provider];
    return {
      client,
      provider,
      model,
      timeoutMs: spec?.timeout === undefined ? defaultEmbeddingTimeoutMs : durationMs(spec.timeout),
      // The API key is left out because one model returns the same vectors for any key.
      cacheKey: `${provider}\u0000${baseURL ?? ''}\u0000${model}`,
    };
  };
}

function embeddingProviderOf(target: ResolvedTarget): EmbeddingProviderName {
  if (target.provider === 'anthropic') {
    throw new AssertionUnavailableError(
      AssertionErrorReason.EmbeddingUnsupported,
      `target "${target.name}" uses anthropic, which has no embeddings API: set similarTo.embedding.provider to openai or gemini`,
    );
  }
  return target.provider;
}

export async function resolveKey(options: Pick<EmbeddingResolverOptions, 'secrets' | 'redactor'>, namespace: string, ref: { name: string; key: string }): Promise<string> {
  let apiKey: string;
  try {
    apiKey = await options.secrets.resolve(namespace, ref);
  } catch (error) {
    throw new AssertionUnavailableError(AssertionErrorReason.SecretNotFound, (error as Error).message);
  }
  options.redactor.add(apiKey);
  return apiKey;
}
