/** The Gemini SDK client that chat and embeddings calls share, configured so that only the target decides where requests go and with which key. */
import { GoogleGenAI } from '@google/genai';

import type { ProviderOptions } from './provider.js';

export function createGeminiClient(options: ProviderOptions): GoogleGenAI {
  return new GoogleGenAI({
    // Without a key the SDK would read GOOGLE_API_KEY from the environment or
    // fall back to Google application default credentials, which query the
    // cloud metadata server. A placeholder prevents both, and the empty header
    // below takes the place of the key header, which the SDK then does not add.
    apiKey: options.apiKey ?? 'no-key',
    // Explicit, so that GOOGLE_GENAI_USE_VERTEXAI in the environment cannot switch APIs.
    vertexai: false,
    // No retryOptions, so the SDK sends each request once.
    httpOptions: {
      ...(options.baseURL === undefined ? {} : { baseUrl: options.baseURL }),
      ...(options.apiKey === undefined ? { headers: { 'x-goog-api-key': '' } } : {}),
    },
  });
}
