/** The public entry point of the provider clients. */
export { ProbeError } from './provider.js';
export type { ChatParameters, ChatRequest, ChatResponse, Provider, ProviderFactory, ProviderOptions, TokenUsage } from './provider.js';
export { providers } from './registry.js';
export { createOpenAIProvider } from './openai.js';
export { createAnthropicProvider, defaultAnthropicMaxTokens } from './anthropic.js';
export { createGeminiProvider } from './gemini.js';
export { maxAnswerBytes } from './answer.js';
export { maxBufferedBytes } from './bounded-fetch.js';
export { reasonForHttpFailure, classifyTransportError, type HttpFailure, type TransportFailure } from './classify.js';
export { redactSecret } from './redact.js';
