import { withEchoedKey, type ErrorCase, type ErrorContext, type ErrorResponse } from '../dialect.js';

interface OpenAIErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | number | null;
}

/**
 * Renders an error as the OpenAI API sends it: `{"error":{"message","type","param","code"}}`.
 * A 429 is either a rate limit (type `requests`, code `rate_limit_exceeded`, with the
 * x-ratelimit-* headers) or an exhausted quota (type and code `insufficient_quota`).
 */
export function renderOpenAIError(error: ErrorCase, { echoedKey }: ErrorContext): ErrorResponse {
  const { status, object, headers } = describeError(error);
  if (echoedKey !== undefined) {
    // OpenAI itself echoes a masked key here; the simulator echoes it whole, the worst case for leaks.
    object.message =
      error.type === 'wrongKey'
        ? `Incorrect API key provided: ${echoedKey}. You can find your API key at https://platform.openai.com/account/api-keys.`
        : withEchoedKey(object.message, echoedKey);
  }
  return { status, headers, body: { error: object } };
}

function describeError(error: ErrorCase): { status: number; object: OpenAIErrorObject; headers: Record<string, string> } {
  const invalid = (message: string, param: string | null = null, code: string | null = null): OpenAIErrorObject => ({
    message,
    type: 'invalid_request_error',
    param,
    code,
  });

  switch (error.type) {
    case 'invalidJson':
      return {
        status: 400,
        headers: {},
        object: invalid(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        ),
      };
    case 'invalidRequest':
      return { status: 400, headers: {}, object: invalid(error.message, error.param ?? null, error.code ?? null) };
    case 'bodyTooLarge':
      return { status: 413, headers: {}, object: invalid(`The request body exceeds the maximum size of ${error.limitBytes} bytes.`) };
    case 'missingKey':
      return {
        status: 401,
        headers: {},
        object: invalid(
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        ),
      };
    case 'wrongKey':
      return {
        status: 401,
        headers: {},
        object: invalid(
          'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
          null,
          'invalid_api_key',
        ),
      };
    case 'notFound':
      return { status: 404, headers: {}, object: invalid(`Invalid URL (${error.method} ${error.path})`) };
    case 'injected':
      return describeInjected(error);
  }
}

function describeInjected(error: Extract<ErrorCase, { type: 'injected' }>): {
  status: number;
  object: OpenAIErrorObject;
  headers: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  const object = injectedObject(error);
  if (error.message !== undefined) object.message = error.message;
  if (error.status === 429 && error.kind === 'rateLimit') {
    headers['x-ratelimit-limit-requests'] = '500';
    headers['x-ratelimit-remaining-requests'] = '0';
    headers['x-ratelimit-reset-requests'] = `${error.retryAfterSeconds ?? 1}s`;
    headers['x-ratelimit-limit-tokens'] = '200000';
    headers['x-ratelimit-remaining-tokens'] = '0';
    headers['x-ratelimit-reset-tokens'] = `${error.retryAfterSeconds ?? 1}s`;
  }
  return { status: error.status, headers, object };
}

function injectedObject(error: Extract<ErrorCase, { type: 'injected' }>): OpenAIErrorObject {
  const object = (message: string, type: string, code: string | number | null = null): OpenAIErrorObject => ({
    message,
    type,
    param: null,
    code,
  });

  switch (error.status) {
    case 400:
      return object('Invalid request.', 'invalid_request_error');
    case 401:
      return object('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    case 403:
      return object('You are not allowed to sample from this model.', 'invalid_request_error');
    case 404:
      return object(`The model \`${error.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
    case 429:
      return error.kind === 'quota'
        ? object(
            'You exceeded your current quota, please check your plan and billing details.',
            'insufficient_quota',
            'insufficient_quota',
          )
        : object(
            `Rate limit reached for ${error.model} on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${error.retryAfterSeconds ?? 1}s.`,
            'requests',
            'rate_limit_exceeded',
          );
    case 502:
      return object('Bad gateway.', 'cf_bad_gateway', 502);
    case 503:
      return object('The server is overloaded or not ready yet.', 'server_error');
    case 504:
      return object('Gateway timeout.', 'cf_gateway_timeout', 504);
    default:
      return error.status >= 500
        ? object('The server had an error while processing your request. Sorry about that!', 'server_error')
        : object(`Request failed with status ${error.status}.`, 'invalid_request_error');
  }
}
