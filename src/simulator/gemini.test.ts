import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startSimulator, type RunningSimulator } from './index.js';

let sim: RunningSimulator;
let client: GoogleGenAI;

beforeAll(async () => {
  sim = await startSimulator();
  client = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: sim.url } });
});

afterAll(() => sim.close());

beforeEach(() => sim.setScenario({}));

const request = {
  model: 'gemini-2.5-flash',
  contents: 'Say hello to the world',
  config: { systemInstruction: 'You are terse.' },
};

/** Parses the JSON body that @google/genai puts into ApiError messages. */
function errorBody(error: unknown): { error: { code: number; status: string; message: string; details?: Record<string, unknown>[] } } {
  expect(error).toBeInstanceOf(ApiError);
  return JSON.parse((error as ApiError).message) as ReturnType<typeof errorBody>;
}

describe('Gemini generateContent', () => {
  it('echoes the last user message and counts words as tokens', async () => {
    const response = await client.models.generateContent(request);

    expect(response.text).toBe('Say hello to the world');
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.candidates?.[0]?.content?.role).toBe('model');
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 8, candidatesTokenCount: 5, totalTokenCount: 13 });
    expect(response.modelVersion).toBe('gemini-2.5-flash');
    expect(response.responseId).toBeTruthy();
  });

  it('stops at maxOutputTokens with MAX_TOKENS', async () => {
    const response = await client.models.generateContent({ ...request, config: { maxOutputTokens: 2 } });

    expect(response.text).toBe('Say hello');
    expect(response.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
  });

  it('reports the scenario model version', async () => {
    sim.setScenario({ model: { modelVersion: 'gemini-2.5-flash-preview-05-20' } });

    const response = await client.models.generateContent(request);

    expect(response.modelVersion).toBe('gemini-2.5-flash-preview-05-20');
  });

  it('returns logprobs when asked', async () => {
    const response = await client.models.generateContent({ ...request, config: { responseLogprobs: true, logprobs: 2 } });

    const candidate = response.candidates?.[0];
    expect(candidate?.logprobsResult?.chosenCandidates).toHaveLength(5);
    expect(candidate?.logprobsResult?.topCandidates?.[0]?.candidates).toHaveLength(2);
    expect(candidate?.avgLogprobs).toBeLessThanOrEqual(0);
  });

  it('ends with SAFETY on a contentFilter fault', async () => {
    sim.setScenario({ faults: { kind: 'contentFilter', rate: 1 } });

    const response = await client.models.generateContent(request);

    expect(response.candidates?.[0]?.finishReason).toBe('SAFETY');
    expect(response.text).toBeUndefined();
  });

  it('blocks the prompt on a contentFilter fault with blockPrompt', async () => {
    sim.setScenario({ faults: { kind: 'contentFilter', rate: 1, blockPrompt: true } });

    const response = await client.models.generateContent(request);

    expect(response.promptFeedback?.blockReason).toBe('SAFETY');
    expect(response.candidates).toBeUndefined();
  });

  it('spends the budget on thoughts on an emptyLength fault', async () => {
    sim.setScenario({ faults: { kind: 'emptyLength', rate: 1 } });

    const response = await client.models.generateContent({ ...request, config: { maxOutputTokens: 30 } });

    expect(response.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    expect(response.candidates?.[0]?.content?.parts).toBeUndefined();
    expect(response.usageMetadata?.thoughtsTokenCount).toBe(30);
  });
});

