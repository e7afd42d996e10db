import { APIConnectionError, APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startSimulator, type RunningSimulator } from '../simulator/index.js';
import { createOpenAIProvider, describeOpenAIError } from './openai.js';
import type { ChatRequest, Provider } from './provider.js';

describe('OpenAI provider', () => {
  let simulator: RunningSimulator;
  let provider: Provider;

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0 });
    provider = createOpenAIProvider({ apiKey: 'sk-test', baseURL: `${simulator.url}/v1` });
  });

  afterAll(async () => {
    await simulator.close();
  });

  beforeEach(() => {
    simulator.setScenario({});
  });

  function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
    return {
      model: 'gpt-sim',
      messages: [{ role: 'user', content: 'hello there world' }],
      parameters: {},
      stream: false,
      timeoutMs: 5_000,
      ...overrides,
    };
  }

  it.each([false, true])('answers with text, usage and metadata (stream %s)', async (stream) => {
    simulator.setScenario({ model: { responseModel: 'gpt-sim-2026-01-01', systemFingerprint: 'fp_test' } });

    const response = await provider.chat(chatRequest({ stream }));

    expect(response.text).toBe('hello there world');
    expect(response.usage).toEqual({ inputTokens: 3, outputTokens: 3 });
    expect(response.finishReason).toBe('stop');
    expect(response.rawFinishReason).toBe('stop');
    expect(response.responseModel).toBe('gpt-sim-2026-01-01');
    expect(response.systemFingerprint).toBe('fp_test');
    expect(response.modelVersion).toBeUndefined();
    expect(response.requestId).toMatch(/^req_/);
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
    expect(response.rawFinishReason).toBe('length');
    expect(response.usage?.outputTokens).toBe(2);
  });

  it.each([false, true])('stops at a stop sequence (stream %s)', async (stream) => {
    simulator.setScenario({ reply: 'alpha beta END gamma' });

    const response = await provider.chat(chatRequest({ stream, parameters: { stop: ['END'] } }));

    expect(response.text.trim()).toBe('alpha beta');
    expect(response.finishReason).toBe('stop');
  });

  it.each([
    ['tool_calls', 'tool_calls'],
    ['function_call', 'tool_calls'],
    ['unknown_reason', 'other'],
  ] as const)('normalizes finish reason %s to %s', async (raw, normalized) => {
    simulator.setScenario({ finishReason: { openai: raw } });

    const response = await provider.chat(chatRequest());

    expect(response.finishReason).toBe(normalized);
    expect(response.rawFinishReason).toBe(raw);
  });

  it('reuses one SDK client for concurrent calls', async () => {
    const responses = await Promise.all(
      ['first call', 'second call', 'third call'].map((content) => provider.chat(chatRequest({ messages: [{ role: 'user', content }] }))),
    );

    expect(responses.map((response) => response.text)).toEqual(['first call', 'second call', 'third call']);
  });
});

describe('describeOpenAIError', () => {
  it('reads a string error member, as some compatible servers send it', () => {
    const error = APIError.generate(404, { error: 'model "llama9" not found, try pulling it first' }, undefined, new Headers());

    expect(describeOpenAIError(error)).toEqual({
      kind: 'http',
      failure: { status: 404, message: 'model "llama9" not found, try pulling it first', quotaExhausted: false },
    });
  });

  it('reads a body that is not JSON', () => {
    const error = APIError.generate(502, undefined, '<html>Bad Gateway</html>', new Headers({ 'x-request-id': 'req_1' }));

    expect(describeOpenAIError(error)).toEqual({
      kind: 'http',
      failure: { status: 502, message: '<html>Bad Gateway</html>', quotaExhausted: false, requestId: 'req_1' },
    });
  });

  it('reads retry-after-ms before retry-after', () => {
    const headers = new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' });
    const error = APIError.generate(429, { error: { message: 'slow down', code: 'rate_limit_exceeded' } }, undefined, headers);

    expect(describeOpenAIError(error)).toMatchObject({ kind: 'http', failure: { retryAfterSeconds: 1.5, quotaExhausted: false } });
  });

  it('leaves connection errors to the shared classification', () => {
    expect(describeOpenAIError(new APIConnectionError({ message: 'Connection error.' }))).toBeUndefined();
  });
});
