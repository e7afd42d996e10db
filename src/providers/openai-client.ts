/** The OpenAI SDK client that chat and embeddings calls share, configured so that only the target decides where requests go. */
import OpenAI from 'openai';

import { createBoundedFetch } from './bounded-fetch.js';
import type { ProviderOptions } from './provider.js';

export function createOpenAIClient(options: ProviderOptions): OpenAI {
  return new OpenAI({
    // The SDK requires a key. Without one, a placeholder satisfies it and the
    // null header below keeps it off the wire (keyless local servers).
    apiKey: options.apiKey ?? 'no-key',
    ...(options.apiKey === undefined ? { defaultHeaders: { Authorization: null } } : {}),
    // null, not undefined, so the SDK does not read OPENAI_BASE_URL,
    // OPENAI_ADMIN_KEY, OPENAI_ORG_ID or OPENAI_PROJECT_ID from the environment.
    // The target alone sets where its requests go and which credentials they carry.
    baseURL: options.baseURL ?? null,
    adminAPIKey: null,
    organization: null,
    project: null,
    // Retries would hide the latency users feel, so the engine decides about retries.
    maxRetries: 0,
    // Off because failures are reported as ProbeErrors, which the SDK's log lines would repeat.
    logLevel: 'off',
    fetch: createBoundedFetch(),
  });
}
