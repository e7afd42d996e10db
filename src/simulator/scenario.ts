/**
 * The scenario: the replies the simulator sends and the errors and faults it injects.
 * This is the shape users write in YAML or JSON and pass to `setScenario`. Durations
 * are Prometheus-style strings such as `200ms` or `1m30s`.
 */

/** The provider APIs the simulator speaks. */
export type ApiName = 'openai' | 'anthropic' | 'gemini';
export const apiNames: readonly ApiName[] = ['openai', 'anthropic', 'gemini'];

/** A fixed duration, or a distribution to draw one from per request. */
export type Latency =
  | string
  | { min: string; max: string }
  /** Normal distribution, clipped at 0. */
  | { mean: string; stddev: string };

/**
 * An HTTP error with the API's own error body, for a share of requests.
 * With several entries, each one counts only the requests that no earlier entry selected.
 */
export interface ErrorInjection {
  /** Share of requests to hit, from 0 to 1. */
  rate: number;
  /** HTTP status from 400 to 599, for example 429, 500, 503 or 529. */
  status: number;
  /** Sent as Retry-After in seconds (OpenAI, Anthropic) or as RetryInfo in the body (Gemini). */
  retryAfter?: string;
  /**
   * `quota` turns a 429 into an exhausted quota: OpenAI's `insufficient_quota`, Gemini's daily
   * quota (a per-day quotaId) or Anthropic's `enforced_spend_limit_reached`. `rateLimit`, the
   * default, is a plain rate limit.
   */
  kind?: ErrorKind;
  /** Replaces the API's usual error message. */
  message?: string;
  /** Chooses requests at random instead of by the deterministic pattern. */
  random?: boolean;
  seed?: number;
}

export type ErrorKind = 'rateLimit' | 'quota';
export const errorKinds: readonly ErrorKind[] = ['rateLimit', 'quota'];

/**
 * The faults and when each one strikes:
 * - `malformed`: HTTP 200 with a body that is not JSON; in a stream, the second chunk is
 *   not JSON.
 * - `truncated`: status line, headers and the first half of the body, with a Content-Length
 *   that matches the cut, so clients see complete HTTP but invalid JSON. A stream stops in
 *   the middle of an event, halfway through, without its final event (`data: [DONE]`,
 *   `message_stop`, the chunk with finishReason).
 * - `errorIn200`: HTTP 200 whose body is the API's error object for `status`.
 * - `empty`: a normal response with no text and a normal finish reason.
 * - `emptyLength`: no text and finish reason length / max_tokens / MAX_TOKENS, with the
 *   token budget (max tokens, default 64) spent on hidden reasoning tokens.
 * - `streamError`: a stream that sends up to 3 tokens, then the API's mid-stream error
 *   (OpenAI `data: {"error":...}`, Anthropic `event: error`, Gemini a bare JSON error
 *   object) and ends. A non-streaming request gets `errorIn200` instead.
 * - `stall`: the first chunk (for a non-streaming request, the first half of the body),
 *   then a pause of `stallFor`, then the rest.
 * - `reset`: the socket is destroyed before any response byte; clients see a connection error.
 * - `contentFilter`: no text and finish reason content_filter (OpenAI, content null),
 *   refusal (Anthropic) or SAFETY (Gemini); with `blockPrompt`, Gemini blocks the prompt.
 * - `hugeBody`: a valid response whose text makes the body about `size` bytes, sent in chunks.
 * - `redirect`: HTTP 302 to `location` on this server. `/_simulator/redirected` responds to
 *   any method with 200 `{"redirected":true}` and counts the visit in the stats, so a client
 *   that follows the redirect (as @google/genai does) receives a body without a completion.
 *
 * The latency, or for streams the time to first token, comes before every fault.
 */
export type FaultKind =
  | 'malformed'
  | 'truncated'
  | 'errorIn200'
  | 'empty'
  | 'emptyLength'
  | 'streamError'
  | 'stall'
  | 'reset'
  | 'contentFilter'
  | 'hugeBody'
  | 'redirect';

export const faultKinds: readonly FaultKind[] = [
  'malformed',
  'truncated',
  'errorIn200',
  'empty',
  'emptyLength',
  'streamError',
  'stall',
  'reset',
  'contentFilter',
  'hugeBody',
  'redirect',
];

