import { APIError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startSimulator, type RunningSimulator } from '../simulator/index.js';
import { createAnthropicProvider, describeAnthropicError } from './anthropic.js';
import type { ChatRequest, Provider } from './provider.js';

describe('Anthropic provider', () => {
  let simulator: RunningSimulator;
  let provider: Provider;

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0 });
    provider = createAnthropicProvider({ apiKey: 'sk-ant-test', baseURL: simulator.url });
  });

  afterAll(async () => {
    await simulator.close();
  });

  beforeEach(() => {
    simulator.setScenario({});
  });

  function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
    return {
      model: 'claude-sim',
      messages: [{ role: 'user', content: 'hello there world' }],
      parameters: {},
      stream: false,
      timeoutMs: 5_000,
      ...overrides,
    };
  }

  it.each([false, true])('answers with text, usage and metadata (stream %s)', async (stream) => {
    simulator.setScenario({ model: { responseModel: 'claude-sim-20260101' } });

    const response = await provider.chat(chatRequest({ stream }));

    expect(response.text).toBe('hello there world');
    expect(response.usage).toEqual({ inputTokens: 3, outputTokens: 3 });
    expect(response.finishReason).toBe('stop');
    expect(response.rawFinishReason).toBe('end_turn');
    expect(response.responseModel).toBe('claude-sim-20260101');
    expect(response.systemFingerprint).toBeUndefined();
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
    expect(response.rawFinishReason).toBe('max_tokens');
    expect(response.usage?.outputTokens).toBe(2);
  });

  it.each([false, true])('stops at a stop sequence (stream %s)', async (stream) => {
    simulator.setScenario({ reply: 'alpha beta END gamma' });

    const response = await provider.chat(chatRequest({ stream, parameters: { stop: ['END'] } }));

    expect(response.text.trim()).toBe('alpha beta');
    expect(response.finishReason).toBe('stop');
    expect(response.rawFinishReason).toBe('stop_sequence');
  });

  it.each([
    ['tool_use', 'tool_calls'],
    ['model_context_window_exceeded', 'length'],
    ['pause_turn', 'other'],
  ] as const)('normalizes stop reason %s to %s', async (raw, normalized) => {
    simulator.setScenario({ finishReason: { anthropic: raw } });

    const response = await provider.chat(chatRequest());

    expect(response.finishReason).toBe(normalized);
    expect(response.rawFinishReason).toBe(raw);
  });

  it('sends system messages as the system prompt', async () => {
    // The simulator counts the words of every message, the system prompt included.
    const response = await provider.chat(
      chatRequest({ messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello there world' }] }),
    );

    expect(response.text).toBe('hello there world');
    expect(response.usage?.inputTokens).toBe(5);
  });
});

describe('describeAnthropicError', () => {
  function apiError(status: number, error: object): APIError {
    return APIError.generate(status, { type: 'error', error, request_id: 'req_body' }, undefined, new Headers());
  }

  const cases: { name: string; status: number; error: object; quotaExhausted: boolean }[] = [
    {
      name: 'a spend-limit code',
      status: 429,
      error: { type: 'rate_limit_error', message: 'limit reached', details: { error_code: 'enforced_spend_limit_reached' } },
      quotaExhausted: true,
    },
    {
      name: 'a ramp limit, which clears after a wait',
      status: 429,
      error: { type: 'rate_limit_error', message: 'slow down', details: { error_code: 'ramp_limit_exceeded' } },
      quotaExhausted: false,
    },
    {
      name: 'a plain rate limit',
      status: 429,
      error: { type: 'rate_limit_error', message: 'This request would exceed the rate limit for your organization.' },
      quotaExhausted: false,
    },
    {
      name: 'a used-up credit balance',
      status: 400,
      error: { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API.' },
      quotaExhausted: true,
    },
    {
      name: 'an invalid request',
      status: 400,
      error: { type: 'invalid_request_error', message: 'messages: at least one message is required' },
      quotaExhausted: false,
    },
  ];

  it.each(cases)('reads $name', ({ status, error, quotaExhausted }) => {
    expect(describeAnthropicError(apiError(status, error))).toMatchObject({
      kind: 'http',
      failure: { status, quotaExhausted, requestId: 'req_body' },
    });
  });
});
