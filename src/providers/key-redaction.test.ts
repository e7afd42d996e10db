import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ProviderName } from '../api/types.js';
import { startSimulator, type RunningSimulator, type Scenario } from '../simulator/index.js';
import { ProbeError } from './provider.js';
import { redactedMarker } from './redact.js';
import { providers } from './registry.js';

const plantedKey = 'sk-planted-SECRET-1234';

/**
 * Scenarios whose error bodies echo the request's key; the simulator requires
 * the planted key. `errorInWhole` marks an error object inside a whole 200
 * response, which @google/genai drops, so a Gemini client never sees it.
 */
const echoingScenarios: { name: string; scenario: Scenario; errorInWhole?: boolean }[] = [
  { name: 'a wrong key', scenario: { apiKey: 'the-right-key' } },
  { name: 'HTTP 400', scenario: { apiKey: plantedKey, errors: { rate: 1, status: 400 } } },
  { name: 'HTTP 401', scenario: { apiKey: plantedKey, errors: { rate: 1, status: 401 } } },
  { name: 'HTTP 404', scenario: { apiKey: plantedKey, errors: { rate: 1, status: 404 } } },
  { name: 'HTTP 429', scenario: { apiKey: plantedKey, errors: { rate: 1, status: 429 } } },
  { name: 'HTTP 429 quota', scenario: { apiKey: plantedKey, errors: { rate: 1, status: 429, kind: 'quota' } } },
  { name: 'HTTP 500', scenario: { apiKey: plantedKey, errors: { rate: 1, status: 500 } } },
  { name: 'HTTP 529', scenario: { apiKey: plantedKey, errors: { rate: 1, status: 529 } } },
  { name: 'an error inside a 200 response', scenario: { apiKey: plantedKey, faults: { rate: 1, kind: 'errorIn200' } }, errorInWhole: true },
  // Without a stream, the simulator sends this error inside a whole 200 response.
  { name: 'an error event in a stream', scenario: { apiKey: plantedKey, faults: { rate: 1, kind: 'streamError' } }, errorInWhole: true },
];

const providerNames: ProviderName[] = ['openai', 'anthropic', 'gemini'];

function baseURL(name: ProviderName, url: string): string {
  return name === 'openai' ? `${url}/v1` : url;
}

/** Lists every text of an error that a log line or a status message could carry. */
function exposedTexts(error: unknown): string[] {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (current instanceof Error) {
      texts.push(current.message, current.stack ?? '', String(current), JSON.stringify(current));
      current = current.cause;
    } else {
      texts.push(String(current), JSON.stringify(current));
      current = undefined;
    }
  }
  return texts;
}

describe.each(providerNames)('%s key redaction', (name) => {
  let simulator: RunningSimulator;

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0 });
  });

  afterAll(async () => {
    await simulator.close();
  });

  const cases = echoingScenarios.flatMap((scenarioCase) => [false, true].map((stream) => ({ ...scenarioCase, stream })));

  it.each(cases)('keeps the key out of $name (stream $stream)', async ({ scenario, stream, errorInWhole }) => {
    simulator.setScenario({ ...scenario, echoApiKeyInErrors: true });
    const provider = providers[name]({ apiKey: plantedKey, baseURL: baseURL(name, simulator.url) });

    const error = await provider
      .chat({ model: 'sim-model', messages: [{ role: 'user', content: 'hello' }], parameters: {}, stream, timeoutMs: 5_000 })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ProbeError);
    for (const text of exposedTexts(error)) {
      expect(text).not.toContain(plantedKey);
    }
    // The marker shows that the key reached the client and was removed.
    const bodyReachesClient = !(name === 'gemini' && !stream && errorInWhole);
    expect(exposedTexts(error).join('\n').includes(redactedMarker)).toBe(bodyReachesClient);
  });
});