describe('Gemini streaming', () => {
  it('streams word by word and ends with the finish reason and usage', async () => {
    const stream = await client.models.generateContentStream(request);

    const texts: string[] = [];
    let last;
    for await (const chunk of stream) {
      if (chunk.text) texts.push(chunk.text);
      last = chunk;
    }

    expect(texts).toEqual(['Say', ' hello', ' to', ' the', ' world']);
    expect(last?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(last?.usageMetadata).toMatchObject({ promptTokenCount: 8, candidatesTokenCount: 5, totalTokenCount: 13 });
  });

  it('sends a JSON array without alt=sse', async () => {
    const response = await fetch(`${sim.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'one two' }] }] }),
    });

    const chunks = (await response.json()) as { candidates: { content?: { parts?: { text: string }[] } }[] }[];

    expect(chunks).toHaveLength(3);
    expect(chunks.map((chunk) => chunk.candidates[0]?.content?.parts?.[0]?.text).join('')).toBe('one two');
  });

  it('raises the error of a streamError fault', async () => {
    sim.setScenario({ faults: { kind: 'streamError', rate: 1 } });

    const stream = await client.models.generateContentStream(request);
    const texts: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) texts.push(chunk.text ?? '');
    })().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(503);
    expect((failure as ApiError).message).toMatch(/^got status: UNAVAILABLE\. \{"error":/);
    expect(texts.join('')).toBe('Say hello to');
  });
});

describe('Gemini errors', () => {
  const cases = [
    { status: 400, name: 'INVALID_ARGUMENT' },
    { status: 403, name: 'PERMISSION_DENIED' },
    { status: 404, name: 'NOT_FOUND' },
    { status: 429, name: 'RESOURCE_EXHAUSTED' },
    { status: 500, name: 'INTERNAL' },
    { status: 503, name: 'UNAVAILABLE' },
    { status: 504, name: 'DEADLINE_EXCEEDED' },
  ];

  it.each(cases)('maps injected $status to $name', async ({ status, name }) => {
    sim.setScenario({ errors: { rate: 1, status } });

    const failure = await client.models.generateContent(request).catch((error: unknown) => error);

    const body = errorBody(failure);
    expect((failure as ApiError).status).toBe(status);
    expect(body.error.code).toBe(status);
    expect(body.error.status).toBe(name);
  });

  it('tells a rate limit from a daily quota only by quotaId', async () => {
    const quotaIds: unknown[] = [];
    for (const kind of ['rateLimit', 'quota'] as const) {
      sim.setScenario({ errors: { rate: 1, status: 429, kind } });
      const body = errorBody(await client.models.generateContent(request).catch((error: unknown) => error));
      expect(body.error.message).toMatch(/^You exceeded your current quota/);
      const violations = body.error.details?.[0]?.violations as { quotaId: string }[];
      quotaIds.push(violations[0]?.quotaId);
    }

    expect(quotaIds).toEqual(['GenerateRequestsPerMinutePerProjectPerModel-FreeTier', 'GenerateRequestsPerDayPerProjectPerModel-FreeTier']);
  });

  it('puts the retry delay in RetryInfo and no Retry-After header', async () => {
    sim.setScenario({ errors: { rate: 1, status: 429, retryAfter: '7s' } });

    const response = await postGenerate({ contents: [{ parts: [{ text: 'hi' }] }] });
    const body = (await response.json()) as { error: { message: string; details: Record<string, unknown>[] } };

    expect(response.headers.get('retry-after')).toBeNull();
    expect(body.error.details.at(-1)).toEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' });
    expect(body.error.message).toMatch(/Please retry in 7s\.$/);
  });
});

describe('Gemini invalid requests', () => {
  const cases = [
    { name: 'body that is not JSON', body: '{', message: /^Invalid JSON payload received/ },
    { name: 'missing contents', body: {}, message: /contents is not specified/ },
    { name: 'empty parts', body: { contents: [{ role: 'user', parts: [] }] }, message: /contents.parts must not be empty/ },
    { name: 'unknown role', body: { contents: [{ role: 'robot', parts: [{ text: 'x' }] }] }, message: 'Please use a valid role: user, model.' },
    {
      name: 'non-integer maxOutputTokens',
      body: { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { maxOutputTokens: 'many' } },
      message: /generation_config.max_output_tokens/,
    },
  ];

  it.each(cases)('rejects $name with a 400', async ({ body, message }) => {
    const response = await postGenerate(body);
    const error = ((await response.json()) as { error: { code: number; status: string; message: string } }).error;

    expect(response.status).toBe(400);
    expect(error.status).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
  });
});

describe('Gemini models and embeddings', () => {
  it('embeds content through the SDK', async () => {
    const response = await client.models.embedContent({ model: 'gemini-embedding-001', contents: ['the cat sat', 'the cat sat'] });

    const [first, second] = response.embeddings ?? [];
    expect(first?.values).toHaveLength(64);
    expect(second?.values).toEqual(first?.values);
  });

  it('embeds one content with embedContent', async () => {
    const response = await fetch(`${sim.url}/v1beta/models/gemini-embedding-001:embedContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: { parts: [{ text: 'a cat' }] }, outputDimensionality: 8 }),
    });

    const body = (await response.json()) as { embedding: { values: number[] } };
    expect(body.embedding.values).toHaveLength(8);
  });

  it('lists models', async () => {
    const names: string[] = [];
    for await (const model of await client.models.list()) names.push(model.name ?? '');

    expect(names).toContain('models/gemini-2.5-flash');
  });
});

function postGenerate(body: unknown): Promise<Response> {
  return fetch(`${sim.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
