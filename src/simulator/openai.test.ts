import { APIError, OpenAI } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startSimulator, type RunningSimulator } from './index.js';

let sim: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator();
  client = new OpenAI({ apiKey: 'test-key', baseURL: `${sim.url}/v1`, maxRetries: 0 });
});

afterAll(() => sim.close());

beforeEach(() => sim.setScenario({}));

const messages = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'Say hello to the world' },
];

describe('OpenAI chat completions', () => {
  it('echoes the last user message and counts words as tokens', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });

    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.system_fingerprint).toBe('fp_simulator');
    expect(completion.choices[0]?.message.content).toBe('Say hello to the world');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 5, total_tokens: 13 });
  });

  it('sends request id and processing time headers', async () => {
    const { response, data } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();

    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(Number(response.headers.get('openai-processing-ms'))).toBeGreaterThanOrEqual(0);
    expect(data.id).toMatch(/^chatcmpl-/);
  });

  it('cuts the answer at max_completion_tokens with finish reason length', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_completion_tokens: 2 });

    expect(completion.choices[0]?.message.content).toBe('Say hello');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(2);
  });

  it('cuts the answer at a stop sequence', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stop: [' to'] });

    expect(completion.choices[0]?.message.content).toBe('Say hello');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('returns deterministic logprobs with top alternatives', async () => {
    const request = { model: 'gpt-4o-mini', messages, logprobs: true, top_logprobs: 2 };

    const first = await client.chat.completions.create(request);
    const second = await client.chat.completions.create(request);

    const content = first.choices[0]?.logprobs?.content ?? [];
    expect(content.map((entry) => entry.token).join('')).toBe('Say hello to the world');
    expect(content.every((entry) => entry.logprob <= 0 && entry.logprob >= -0.5)).toBe(true);
    expect(content[0]?.top_logprobs).toHaveLength(2);
    expect(second.choices[0]?.logprobs?.content).toEqual(content);
  });

  it('uses the scenario logprob for every token', async () => {
    sim.setScenario({ logprob: -2.5 });

    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, logprobs: true });

    expect(completion.choices[0]?.logprobs?.content?.map((entry) => entry.logprob)).toEqual([-2.5, -2.5, -2.5, -2.5, -2.5]);
  });

  it('reports the scenario model identity', async () => {
    sim.setScenario({ model: { responseModel: 'gpt-4o-2024-08-06', systemFingerprint: 'fp_drifted' } });

    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages });

    expect(completion.model).toBe('gpt-4o-2024-08-06');
    expect(completion.system_fingerprint).toBe('fp_drifted');
  });
});

describe('OpenAI streaming', () => {
  it('streams word by word with usage in a final chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });

    const deltas: string[] = [];
    const finishReasons: (string | null)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        if (choice.delta.content) deltas.push(choice.delta.content);
        finishReasons.push(choice.finish_reason);
      }
      if (chunk.usage) usage = chunk.usage;
    }

    expect(deltas).toEqual(['Say', ' hello', ' to', ' the', ' world']);
    expect(finishReasons.at(-1)).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 8, completion_tokens: 5, total_tokens: 13 });
  });

  it('sends no usage without include_usage', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });

    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
  });

  it('assembles text and usage with the stream helper', async () => {
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages,
      stream_options: { include_usage: true },
      logprobs: true,
    });

    const completion = await stream.finalChatCompletion();

    expect(completion.choices[0]?.message.content).toBe('Say hello to the world');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.logprobs?.content).toHaveLength(5);
    expect(completion.usage?.total_tokens).toBe(13);
  });

  it('paces tokens by the token interval', async () => {
    sim.setScenario({ timeToFirstToken: '60ms', tokenInterval: '20ms' });
    const started = Date.now();

    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    const arrivals: number[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) arrivals.push(Date.now() - started);

    expect(arrivals[0]).toBeGreaterThanOrEqual(55);
    expect((arrivals[4] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(70);
  });

  it('raises the mid-stream error of a streamError fault', async () => {
    sim.setScenario({ faults: { kind: 'streamError', rate: 1 } });

    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    const deltas: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) deltas.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).type).toBe('server_error');
    expect(deltas.join('')).toBe('Say hello to');
  });
});