/**
 * A broken or unusual response for a share of requests. Faults count only the
 * requests that no error injection selected.
 */
export interface FaultInjection {
  kind: FaultKind;
  /** Share of requests to hit, from 0 to 1. */
  rate: number;
  /** `stall`: how long the response pauses after its first chunk; default 1h. */
  stallFor?: string;
  /** `hugeBody`: body size as bytes or a string such as `50MiB` or `2MB`; default 50MiB. */
  size?: number | string;
  /** `contentFilter`: Gemini blocks the prompt (promptFeedback.blockReason) instead of the answer. */
  blockPrompt?: boolean;
  /** `redirect`: path on this server that the 302 points to; default `/_simulator/redirected`. */
  location?: string;
  /**
   * `errorIn200` and `streamError`: the HTTP status whose error body is sent. Default 500 for
   * errorIn200; for streamError the API's usual mid-stream error: OpenAI 500, Anthropic 529
   * (overloaded_error), Gemini 503 (UNAVAILABLE).
   */
  status?: number;
  random?: boolean;
  seed?: number;
}

/**
 * The finish reasons every API has, mapped to each API's own value.
 * NOTE: `tool_calls` only sets the finish reason; the response carries text, not a tool call.
 */
export type CommonFinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls';
export const commonFinishReasons: readonly CommonFinishReason[] = ['stop', 'length', 'content_filter', 'tool_calls'];

/** A common finish reason, or each API's raw value (for example Gemini `RECITATION`). */
export type FinishReasonOverride = CommonFinishReason | Partial<Record<ApiName, string>>;

/** The identity the simulated model reports. */
export interface ModelIdentity {
  /** OpenAI and Anthropic `model` in the response; by default the requested model. */
  responseModel?: string;
  /** OpenAI `system_fingerprint`. */
  systemFingerprint?: string;
  /** Gemini `modelVersion`; by default the requested model. */
  modelVersion?: string;
}

/**
 * Settings that apply globally and that a rule can override. Latency, errors and faults apply
 * to chat requests only; embeddings and model lists always respond at once and normally.
 */
export interface ResponseSettings {
  /** Fixed reply text; by default the text of the last user message. */
  reply?: string;
  /** Delay before a response; for streams, before the first token unless timeToFirstToken is set. */
  latency?: Latency;
  timeToFirstToken?: Latency;
  /** Delay between streamed tokens. */
  tokenInterval?: Latency;
  errors?: ErrorInjection | ErrorInjection[];
  faults?: FaultInjection | FaultInjection[];
  finishReason?: FinishReasonOverride;
  model?: ModelIdentity;
  /** Log probability of every reply token, at most 0. By default each token gets a deterministic value. */
  logprob?: number;
  /**
   * Prompt tokens reported as read from the provider's prompt cache, capped at the prompt's
   * tokens: OpenAI `prompt_tokens_details.cached_tokens`, Anthropic `cache_read_input_tokens`
   * (taken out of `input_tokens`, as Anthropic counts them), Gemini `cachedContentTokenCount`.
   * Default 0.
   */
  cachedTokens?: number;
}

export interface RuleMatch {
  /** Regular expression tested against the text of the last user message. */
  prompt?: string;
  /** Regular expression tested against the requested model. */
  model?: string;
  api?: ApiName;
}

/**
 * A rule overrides the global settings for the requests it matches. Rules are tried in order
 * and the first match wins. A rule that sets `errors` or `faults` counts its own requests.
 */
export interface Rule extends ResponseSettings {
  /** Key of this rule in the stats; by default `rules[INDEX]`. */
  name?: string;
  match?: RuleMatch;
  /** Shorthands for the same fields of `model`. */
  responseModel?: string;
  systemFingerprint?: string;
  modelVersion?: string;
}

export interface Scenario extends ResponseSettings {
  rules?: Rule[];
  /** When set, requests must carry this key, else they get the API's authentication error. */
  apiKey?: string;
  /** Puts the request's API key into every error message, so tests can check that a client does not leak it. */
  echoApiKeyInErrors?: boolean;
  /** Default for every injection's `random`. */
  random?: boolean;
  /** Seed of the random choices and of latency distributions; default 1. */
  seed?: number;
}
