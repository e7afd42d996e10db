import { Anthropic, APIError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startSimulator, type RunningSimulator } from './index.js';

let sim: RunningSimulator;
let client: Anthropic;

beforeAll(async () => {
  sim = await startSimulator();
  client = new Anthropic({ apiKey: 'test-key', baseURL: sim.url, maxRetries: 0 });
});

afterAll(() => sim.close());

beforeEach(() => sim.setScenario({}));

const request = {
  model: 'claude-haiku-4-5',
  max_tokens: 100,
  system: 'You are terse.',
  messages: [{ role: 'user' as const, content: 'Say hello to the world' }],
};

describe('Anthropic messages', () => {
  it('echoes the last user message and counts words as tokens', async () => {
    const message = await client.messages.create(request);

    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.model).toBe('claude-haiku-4-5');
    expect(message.content).toEqual([{ type: 'text', text: 'Say hello to the world' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 8, output_tokens: 5 });
  });

  it('sends a request id header', async () => {
    const { response, data } = await client.messages.create(request).withResponse();

    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(data.id).toMatch(/^msg_/);
  });

  it('stops at max_tokens', async () => {
    const message = await client.messages.create({ ...request, max_tokens: 3 });

    expect(message.content).toEqual([{ type: 'text', text: 'Say hello to' }]);
    expect(message.stop_reason).toBe('max_tokens');
  });

  it('reports the stop sequence that ended the answer', async () => {
    const message = await client.messages.create({ ...request, stop_sequences: [' the'] });

    expect(message.content).toEqual([{ type: 'text', text: 'Say hello to' }]);
    expect(message.stop_reason).toBe('stop_sequence');
    expect(message.stop_sequence).toBe(' the');
  });

  it('answers with the rule reply and model', async () => {
    sim.setScenario({ rules: [{ match: { prompt: 'hello' }, reply: 'Bonjour', responseModel: 'claude-3-haiku-20240307' }] });

    const message = await client.messages.create(request);

    expect(message.content).toEqual([{ type: 'text', text: 'Bonjour' }]);
    expect(message.model).toBe('claude-3-haiku-20240307');
  });
});

describe('Anthropic streaming', () => {
  it('assembles text and usage with the stream helper', async () => {
    const stream = client.messages.stream(request);

    const message = await stream.finalMessage();

    expect(message.content).toEqual([{ type: 'text', text: 'Say hello to the world' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 8, output_tokens: 5 });
  });

  it('sends the real event sequence', async () => {
    const response = await postMessages({ ...request, stream: true });
    const events = [...(await response.text()).matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);

    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('raises the overloaded error event of a streamError fault', async () => {
    sim.setScenario({ faults: { kind: 'streamError', rate: 1 } });

    const stream = client.messages.stream(request);
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const failure = await stream.finalMessage().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).type).toBe('overloaded_error');
    expect(texts.join('')).toBe('Say hello to');
  });
});

describe('Anthropic errors', () => {
  const cases = [
    { status: 400, name: 'BadRequestError', type: 'invalid_request_error' },
    { status: 401, name: 'AuthenticationError', type: 'authentication_error' },
    { status: 403, name: 'PermissionDeniedError', type: 'permission_error' },
    { status: 404, name: 'NotFoundError', type: 'not_found_error' },
    { status: 429, name: 'RateLimitError', type: 'rate_limit_error' },
    { status: 500, name: 'InternalServerError', type: 'api_error' },
    { status: 529, name: 'OverloadedError', type: 'overloaded_error' },
  ];

  it.each(cases)('maps injected $status to $name', async ({ status, name, type }) => {
    sim.setScenario({ errors: { rate: 1, status } });

    const failure = await client.messages.create(request).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(APIError);
    const error = failure as APIError;
    expect(error.constructor.name).toBe(name);
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    expect(error.requestID).toMatch(/^req_/);
  });

  it('sends retry-after and rate limit headers on 429', async () => {
    sim.setScenario({ errors: { rate: 1, status: 429, retryAfter: '2s' } });

    const response = await postMessages(request);
    const body = (await response.json()) as { type: string; request_id: string };

    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(body.type).toBe('error');
    expect(body.request_id).toBe(response.headers.get('request-id'));
  });

  it('marks an exhausted quota with its error code', async () => {
    sim.setScenario({ errors: { rate: 1, status: 429, kind: 'quota' } });

    const failure = await client.messages.create(request).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).constructor.name).toBe('EnforcedSpendLimitReachedError');
    expect((failure as APIError).errorCode).toBe('enforced_spend_limit_reached');
  });

  it('stops with refusal on a contentFilter fault', async () => {
    sim.setScenario({ faults: { kind: 'contentFilter', rate: 1 } });

    const message = await client.messages.create(request);

    expect(message.stop_reason).toBe('refusal');
    expect(message.content).toEqual([]);
  });
});

describe('Anthropic invalid requests', () => {
  const version = { 'anthropic-version': '2023-06-01' };
  const cases: { name: string; headers: Record<string, string>; body: unknown; message: string | RegExp }[] = [
    { name: 'missing version header', headers: {}, body: request, message: 'anthropic-version: header is required' },
    { name: 'body that is not JSON', headers: version, body: '{', message: /^There was an issue with the request body/ },
    { name: 'missing max_tokens', headers: version, body: { ...request, max_tokens: undefined }, message: 'max_tokens: Field required' },
    { name: 'missing messages', headers: version, body: { model: 'c', max_tokens: 5 }, message: 'messages: Field required' },
    { name: 'empty messages', headers: version, body: { ...request, messages: [] }, message: 'messages: at least one message is required' },
    {
      name: 'unknown role',
      headers: version,
      body: { ...request, messages: [{ role: 'system', content: 'x' }] },
      message: "messages.0.role: Input should be 'user' or 'assistant'",
    },
    {
      name: 'temperature on version 2026-10-21',
      headers: { 'anthropic-version': '2026-10-21' },
      body: { ...request, temperature: 1 },
      message: 'temperature: Extra inputs are not permitted',
    },
  ];

  it.each(cases)('rejects $name with a 400', async ({ headers, body, message }) => {
    const response = await postMessages(body, headers);
    const error = ((await response.json()) as { error: { type: string; message: string } }).error;

    expect(response.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toMatch(message);
  });

  it('accepts temperature on older versions', async () => {
    const response = await postMessages({ ...request, temperature: 1 });

    expect(response.status).toBe(200);
  });
});

describe('Anthropic models', () => {
  it('lists models in Anthropic format', async () => {
    const page = await client.models.list();

    expect(page.data.map((model) => model.id)).toContain('claude-haiku-4-5');
    expect(page.data[0]?.type).toBe('model');
  });
});

function postMessages(body: unknown, headers: Record<string, string> = { 'anthropic-version': '2023-06-01' }): Promise<Response> {
  return fetch(`${sim.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
