import type { FinishReason, Message, ProviderName } from '../api/types.js';
import type { FailureReason } from '../reasons.js';

/** Parameters after defaults and the probe's overrides, with decimals parsed. */
export interface ChatParameters {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
}

export interface ChatRequest {
  model: string;
  messages: Message[];
  parameters: ChatParameters;
  stream: boolean;
  /** Total time allowed for the call, in milliseconds. */
  timeoutMs: number;
  /** Longest pause allowed between two pieces of a streamed answer, in milliseconds, counted from the first piece; unset means only timeoutMs applies. */
  idleTimeoutMs?: number;
  /** Aborts the call when the runner shuts down. */
  signal?: AbortSignal;
  /** Requests the log-probability of each output token (OpenAI, Gemini); Anthropic's API has none and ignores it. */
  logprobs?: boolean;
}

export interface TokenUsage {
  /** Every prompt token, including those read from or written to the provider's prompt cache. */
  inputTokens: number;
  outputTokens: number;
  /** The part of inputTokens read from the provider's prompt cache; absent when none was. */
  cachedInputTokens?: number;
  /** The part of inputTokens written to the prompt cache (Anthropic's cache_creation_input_tokens); absent when none was. */
  cacheWriteInputTokens?: number;
}

/** What one successful provider call returned. */
export interface ChatResponse {
  text: string;
  finishReason: FinishReason;
  /** The provider's own finish reason, before normalization (for example `end_turn`, `MAX_TOKENS`). */
  rawFinishReason?: string;
  usage?: TokenUsage;
  /** Seconds from sending the request to the complete answer. */
  latencySeconds: number;
  /** Seconds from sending the request to the first text token; set only when streaming. */
  timeToFirstTokenSeconds?: number;
  /** The model name the provider says served the request. */
  responseModel?: string;
  /** OpenAI's system_fingerprint. */
  systemFingerprint?: string;
  /** Gemini's modelVersion. */
  modelVersion?: string;
  /** The provider's request id, for support tickets. */
  requestId?: string;
  /** Natural log-probability of each output token, in order; set when logprobs were requested and the provider returned them. */
  tokenLogprobs?: number[];
}

/** A provider call that failed, classified into one reason. */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';
  readonly reason: FailureReason;
  /** HTTP status, when the provider answered. */
  readonly status?: number;
  /** Seconds from sending the request to the failure. */
  readonly latencySeconds?: number;
  /** Seconds the provider asked to wait (Retry-After). */
  readonly retryAfterSeconds?: number;
  readonly requestId?: string;

  constructor(
    reason: FailureReason,
    message: string,
    details: { status?: number; latencySeconds?: number; retryAfterSeconds?: number; requestId?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = reason;
    if (details.status !== undefined) this.status = details.status;
    if (details.latencySeconds !== undefined) this.latencySeconds = details.latencySeconds;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
    if (details.requestId !== undefined) this.requestId = details.requestId;
  }
}

/** A client for one target. Calls either resolve with a ChatResponse or reject with a ProbeError. */
export interface Provider {
  readonly name: ProviderName;
  chat(request: ChatRequest): Promise<ChatResponse>;
}

export interface ProviderOptions {
  /** The API key resolved from the target's Secret; undefined when the target sets none. */
  apiKey?: string;
  /** Overrides the provider's public endpoint. */
  baseURL?: string;
}

export type ProviderFactory = (options: ProviderOptions) => Provider;
