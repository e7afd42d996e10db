import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startSimulator, type RunningSimulator } from '../simulator/index.js';
import { createAnthropicProvider } from './anthropic.js';
import { createGeminiProvider } from './gemini.js';
import { createOpenAIProvider } from './openai.js';
import type { ChatRequest, Provider } from './provider.js';

describe('cached input tokens', () => {
  let simulator: RunningSimulator;
  let providers: Record<string, Provider>;

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0 });
    providers = {
      openai: createOpenAIProvider({ apiKey: 'sk-test-key', baseURL: `${simulator.url}/v1` }),
      anthropic: createAnthropicProvider({ apiKey: 'sk-ant-test-key', baseURL: simulator.url }),
      gemini: createGeminiProvider({ apiKey: 'gemini-test-key', baseURL: simulator.url }),
    };
  });

  afterAll(async () => {
    await simulator.close();
  });

  beforeEach(() => {
    simulator.setScenario({});
  });

  // The prompt has 5 words, which the simulator counts as 5 input tokens; the answer repeats them.
  function chatRequest(stream: boolean): ChatRequest {
    return { model: 'sim-model', messages: [{ role: 'user', content: 'one two three four five' }], parameters: {}, stream, timeoutMs: 5_000 };
  }

  const cases = ['openai', 'anthropic', 'gemini'].flatMap((provider) => [false, true].map((stream) => ({ provider, stream })));

  it.each(cases)('$provider reports cached tokens inside input (stream $stream)', async ({ provider, stream }) => {
    simulator.setScenario({ cachedTokens: 3 });

    const response = await providers[provider]?.chat(chatRequest(stream));

    expect(response?.usage).toEqual({ inputTokens: 5, outputTokens: 5, cachedInputTokens: 3 });
  });

  it.each(cases)('$provider reports no cached tokens by default (stream $stream)', async ({ provider, stream }) => {
    const response = await providers[provider]?.chat(chatRequest(stream));

    expect(response?.usage).toEqual({ inputTokens: 5, outputTokens: 5 });
  });

  it('caps cached tokens at the prompt tokens', async () => {
    simulator.setScenario({ cachedTokens: 1000 });

    const response = await providers['anthropic']?.chat(chatRequest(false));

    expect(response?.usage).toEqual({ inputTokens: 5, outputTokens: 5, cachedInputTokens: 5 });
  });
});
