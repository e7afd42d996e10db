import { ApiError } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startSimulator, type RunningSimulator } from '../simulator/index.js';
import { createGeminiProvider, describeGeminiError } from './gemini.js';
import type { ChatRequest, Provider } from './provider.js';

describe('Gemini provider', () => {
  let simulator: RunningSimulator;
  let provider: Provider;

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0 });
    provider = createGeminiProvider({ apiKey: 'gemini-test-key', baseURL: simulator.url });
  });

  afterAll(async () => {
    await simulator.close();
  });

  beforeEach(() => {
    simulator.setScenario({});
  });

  function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
    return {
      model: 'gemini-sim',
      messages: [{ role: 'user', content: 'hello there world' }],
      parameters: {},
      stream: false,
      timeoutMs: 5_000,
      ...overrides,
    };
  }

  it.each([false, true])('answers with text, usage and metadata (stream %s)', async (stream) => {
    simulator.setScenario({ model: { modelVersion: 'gemini-sim-001' } });

    const response = await provider.chat(chatRequest({ stream }));

    expect(response.text).toBe('hello there world');
    expect(response.usage).toEqual({ inputTokens: 3, outputTokens: 3 });
    expect(response.finishReason).toBe('stop');
    expect(response.rawFinishReason).toBe('STOP');
    expect(response.modelVersion).toBe('gemini-sim-001');
    expect(response.responseModel).toBe('gemini-sim-001');
    expect(response.systemFingerprint).toBeUndefined();
    expect(response.requestId).toEqual(expect.any(String));
    expect(response.latencySeconds).toBeGreaterThan(0);
  });

  it('measures time to first token only when streaming', async () => {
    // Three words: the first after 200ms, then two more 100ms apart.
    simulator.setScenario({ timeToFirstToken: '200ms', tokenInterval: '100ms' });

    const streamed = await provider.chat(chatRequest({ stream: true }));
    const whole = await provider.chat(chatRequest({ stream: false }));

    // Lower bounds only: the server cannot send sooner, but a busy machine can read later.
    expect(streamed.timeToFirstTokenSeconds).toBeGreaterThanOrEqual(0.19);
    expect(streamed.latencySeconds).toBeGreaterThanOrEqual(0.39);
    expect(streamed.latencySeconds).toBeGreaterThanOrEqual(streamed.timeToFirstTokenSeconds ?? Infinity);
    expect(whole.timeToFirstTokenSeconds).toBeUndefined();
  });

  it.each([false, true])('stops at maxTokens with finish reason length (stream %s)', async (stream) => {
    simulator.setScenario({ reply: 'one two three four five' });

    const response = await provider.chat(chatRequest({ stream, parameters: { maxTokens: 2 } }));

    expect(response.text.trim()).toBe('one two');
    expect(response.finishReason).toBe('length');
    expect(response.rawFinishReason).toBe('MAX_TOKENS');
    expect(response.usage?.outputTokens).toBe(2);
  });

  it.each([false, true])('stops at a stop sequence (stream %s)', async (stream) => {
    simulator.setScenario({ reply: 'alpha beta END gamma' });

    const response = await provider.chat(chatRequest({ stream, parameters: { stop: ['END'] } }));

    expect(response.text.trim()).toBe('alpha beta');
    expect(response.finishReason).toBe('stop');
  });

  it.each([
    ['LANGUAGE', 'other'],
    ['MALFORMED_FUNCTION_CALL', 'other'],
    ['FINISH_REASON_UNSPECIFIED', 'other'],
  ] as const)('normalizes finish reason %s to %s', async (raw, normalized) => {
    simulator.setScenario({ finishReason: { gemini: raw } });

    const response = await provider.chat(chatRequest());

    expect(response.finishReason).toBe(normalized);
    expect(response.rawFinishReason).toBe(raw);
  });

  it.each(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII'])('fails finish reason %s as ContentFiltered', async (raw) => {
    simulator.setScenario({ finishReason: { gemini: raw } });

    const error = await provider.chat(chatRequest()).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: 'ProbeError', reason: 'ContentFiltered' });
  });

  it('sends system messages as the system instruction', async () => {
    // The simulator counts the words of every message, the system instruction included.
    const response = await provider.chat(
      chatRequest({ messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello there world' }] }),
    );

    expect(response.text).toBe('hello there world');
    expect(response.usage?.inputTokens).toBe(5);
  });
});

describe('describeGeminiError', () => {
  function apiError(status: number, error: object): ApiError {
    return new ApiError({ message: JSON.stringify({ error }), status });
  }

  const rateLimitMessage = 'You exceeded your current quota, please check your plan and billing details.';

  it('reads a per-minute quota as a rate limit with its retry delay', () => {
    const error = apiError(429, {
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      message: rateLimitMessage,
      details: [
        { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' },
      ],
    });

    expect(describeGeminiError(error)).toMatchObject({ kind: 'http', failure: { status: 429, quotaExhausted: false, retryAfterSeconds: 37 } });
  });

  it('reads a per-day quota as exhausted', () => {
    const error = apiError(429, {
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      message: rateLimitMessage,
      details: [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }] }],
    });

    expect(describeGeminiError(error)).toMatchObject({ kind: 'http', failure: { quotaExhausted: true, code: 'RESOURCE_EXHAUSTED' } });
  });

  it('reads a quota with limit 0 as exhausted', () => {
    const error = apiError(429, {
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      message: `${rateLimitMessage}\n* Quota exceeded for metric: generate_content_free_tier_requests, limit: 0, model: gemini-pro`,
    });

    expect(describeGeminiError(error)).toMatchObject({ kind: 'http', failure: { quotaExhausted: true } });
  });

  it('reads a 429 without details as a rate limit', () => {
    const error = apiError(429, { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Resource has been exhausted (e.g. check quota).' });

    expect(describeGeminiError(error)).toMatchObject({ kind: 'http', failure: { quotaExhausted: false } });
  });

  it('reads API_KEY_INVALID as an invalid key', () => {
    const error = apiError(400, {
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: 'API key not valid. Please pass a valid API key.',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
    });

    expect(describeGeminiError(error)).toMatchObject({ kind: 'http', failure: { status: 400, invalidApiKey: true, code: 'API_KEY_INVALID' } });
  });

  it('reads an error inside a stream', () => {
    const body = { error: { code: 500, status: 'INTERNAL', message: 'An internal error has occurred.' } };
    const error = new ApiError({ message: `got status: INTERNAL. ${JSON.stringify(body)}`, status: 500 });

    expect(describeGeminiError(error)).toEqual({ kind: 'errorInResponse', message: 'An internal error has occurred.', code: 'INTERNAL' });
  });
});
