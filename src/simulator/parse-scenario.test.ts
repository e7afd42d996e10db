import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { parseScenario } from './parse-scenario.js';

describe('parseScenario', () => {
  it('reads a full YAML scenario', () => {
    const text = `
reply: fixed answer
latency: {min: 100ms, max: 300ms}
timeToFirstToken: 50ms
tokenInterval: {mean: 20ms, stddev: 5ms}
errors:
  - {rate: 0.1, status: 429, retryAfter: 2s, kind: quota}
  - {rate: 0.05, status: 529}
faults: {kind: stall, rate: 0.01, stallFor: 30s}
finishReason: {gemini: RECITATION}
model: {responseModel: gpt-4o-2024-08-06, systemFingerprint: fp_1}
logprob: -0.1
cachedTokens: 3
rules:
  - name: capital
    match: {prompt: "capital of France", model: "^gpt-"}
    reply: Paris
    responseModel: gpt-4o-drifted
    errors: []
apiKey: secret
echoApiKeyInErrors: true
random: true
seed: 42
`;

    const scenario = parseScenario(text, 'drill.yaml');

    expect(scenario.latency).toEqual({ min: '100ms', max: '300ms' });
    expect(scenario.errors).toEqual([
      { rate: 0.1, status: 429, retryAfter: '2s', kind: 'quota' },
      { rate: 0.05, status: 529 },
    ]);
    expect(scenario.faults).toEqual([{ kind: 'stall', rate: 0.01, stallFor: '30s' }]);
    expect(scenario.rules?.[0]).toEqual({
      name: 'capital',
      match: { prompt: 'capital of France', model: '^gpt-' },
      reply: 'Paris',
      model: { responseModel: 'gpt-4o-drifted' },
      errors: [],
    });
    expect(scenario.seed).toBe(42);
    expect(scenario.cachedTokens).toBe(3);
  });

  it('reads the README example', async () => {
    const readme = await readFile(new URL('./README.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

    const scenario = parseScenario(example, 'README.md');

    expect(scenario.rules?.[0]?.name).toBe('capital');
    expect(scenario.errors).toHaveLength(2);
  });

  it('reads JSON', () => {
    expect(parseScenario('{"reply": "hi", "latency": "200ms"}', 'scenario.json')).toEqual({ reply: 'hi', latency: '200ms' });
  });

  it('reads an empty file as the default scenario', () => {
    expect(parseScenario('', 'empty.yaml')).toEqual({});
  });

  const invalid = [
    { text: '[1, 2]', message: 'file.yaml: must be a mapping, got a list' },
    { text: 'replay: hi', message: 'file.yaml: replay: unknown field; known fields are reply, latency, timeToFirstToken, tokenInterval, errors, faults, finishReason, model, logprob, cachedTokens, rules, apiKey, echoApiKeyInErrors, random, seed' },
    { text: 'latency: fast', message: 'file.yaml: latency: must be a duration such as 200ms, 1s or 1m30s, got "fast"' },
    { text: 'latency: 200', message: 'file.yaml: latency: must be a duration such as 200ms, 1s or 1m30s, got 200' },
    { text: 'latency: {min: 300ms, max: 100ms}', message: 'file.yaml: latency: min 300ms is greater than max 100ms' },
    { text: 'latency: {min: 1ms}', message: 'file.yaml: latency.max: missing required field' },
    { text: 'latency: [1]', message: 'file.yaml: latency: must be a duration such as 200ms, or a mapping with min and max, or with mean and stddev; got a list' },
    { text: 'errors: {rate: 2, status: 500}', message: 'file.yaml: errors.rate: must be a number from 0 to 1, got 2' },
    { text: 'errors: {rate: 0.1}', message: 'file.yaml: errors.status: missing required field' },
    { text: 'errors: [{rate: 0.1, status: 200}]', message: 'file.yaml: errors[0].status: must be an HTTP error status from 400 to 599, got 200' },
    { text: 'errors: {rate: 0.1, status: 500, kind: quota}', message: 'file.yaml: errors.kind: applies only to status 429, but status is 500' },
    { text: 'errors: {rate: 0.1, status: 429, kind: daily}', message: 'file.yaml: errors.kind: must be one of rateLimit, quota; got "daily"' },
    { text: 'errors: {rate: 0.1, status: 429, retryAfter: 5}', message: 'file.yaml: errors.retryAfter: must be a duration such as 200ms, 1s or 1m30s, got 5' },
    { text: 'faults: {kind: explode, rate: 1}', message: 'file.yaml: faults.kind: must be one of malformed, truncated, errorIn200, empty, emptyLength, streamError, stall, reset, contentFilter, hugeBody, redirect; got "explode"' },
    { text: 'faults: {kind: reset, rate: 1, stallFor: 1s}', message: 'file.yaml: faults.stallFor: applies only to kind stall, but kind is reset' },
    { text: 'faults: {kind: hugeBody, rate: 1, size: 10 MB}', message: 'file.yaml: faults.size: must be a positive number of bytes or a size such as 50MiB or 2MB, got "10 MB"' },
    { text: 'faults: {kind: redirect, rate: 1, location: "//evil.example/x"}', message: 'file.yaml: faults.location: must be a path on this server starting with a single /, got "//evil.example/x"' },
    { text: 'finishReason: done', message: 'file.yaml: finishReason: must be one of stop, length, content_filter, tool_calls; got "done"' },
    { text: 'finishReason: {mistral: stop}', message: 'file.yaml: finishReason.mistral: unknown field; known fields are openai, anthropic, gemini' },
    { text: 'logprob: 0.5', message: 'file.yaml: logprob: must be a number at most 0 (a natural log probability), got 0.5' },
    { text: 'cachedTokens: 1.5', message: 'file.yaml: cachedTokens: must be an integer from 0 to 2147483647, got 1.5' },
    { text: 'rules: {reply: x}', message: 'file.yaml: rules: must be a list, got a mapping' },
    { text: 'rules: [{match: {prompt: "("}}]', message: 'file.yaml: rules[0].match.prompt: invalid regular expression "(": Invalid regular expression: /(/: Unterminated group' },
    { text: 'rules: [{match: {api: cohere}}]', message: 'file.yaml: rules[0].match.api: must be one of openai, anthropic, gemini; got "cohere"' },
    { text: 'rules: [{name: a}, {name: a}]', message: 'file.yaml: rules[1].name: duplicate rule name "a"' },
    { text: 'rules: [{responseModel: a, model: {responseModel: b}}]', message: 'file.yaml: rules[0].responseModel: set either responseModel or model.responseModel, not both' },
    { text: 'apiKey: ""', message: 'file.yaml: apiKey: must be a non-empty string, got ""' },
    { text: 'seed: -1', message: 'file.yaml: seed: must be an integer from 0 to 4294967295, got -1' },
    { text: 'reply: [a', message: 'file.yaml: invalid YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 10' },
  ];

  it.each(invalid)('rejects $text', ({ text, message }) => {
    expect(errorMessage(() => parseScenario(text, 'file.yaml'))).toBe(message);
  });
});

function errorMessage(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
