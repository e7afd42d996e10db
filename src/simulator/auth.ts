import type { IncomingHttpHeaders } from 'node:http';

import { sendError, type RequestContext } from './context.js';
import type { ErrorCase } from './dialect.js';
import type { ApiName } from './scenario.js';

/**
 * Returns the API key a request carries, from where each API reads it: OpenAI from
 * `Authorization: Bearer`; Anthropic from `x-api-key`, else `Authorization: Bearer` (which
 * @anthropic-ai/sdk 1.x sends); Gemini from `x-goog-api-key`, else the `key` query parameter.
 */
export function presentedKey(api: ApiName, headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  switch (api) {
    case 'openai':
      return bearerToken(headers.authorization);
    case 'anthropic':
      return singleHeader(headers['x-api-key']) ?? bearerToken(headers.authorization);
    case 'gemini':
      return singleHeader(headers['x-goog-api-key']) ?? query.get('key') ?? undefined;
  }
}

function bearerToken(authorization: string | undefined): string | undefined {
  return authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Returns the authentication error for a request, or undefined when it may proceed. */
export function checkKey(expectedKey: string | undefined, key: string | undefined): ErrorCase | undefined {
  if (expectedKey === undefined) return undefined;
  if (key === undefined || key === '') return { type: 'missingKey' };
  return key === expectedKey ? undefined : { type: 'wrongKey' };
}

/**
 * Checks the request's key against the scenario's. When it is missing or wrong, sends the
 * API's authentication error, counts it and returns false. With echoApiKeyInErrors, keeps
 * the key in the context for error messages.
 */
export function authorize(context: RequestContext): boolean {
  const { dialect, dialectRequest, scenario } = context;
  const key = presentedKey(dialect.api, dialectRequest.headers, dialectRequest.query);
  if (scenario.echoApiKeyInErrors && key !== undefined) context.echoedKey = key;

  const error = checkKey(scenario.apiKey, key);
  if (error === undefined) return true;
  context.stats.recordOutcome(dialect.api, 'authFailed');
  sendError(context, error);
  return false;
}
