import { withEchoedKey, type ErrorCase, type ErrorContext, type ErrorResponse } from '../dialect.js';

/** google.rpc status names by HTTP status, as Google APIs map them. */
const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
  529: 'UNAVAILABLE',
};

interface GeminiError {
  code: number;
  message: string;
  status: string;
  details?: object[];
}

/**
 * Renders an error as the Gemini API sends it: `{"error":{"code","message","status","details"}}`.
 * Like the real API, a wrong key gets 400 INVALID_ARGUMENT with reason API_KEY_INVALID and a
 * missing key 403 PERMISSION_DENIED, and the wait after a 429 travels in a RetryInfo detail,
 * not in a Retry-After header.
 */
export function renderGeminiError(error: ErrorCase, { echoedKey }: ErrorContext): ErrorResponse {
  const object = describeError(error);
  object.message = withEchoedKey(object.message, echoedKey);
  return { status: object.code, headers: {}, body: { error: object } };
}

function errorObject(code: number, message: string, details?: object[]): GeminiError {
  const object: GeminiError = { code, message, status: statusNames[code] ?? (code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION') };
  if (details) object.details = details;
  return object;
}

function describeError(error: ErrorCase): GeminiError {
  switch (error.type) {
    case 'invalidJson':
      return errorObject(400, `Invalid JSON payload received. ${error.detail}`);
    case 'invalidRequest':
      return errorObject(400, error.message);
    case 'bodyTooLarge':
      return errorObject(400, `Request payload size exceeds the limit: ${error.limitBytes} bytes.`);
    case 'missingKey':
      return errorObject(
        403,
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    case 'wrongKey':
      return errorObject(400, 'API key not valid. Please pass a valid API key.', [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
          metadata: { service: 'generativelanguage.googleapis.com' },
        },
      ]);
    case 'notFound':
      return errorObject(404, `Method not found: ${error.method} ${error.path}`);
    case 'injected': {
      const object = describeInjected(error);
      if (error.message !== undefined) object.message = error.message;
      return object;
    }
  }
}

function describeInjected(error: Extract<ErrorCase, { type: 'injected' }>): GeminiError {
  switch (error.status) {
    case 400:
      return errorObject(400, 'Request contains an invalid argument.');
    case 401:
      return errorObject(401, 'Request had invalid authentication credentials.');
    case 403:
      return errorObject(403, 'The caller does not have permission');
    case 404:
      return errorObject(
        404,
        `models/${error.model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      );
    case 429:
      return quotaError(error);
    case 500:
      return errorObject(500, 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
    case 503:
      return errorObject(503, 'The model is overloaded. Please try again later.');
    case 504:
      return errorObject(504, 'The request timed out. Please try again.');
    default:
      return errorObject(error.status, `Request failed with status ${error.status}.`);
  }
}

/**
 * Describes a 429 as Gemini sends it. A per-minute rate limit and a per-day quota share the
 * message and status, and only the QuotaFailure detail's quotaId distinguishes them.
 */
function quotaError(error: Extract<ErrorCase, { type: 'injected' }>): GeminiError {
  const daily = error.kind === 'quota';
  const limit = daily ? 250 : 10;
  const metric = 'generativelanguage.googleapis.com/generate_content_free_tier_requests';
  const retry = error.retryAfterSeconds === undefined ? '' : `\nPlease retry in ${error.retryAfterSeconds}s.`;
  const details: object[] = [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: metric,
          quotaId: daily ? 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' : 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
          quotaDimensions: { location: 'global', model: error.model },
          quotaValue: String(limit),
        },
      ],
    },
    {
      '@type': 'type.googleapis.com/google.rpc.Help',
      links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }],
    },
  ];
  if (error.retryAfterSeconds !== undefined) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${error.retryAfterSeconds}s` });
  }
  return errorObject(
    429,
    `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric: ${metric}, limit: ${limit}, model: ${error.model}${retry}`,
    details,
  );
}
