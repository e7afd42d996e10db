import { describe, expect, it } from 'vitest';

import { FailureReason } from '../reasons.js';
import { ResponseTooLargeError } from './bounded-fetch.js';
import { classifyTransportError, errorChain, reasonForHttpFailure, type HttpFailure } from './classify.js';

describe('reasonForHttpFailure', () => {
  const cases: { name: string; failure: HttpFailure; reason: FailureReason }[] = [
    { name: '302 redirect', failure: { status: 302 }, reason: FailureReason.InvalidResponse },
    { name: '400 bad request', failure: { status: 400 }, reason: FailureReason.BadRequest },
    { name: '400 invalid key', failure: { status: 400, invalidApiKey: true }, reason: FailureReason.AuthFailed },
    { name: '400 credit used up', failure: { status: 400, quotaExhausted: true }, reason: FailureReason.QuotaExhausted },
    { name: '401 unauthorized', failure: { status: 401 }, reason: FailureReason.AuthFailed },
    { name: '402 payment required', failure: { status: 402 }, reason: FailureReason.QuotaExhausted },
    { name: '403 forbidden', failure: { status: 403 }, reason: FailureReason.AuthFailed },
    { name: '404 not found', failure: { status: 404 }, reason: FailureReason.NotFound },
    { name: '408 request timeout', failure: { status: 408 }, reason: FailureReason.ServerError },
    { name: '409 conflict', failure: { status: 409 }, reason: FailureReason.BadRequest },
    { name: '413 too large', failure: { status: 413 }, reason: FailureReason.BadRequest },
    { name: '422 unprocessable', failure: { status: 422 }, reason: FailureReason.BadRequest },
    { name: '429 rate limit', failure: { status: 429 }, reason: FailureReason.RateLimited },
    { name: '429 quota', failure: { status: 429, quotaExhausted: true }, reason: FailureReason.QuotaExhausted },
    { name: '500 internal error', failure: { status: 500 }, reason: FailureReason.ServerError },
    { name: '502 bad gateway', failure: { status: 502 }, reason: FailureReason.ServerError },
    { name: '503 unavailable', failure: { status: 503 }, reason: FailureReason.Overloaded },
    { name: '504 gateway timeout', failure: { status: 504 }, reason: FailureReason.ServerError },
    { name: '529 overloaded', failure: { status: 529 }, reason: FailureReason.Overloaded },
    { name: '599 unknown 5xx', failure: { status: 599 }, reason: FailureReason.ServerError },
  ];

  it.each(cases)('maps $name to $reason', ({ failure, reason }) => {
    expect(reasonForHttpFailure(failure)).toBe(reason);
  });
});

/** Creates an error as undici raises it: a TypeError whose cause carries a system error code. */
function fetchError(message: string, code: string, causeMessage = `${code} 127.0.0.1`): TypeError {
  return new TypeError(message, { cause: Object.assign(new Error(causeMessage), { code }) });
}

describe('classifyTransportError', () => {
  const cases: { name: string; error: unknown; reason: FailureReason; messagePart: string }[] = [
    { name: 'refused connection', error: fetchError('fetch failed', 'ECONNREFUSED'), reason: FailureReason.NetworkError, messagePart: 'ECONNREFUSED' },
    { name: 'DNS failure', error: fetchError('fetch failed', 'ENOTFOUND', 'getaddrinfo ENOTFOUND api.invalid'), reason: FailureReason.NetworkError, messagePart: 'ENOTFOUND' },
    { name: 'reset before a response', error: fetchError('fetch failed', 'ECONNRESET'), reason: FailureReason.NetworkError, messagePart: 'ECONNRESET' },
    { name: 'reset during the body', error: fetchError('terminated', 'ECONNRESET'), reason: FailureReason.NetworkError, messagePart: 'ECONNRESET' },
    { name: 'closed during the body', error: fetchError('terminated', 'UND_ERR_SOCKET', 'other side closed'), reason: FailureReason.InvalidResponse, messagePart: 'cut off' },
    { name: 'expired certificate', error: fetchError('fetch failed', 'CERT_HAS_EXPIRED'), reason: FailureReason.NetworkError, messagePart: 'TLS' },
    { name: 'wrong TLS version', error: fetchError('fetch failed', 'ERR_SSL_WRONG_VERSION_NUMBER'), reason: FailureReason.NetworkError, messagePart: 'TLS' },
    {
      name: 'refused connection to several addresses',
      error: new TypeError('fetch failed', { cause: Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' }) }),
      reason: FailureReason.NetworkError,
      messagePart: 'connection failed (ECONNREFUSED): fetch failed',
    },
    { name: 'fetch failure without code', error: new TypeError('fetch failed', { cause: new Error('bad port') }), reason: FailureReason.NetworkError, messagePart: 'bad port' },
    { name: 'invalid JSON', error: new SyntaxError('Unexpected end of JSON input'), reason: FailureReason.InvalidResponse, messagePart: 'not valid JSON' },
    { name: 'oversized body', error: new TypeError('terminated', { cause: new ResponseTooLargeError('response body exceeded') }), reason: FailureReason.InvalidResponse, messagePart: 'too large' },
    { name: 'unknown error', error: new Error('Incomplete JSON segment at the end'), reason: FailureReason.InvalidResponse, messagePart: 'Incomplete JSON' },
  ];

  it.each(cases)('classifies $name as $reason', ({ error, reason, messagePart }) => {
    const failure = classifyTransportError(error);

    expect(failure.reason).toBe(reason);
    expect(failure.message).toContain(messagePart);
  });
});

describe('errorChain', () => {
  it('stops at a cause cycle', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    first.cause = second;

    expect(errorChain(first)).toEqual([first, second]);
  });
});
