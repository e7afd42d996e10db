import { FailureReason } from '../reasons.js';
import type { CallContext } from './call-context.js';
import { classifyTransportError, reasonForHttpFailure, type HttpFailure } from './classify.js';
import { ProbeError } from './provider.js';

/** Maximum characters of a provider's error message that a ProbeError message quotes. */
export const maxQuotedMessageLength = 200;

/** The message for a JSON document without an error object in response to a streaming request. */
export const jsonDocumentMessage = 'the response to a streaming request is a JSON document instead of an event stream';

/** A provider client's reading of its SDK's error. */
export type ProviderErrorDescription =
  /** An HTTP error response. */
  | { kind: 'http'; failure: HttpFailure }
  /** An error object inside a successful response, or an error event inside a stream. */
  | { kind: 'errorInResponse'; message?: string; code?: string; requestId?: string }
  /** The response could not be read, for a reason the SDK's error names. */
  | { kind: 'invalidResponse'; message: string }
  /** The SDK's own timeout fired. */
  | { kind: 'timeout' };

/** Reads an SDK error, or returns undefined for errors that are not the SDK's (network, parsing). */
export type ErrorDescriber = (error: unknown) => ProviderErrorDescription | undefined;

/**
 * Turns whatever a provider call threw into its one ProbeError. The signal is
 * checked first because an abort surfaces in many forms: the SDKs' abort
 * errors, fetch's AbortError, a body stream that ends early.
 */
export function toProbeError(error: unknown, call: CallContext, describe: ErrorDescriber): ProbeError {
  if (error instanceof ProbeError) return error;

  const aborted = call.abortFailure(error);
  if (aborted !== undefined) return aborted;

  const description = describe(error);
  if (description?.kind === 'http') return httpProbeError(description.failure, call, error);
  if (description?.kind === 'timeout') return call.timeoutFailure(error);
  if (description?.kind === 'invalidResponse') return call.fail(FailureReason.InvalidResponse, description.message, { cause: error });
  if (description?.kind === 'errorInResponse') return errorInResponseProbeError(call, description, error);

  const transport = classifyTransportError(error);
  return call.fail(transport.reason, call.redact(transport.message), { cause: error });
}

/**
 * Error types and codes that the providers put in an error object inside a
 * response or stream, where no HTTP status can say what went wrong: OpenAI's
 * `error.type`/`error.code`, Anthropic's `error.type`, Gemini's `error.status`.
 */
const reasonByErrorCode: Readonly<Record<string, FailureReason>> = {
  overloaded_error: FailureReason.Overloaded,
  UNAVAILABLE: FailureReason.Overloaded,
  rate_limit_error: FailureReason.RateLimited,
  rate_limit_exceeded: FailureReason.RateLimited,
  RESOURCE_EXHAUSTED: FailureReason.RateLimited,
  insufficient_quota: FailureReason.QuotaExhausted,
  billing_error: FailureReason.QuotaExhausted,
  api_error: FailureReason.ServerError,
  server_error: FailureReason.ServerError,
  INTERNAL: FailureReason.ServerError,
};

/**
 * Creates the error for an error object inside a successful response or
 * stream: the reason its type names when it is one of the known ones (an
 * Anthropic stream that ends with overloaded_error is Overloaded, as a 529
 * would be), else InvalidResponse.
 */
export function errorInResponseProbeError(
  call: CallContext,
  description: { message?: string; code?: string; requestId?: string },
  cause?: unknown,
): ProbeError {
  const code = description.code === undefined ? '' : ` ${description.code}`;
  const reason = (description.code === undefined ? undefined : reasonByErrorCode[description.code]) ?? FailureReason.InvalidResponse;
  return call.fail(reason, `the response contains an error${code}${quoteProviderMessage(call, description.message)}`, {
    ...(cause === undefined ? {} : { cause }),
    ...(description.requestId === undefined ? {} : { requestId: description.requestId }),
  });
}

function httpProbeError(failure: HttpFailure, call: CallContext, cause: unknown): ProbeError {
  const reason = reasonForHttpFailure(failure);
  const code = failure.code === undefined ? '' : ` ${failure.code}`;
  const message = `HTTP ${failure.status}${code}${quoteProviderMessage(call, failure.message)}${hintFor(reason, failure, call)}`;

  return call.fail(reason, message, {
    status: failure.status,
    cause,
    ...(failure.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: failure.retryAfterSeconds }),
    ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
  });
}

/** Returns what the user can do about a failure, where the reason makes it clear. */
function hintFor(reason: FailureReason, failure: HttpFailure, call: CallContext): string {
  if (failure.status >= 300 && failure.status < 400) {
    const target = failure.location === undefined ? '' : ` to ${truncate(call.redact(failure.location))}`;
    return `; the redirect${target} was not followed: set baseURL to the final address`;
  }
  switch (reason) {
    case FailureReason.AuthFailed:
      return '; check the API key and its permissions';
    case FailureReason.NotFound:
      return '; check the model name and baseURL';
    case FailureReason.QuotaExhausted:
      return '; retrying does not help until the quota or credit is raised';
    default:
      return '';
  }
}

/** Formats a provider's message as `: message`, without the API key, on one line and truncated. */
export function quoteProviderMessage(call: CallContext, message: string | undefined): string {
  if (message === undefined) return '';
  const oneLine = call.redact(message).replace(/\s+/g, ' ').trim();
  return oneLine === '' ? '' : `: ${truncate(oneLine)}`;
}

function truncate(text: string): string {
  if (text.length <= maxQuotedMessageLength) return text;
  return `${text.slice(0, maxQuotedMessageLength - 1)}…`;
}
