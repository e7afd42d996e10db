import { withEchoedKey, type ErrorCase, type ErrorContext, type ErrorResponse } from '../dialect.js';

/**
 * Renders an error as the Anthropic API sends it:
 * `{"type":"error","error":{"type","message"},"request_id"}`, with 529 for `overloaded_error`.
 */
export function renderAnthropicError(error: ErrorCase, { echoedKey, requestId }: ErrorContext): ErrorResponse {
  const { status, type, message } = describeError(error);
  const headers: Record<string, string> = {};
  if (error.type === 'injected' && error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if (error.type === 'injected' && status === 429) {
    const resetAt = new Date(Date.now() + (error.retryAfterSeconds ?? 1) * 1000).toISOString();
    headers['anthropic-ratelimit-requests-limit'] = '50';
    headers['anthropic-ratelimit-requests-remaining'] = '0';
    headers['anthropic-ratelimit-requests-reset'] = resetAt;
  }
  const text = error.type === 'wrongKey' && echoedKey !== undefined ? `invalid x-api-key: ${echoedKey}` : withEchoedKey(message, echoedKey);
  const object: Record<string, unknown> = { type, message: text };
  // API version 2026-10-21 names the cause of some errors in details.error_code, which
  // @anthropic-ai/sdk 1.17 maps to error classes such as EnforcedSpendLimitReachedError.
  if (error.type === 'injected' && status === 429 && error.kind === 'quota') {
    object.details = { error_code: 'enforced_spend_limit_reached' };
  }
  return { status, headers, body: { type: 'error', error: object, request_id: requestId } };
}

function describeError(error: ErrorCase): { status: number; type: string; message: string } {
  switch (error.type) {
    case 'invalidJson':
      return { status: 400, type: 'invalid_request_error', message: `There was an issue with the request body: ${error.detail}` };
    case 'invalidRequest':
      return { status: 400, type: 'invalid_request_error', message: error.message };
    case 'bodyTooLarge':
      return { status: 413, type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' };
    case 'missingKey':
      return { status: 401, type: 'authentication_error', message: 'x-api-key header is required' };
    case 'wrongKey':
      return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
    case 'notFound':
      return { status: 404, type: 'not_found_error', message: 'Not Found' };
    case 'injected': {
      const described = describeInjected(error.status, error.kind, error.model);
      return error.message === undefined ? described : { ...described, message: error.message };
    }
  }
}

function describeInjected(status: number, kind: string, model: string): { status: number; type: string; message: string } {
  switch (status) {
    case 400:
      return { status, type: 'invalid_request_error', message: 'Invalid request.' };
    case 401:
      return { status, type: 'authentication_error', message: 'invalid x-api-key' };
    case 403:
      return { status, type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' };
    case 404:
      return { status, type: 'not_found_error', message: `model: ${model}` };
    case 413:
      return { status, type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' };
    case 429:
      return {
        status,
        type: 'rate_limit_error',
        message:
          kind === 'quota'
            ? 'You have reached your specified API usage limits. You will regain access when your limits reset.'
            : 'This request would exceed the rate limit for your organization of 50 requests per minute.',
      };
    case 504:
      return { status, type: 'timeout_error', message: 'Request timed out.' };
    case 529:
      return { status, type: 'overloaded_error', message: 'Overloaded' };
    default:
      return status >= 500
        ? { status, type: 'api_error', message: 'Internal server error' }
        : { status, type: 'invalid_request_error', message: `Request failed with status ${status}.` };
  }
}
