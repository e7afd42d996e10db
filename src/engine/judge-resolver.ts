/** Builds the chat client of a judge assertion's model from its declaration, with its API key from the monitor's Secrets. */
import type { JudgeTargetSpec, ProviderName } from '../api/types.js';
import type { Provider, ProviderFactory, ProviderOptions } from '../providers/provider.js';
import type { Redactor } from '../secrets/redactor.js';
import type { SecretResolver } from '../secrets/secrets.js';
import { durationMs } from '../util/duration.js';
import { resolveKey } from './embedding-resolver.js';

export interface JudgeEndpoint {
  client: Provider;
  provider: ProviderName;
  model: string;
  timeoutMs: number;
}

export type JudgeResolver = (namespace: string, spec: JudgeTargetSpec) => Promise<JudgeEndpoint>;

export const defaultJudgeTimeoutMs = 30_000;

export interface JudgeResolverOptions {
  factories: Record<ProviderName, ProviderFactory>;
  secrets: SecretResolver;
  redactor: Redactor;
}

export function createJudgeResolver(options: JudgeResolverOptions): JudgeResolver {
  const clients = new Map<string, Provider>();

  return async (namespace, spec) => {
    const clientOptions: ProviderOptions = {};
    if (spec.baseURL !== undefined) clientOptions.baseURL = spec.baseURL;
    if (spec.apiKeySecretRef !== undefined) clientOptions.apiKey = await resolveKey(options, namespace, spec.apiKeySecretRef);

    const clientKey = `${spec.provider}\u0000${spec.baseURL ?? ''}\u0000${clientOptions.apiKey ?? ''}`;
    let client = clients.get(clientKey);
    if (client === undefined) {
      client = options.factories[spec.provider](clientOptions);
      clients.set(clientKey, client);
    }
    return {
      client,
      provider: spec.provider,
      model: spec.model,
      timeoutMs: spec.timeout === undefined ? defaultJudgeTimeoutMs : durationMs(spec.timeout),
    };
  };
}
