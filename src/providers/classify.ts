/**
 * Classification of failed provider calls into one FailureReason. HTTP error
 * responses are classified by status and body, and errors below HTTP
 * (connection, TLS, body parsing) by the error chain that fetch and the SDKs
 * raise. Each provider client reads its SDK's error into an HttpFailure, and
 * the rules here are shared.
 */
import { FailureReason } from '../reasons.js';
import { ResponseTooLargeError } from './bounded-fetch.js';

/** An HTTP error response, as a provider client reads it from its SDK's error. */
export interface HttpFailure {
  status: number;
  /** The provider's error message. */
  message?: string;
  /** The provider's machine-readable error code or type, such as `insufficient_quota` or `overloaded_error`. */
  code?: string;
  /** True when the body reports that the account's quota or credit is used up, which each provider marks in its own way. */
  quotaExhausted?: boolean;
  /** True when the body reports an invalid API key with a status other than 401 (the Gemini API returns 400). */
  invalidApiKey?: boolean;
  retryAfterSeconds?: number;
  requestId?: string;
  /** The Location header of a redirect. */
  location?: string;
}

export function reasonForHttpFailure(failure: HttpFailure): FailureReason {
  const { status } = failure;

  // 3xx: the clients do not follow redirects (see bounded-fetch.ts), so the
  // configured baseURL does not point at the API itself.
  if (status >= 300 && status < 400) return FailureReason.InvalidResponse;

  switch (status) {
    // 400: the request is invalid, unless the body reports an invalid key
    // (Gemini's API_KEY_INVALID) or used-up credit (Anthropic).
    case 400:
      if (failure.invalidApiKey === true) return FailureReason.AuthFailed;
      if (failure.quotaExhausted === true) return FailureReason.QuotaExhausted;
      return FailureReason.BadRequest;
    // 401: the API key is missing or wrong.
    case 401:
      return FailureReason.AuthFailed;
    // 402: Payment Required, Anthropic's billing_error: no credit left.
    case 402:
      return FailureReason.QuotaExhausted;
    // 403: the key may not use this model, project or region.
    case 403:
      return FailureReason.AuthFailed;
    // 404: the model or the endpoint does not exist.
    case 404:
      return FailureReason.NotFound;
    // 408: the provider gave up waiting on its side, before the target timeout elapsed.
    case 408:
      return FailureReason.ServerError;
    // 422: the request failed validation (vLLM, LiteLLM and other FastAPI servers return 422).
    case 422:
      return FailureReason.BadRequest;
    // 429: too many requests, which clears after a wait, unless the body
    // reports a used-up quota or credit, which a retry does not fix.
    case 429:
      return failure.quotaExhausted === true ? FailureReason.QuotaExhausted : FailureReason.RateLimited;
    // 503: Service Unavailable, which OpenAI and Gemini return when overloaded.
    case 503:
      return FailureReason.Overloaded;
    // 529: Anthropic's overloaded_error.
    case 529:
      return FailureReason.Overloaded;
  }

  // Other 5xx: 500, 502, 504 and the rest are faults of the provider.
  if (status >= 500) return FailureReason.ServerError;
  // Other 4xx, such as 409 or 413: the provider rejected the request.
  if (status >= 400) return FailureReason.BadRequest;
  return FailureReason.InvalidResponse;
}

/** A failure below HTTP: no response, or a response whose body could not be read. */
export interface TransportFailure {
  reason: FailureReason;
  message: string;
}

/** Error codes of Node.js and undici that mean the connection could not be made or was lost. */
const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Codes of TLS failures: OpenSSL's `ERR_SSL_*`, Node's `ERR_TLS_*` and certificate verification codes. */
const tlsErrorCode = /^(ERR_SSL_|ERR_TLS_|EPROTO$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_)/;

/**
 * Classifies an error that carries no HTTP error status. Once the response
 * headers arrived, a body that ends early is a truncated response
 * (InvalidResponse), unless the peer reset the connection.
 */
export function classifyTransportError(error: unknown): TransportFailure {
  const chain = errorChain(error);
  const codes = chain.map(codeOf).filter((code): code is string => code !== undefined);
  // The deepest message names the root cause; an AggregateError of several addresses has an empty one.
  const messages = chain.map((item) => (item instanceof Error ? item.message : String(item))).filter((message) => message !== '');
  const detail = messages.at(-1) ?? 'no error message';

  const tooLarge = chain.find((item) => item instanceof ResponseTooLargeError);
  if (tooLarge !== undefined) return invalid(`response too large: ${tooLarge.message}`);

  if (chain.some((item) => item instanceof SyntaxError)) return invalid(`response body is not valid JSON: ${detail}`);

  const tlsCode = codes.find((code) => tlsErrorCode.test(code));
  if (tlsCode !== undefined) return { reason: FailureReason.NetworkError, message: `TLS connection failed (${tlsCode}): ${detail}` };

  const bodyCutOff = chain.some((item) => item instanceof TypeError && item.message === 'terminated');
  if (bodyCutOff && !codes.includes('ECONNRESET')) {
    return invalid('response body was cut off: the connection closed before the body was complete');
  }

  const connectionCode = codes.find((code) => connectionErrorCodes.has(code));
  if (connectionCode !== undefined) return { reason: FailureReason.NetworkError, message: `connection failed (${connectionCode}): ${detail}` };

  // fetch raises TypeError("fetch failed") for every failure before a response.
  if (chain.some((item) => item instanceof TypeError && item.message === 'fetch failed')) {
    return { reason: FailureReason.NetworkError, message: `connection failed: ${detail}` };
  }

  return invalid(`unexpected response: ${detail}`);
}

function invalid(message: string): TransportFailure {
  return { reason: FailureReason.InvalidResponse, message };
}

/** Lists the error and its causes, at most 8 deep because a cause chain can contain a cycle. */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
