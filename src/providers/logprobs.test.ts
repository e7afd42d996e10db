import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startSimulator, type RunningSimulator } from '../simulator/index.js';
import { createGeminiProvider } from './gemini.js';
import { createOpenAIProvider } from './openai.js';
import type { ChatRequest, Provider } from './provider.js';

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
});

afterAll(async () => {
  await simulator.close();
});

beforeEach(() => {
  simulator.setScenario({});
});

function chatRequest(overrides: Partial<ChatRequest>): ChatRequest {
  return {
    model: 'sim-model',
    messages: [{ role: 'user', content: 'hello there world' }],
    parameters: {},
    stream: false,
    timeoutMs: 5_000,
    ...overrides,
  };
}

const providers: { name: string; create: (url: string) => Provider; requestFlag: (body: unknown) => unknown }[] = [
  {
    name: 'OpenAI',
    create: (url) => createOpenAIProvider({ apiKey: 'sk-test', baseURL: `${url}/v1` }),
    requestFlag: (body) => (body as { logprobs?: unknown }).logprobs,
  },
  {
    name: 'Gemini',
    create: (url) => createGeminiProvider({ apiKey: 'gemini-test-key', baseURL: url }),
    requestFlag: (body) => (body as { generationConfig?: { responseLogprobs?: unknown } }).generationConfig?.responseLogprobs,
  },
];

describe.each(providers)('$name token log-probabilities', ({ create, requestFlag }) => {
  let provider: Provider;

  beforeAll(() => {
    provider = create(simulator.url);
  });

  it.each([false, true])('are requested and read (stream %s)', async (stream) => {
    simulator.setScenario({ logprob: -0.25 });

    const response = await provider.chat(chatRequest({ stream, logprobs: true }));

    expect(response.text).toBe('hello there world');
    expect(response.tokenLogprobs).toEqual([-0.25, -0.25, -0.25]);
    expect(requestFlag(simulator.requests.at(-1)?.body)).toBe(true);
  });

  it.each([false, true])('match the simulator default per token (stream %s)', async (stream) => {
    const response = await provider.chat(chatRequest({ stream, logprobs: true }));

    expect(response.tokenLogprobs).toHaveLength(3);
    expect(response.tokenLogprobs?.every((logprob) => logprob <= 0)).toBe(true);
  });

  it.each([false, true])('are absent unless requested (stream %s)', async (stream) => {
    simulator.setScenario({ logprob: -0.25 });

    const response = await provider.chat(chatRequest({ stream }));

    expect(response.tokenLogprobs).toBeUndefined();
    expect(requestFlag(simulator.requests.at(-1)?.body)).toBeUndefined();
  });

  it('cover only the tokens kept under maxTokens', async () => {
    simulator.setScenario({ reply: 'one two three four five', logprob: -0.5 });

    const response = await provider.chat(chatRequest({ stream: true, logprobs: true, parameters: { maxTokens: 2 } }));

    expect(response.tokenLogprobs).toEqual([-0.5, -0.5]);
  });
});