describe('OpenAI errors', () => {
  const cases = [
    { status: 400, name: 'BadRequestError', type: 'invalid_request_error', code: null },
    { status: 401, name: 'AuthenticationError', type: 'invalid_request_error', code: 'invalid_api_key' },
    { status: 403, name: 'PermissionDeniedError', type: 'invalid_request_error', code: null },
    { status: 404, name: 'NotFoundError', type: 'invalid_request_error', code: 'model_not_found' },
    { status: 429, name: 'RateLimitError', type: 'requests', code: 'rate_limit_exceeded' },
    { status: 500, name: 'InternalServerError', type: 'server_error', code: null },
    { status: 502, name: 'InternalServerError', type: 'cf_bad_gateway', code: 502 },
    { status: 503, name: 'InternalServerError', type: 'server_error', code: null },
  ];

  it.each(cases)('maps injected $status to $name', async ({ status, name, type, code }) => {
    sim.setScenario({ errors: { rate: 1, status } });

    const failure = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(APIError);
    const error = failure as APIError;
    expect(error.constructor.name).toBe(name);
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    expect(error.code).toBe(code);
    expect(error.requestID).toMatch(/^req_/);
  });

  it('sends retry-after and rate limit headers on 429', async () => {
    sim.setScenario({ errors: { rate: 1, status: 429, retryAfter: '3s' } });

    const response = await postChat({ model: 'gpt-4o-mini', messages });

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(response.headers.get('x-ratelimit-reset-requests')).toBe('3s');
  });

  it('reports an exhausted quota as insufficient_quota', async () => {
    sim.setScenario({ errors: { rate: 1, status: 429, kind: 'quota' } });

    const failure = (await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).catch((error: unknown) => error)) as APIError;

    expect(failure.status).toBe(429);
    expect(failure.type).toBe('insufficient_quota');
    expect(failure.code).toBe('insufficient_quota');
  });

  it('uses the scenario error message', async () => {
    sim.setScenario({ errors: { rate: 1, status: 500, message: 'fire drill' } });

    const body = (await (await postChat({ model: 'gpt-4o-mini', messages })).json()) as { error: { message: string } };

    expect(body.error.message).toBe('fire drill');
  });
});

describe('OpenAI invalid requests', () => {
  const cases = [
    { name: 'body that is not JSON', body: '{"model":', param: null, message: /could not parse the JSON body/ },
    { name: 'missing model', body: { messages }, param: null, message: /you must provide a model parameter/ },
    { name: 'missing messages', body: { model: 'm' }, param: 'messages', message: /Missing required parameter: 'messages'/ },
    { name: 'empty messages', body: { model: 'm', messages: [] }, param: 'messages', message: /empty array/ },
    { name: 'unknown role', body: { model: 'm', messages: [{ role: 'robot', content: 'x' }] }, param: 'messages[0].role', message: /Invalid value: 'robot'/ },
    { name: 'numeric content', body: { model: 'm', messages: [{ role: 'user', content: 7 }] }, param: 'messages[0].content', message: /got an integer instead/ },
    { name: 'zero max_tokens', body: { model: 'm', messages, max_tokens: 0 }, param: 'max_tokens', message: /below minimum value/ },
    { name: 'stream_options without stream', body: { model: 'm', messages, stream_options: { include_usage: true } }, param: 'stream_options', message: /only allowed when 'stream' is enabled/ },
    { name: 'JSON array body', body: [1, 2], param: null, message: /expected an object, but got an array/ },
  ];

  it.each(cases)('rejects $name with a 400', async ({ body, param, message }) => {
    const response = await postChat(body);
    const error = ((await response.json()) as { error: { message: string; type: string; param: string | null } }).error;

    expect(response.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });

  it('answers an unknown path with Invalid URL', async () => {
    const response = await fetch(`${sim.url}/v1/nothing`, { method: 'POST' });

    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('Invalid URL (POST /v1/nothing)');
  });
});

describe('OpenAI models and embeddings', () => {
  it('lists models', async () => {
    const models = await client.models.list();

    expect(models.data.map((model) => model.id)).toContain('gpt-4o-mini');
  });

  it('returns the same base64 embedding for the same input', async () => {
    const first = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['the cat sat', 'the cat sat'] });

    const vector = first.data[0]?.embedding ?? [];
    expect(vector).toHaveLength(64);
    expect(first.data[1]?.embedding).toEqual(vector);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(first.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
  });

  it('returns float embeddings of the requested dimensions', async () => {
    const response = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'a cat on a mat',
      dimensions: 16,
      encoding_format: 'float',
    });

    expect(response.data[0]?.embedding).toHaveLength(16);
  });

  it('gives similar texts closer vectors', async () => {
    const response = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['the cat sat on the mat', 'the cat sat on a mat', 'quarterly revenue grew strongly'],
    });
    const [cat, similar, unrelated] = response.data.map((item) => item.embedding);
    const cosine = (a: number[] = [], b: number[] = []): number => a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);

    expect(cosine(cat, similar)).toBeGreaterThan(cosine(cat, unrelated));
    expect(cosine(cat, similar)).toBeGreaterThan(0.7);
  });
});

function postChat(body: unknown): Promise<Response> {
  return fetch(`${sim.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
