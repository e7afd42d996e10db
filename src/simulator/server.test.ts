import { connect } from 'node:net';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startSimulator, type RunningSimulator, type Scenario } from './index.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(() => sim.close());

beforeEach(() => {
  sim.setScenario({});
  sim.resetStats();
});

function chat(prompt: string, model = 'gpt-4o-mini', headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${sim.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: prompt }] }),
  });
}

async function chatText(prompt: string, model?: string): Promise<string | null | undefined> {
  const body = (await (await chat(prompt, model)).json()) as { choices: { message: { content: string | null } }[] };
  return body.choices[0]?.message.content;
}

async function statuses(count: number, prompt = 'hi'): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < count; i += 1) result.push((await chat(prompt)).status);
  return result;
}

describe('control endpoints', () => {
  it('reports health', async () => {
    const response = await fetch(`${sim.url}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('replaces the scenario with a YAML PUT', async () => {
    const response = await fetch(`${sim.url}/_simulator/scenario`, { method: 'PUT', body: 'reply: from yaml\nlatency: 1ms\n' });

    expect(response.status).toBe(200);
    expect(await chatText('anything')).toBe('from yaml');
    expect(await (await fetch(`${sim.url}/_simulator/scenario`)).json()).toEqual({ reply: 'from yaml', latency: '1ms' });
  });

  it('replaces the scenario with a JSON PUT', async () => {
    await fetch(`${sim.url}/_simulator/scenario`, { method: 'PUT', body: JSON.stringify({ reply: 'from json' }) });

    expect(await chatText('anything')).toBe('from json');
  });

  it('rejects an invalid scenario naming the field and keeps the old one', async () => {
    sim.setScenario({ reply: 'kept' });

    const response = await fetch(`${sim.url}/_simulator/scenario`, { method: 'PUT', body: 'faults: {kind: stall, rate: 1.5}' });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { message: 'PUT /_simulator/scenario: faults.rate: must be a number from 0 to 1, got 1.5' },
    });
    expect(await chatText('anything')).toBe('kept');
  });

  it('never returns the API key', async () => {
    sim.setScenario({ apiKey: 'sk-secret-value' });

    const text = await (await fetch(`${sim.url}/_simulator/scenario`)).text();

    expect(text).not.toContain('sk-secret-value');
    expect(JSON.parse(text)).toEqual({ apiKey: '[redacted]' });
  });

  it('rejects an invalid scenario in setScenario', () => {
    expect(() => sim.setScenario({ errors: { rate: 3, status: 500 } } as Scenario)).toThrow(
      'scenario: errors.rate: must be a number from 0 to 1, got 3',
    );
  });

  it('refuses to start with an invalid scenario', async () => {
    await expect(startSimulator({ scenario: { latency: 'soon' } })).rejects.toThrow(
      'scenario: latency: must be a duration such as 200ms, 1s or 1m30s, got "soon"',
    );
  });

  it('counts requests by API, outcome, status and fault', async () => {
    sim.setScenario({ errors: { rate: 0.5, status: 503 } });
    await statuses(4);
    await fetch(`${sim.url}/v1/messages`, { method: 'POST', headers: { 'anthropic-version': '2023-06-01' }, body: '{}' });
    await fetch(`${sim.url}/v1beta/models`);

    const stats = sim.stats();

    expect(stats.total).toBe(6);
    expect(stats.byApi.openai.byOutcome).toMatchObject({ ok: 2, error: 2 });
    expect(stats.byApi.anthropic.byOutcome.invalidRequest).toBe(1);
    expect(stats.byApi.gemini.byOutcome.ok).toBe(1);
    expect(stats.byStatus).toEqual({ '200': 3, '503': 2, '400': 1 });
    expect(stats.inFlight).toBe(0);
    expect(await (await fetch(`${sim.url}/_simulator/stats`)).json()).toEqual(stats);
  });

  it('resets stats with DELETE', async () => {
    await chat('hi');

    await fetch(`${sim.url}/_simulator/stats`, { method: 'DELETE' });

    expect(sim.stats().total).toBe(0);
  });
});

describe('request log', () => {
  it('records bodies and redacts keys', async () => {
    await chat('logged prompt', 'gpt-4o', { authorization: 'Bearer sk-do-not-keep' });
    await fetch(`${sim.url}/v1beta/models/gemini-2.5-flash:generateContent?key=g-secret`, {
      method: 'POST',
      body: JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }] }),
    });

    const [openai, gemini] = sim.requests;

    expect(openai).toMatchObject({ api: 'openai', method: 'POST', path: '/v1/chat/completions' });
    expect(openai?.headers.authorization).toBe('[redacted]');
    expect(openai?.body).toEqual({ model: 'gpt-4o', messages: [{ role: 'user', content: 'logged prompt' }] });
    expect(gemini?.query).toEqual({ key: '[redacted]' });
    expect(JSON.stringify(await (await fetch(`${sim.url}/_simulator/requests`)).json())).not.toMatch(/sk-do-not-keep|g-secret/);
  });

  it('clears on a new scenario', async () => {
    await chat('hi');

    sim.setScenario({});

    expect(sim.requests).toEqual([]);
  });
});

describe('error and fault selection', () => {
  it('answers exactly 2 of 10 requests with an error at rate 0.2', async () => {
    sim.setScenario({ errors: { rate: 0.2, status: 429 } });

    expect(await statuses(10)).toEqual([200, 200, 200, 200, 429, 200, 200, 200, 200, 429]);
  });

  it('applies faults to the requests that errors left', async () => {
    sim.setScenario({ errors: { rate: 0.2, status: 500 }, faults: { kind: 'empty', rate: 0.5 } });

    await statuses(10);

    expect(sim.stats().byOutcome).toMatchObject({ error: 2, fault: 4, ok: 4 });
  });

  it('counts each entry of an error list over the requests before it left', async () => {
    sim.setScenario({ errors: [{ rate: 0.5, status: 429 }, { rate: 0.5, status: 503 }] });

    const result = await statuses(8);

    expect(result.filter((status) => status === 429)).toHaveLength(4);
    expect(result.filter((status) => status === 503)).toHaveLength(2);
  });

  it('counts a rule with its own errors separately from the global ones', async () => {
    sim.setScenario({
      errors: { rate: 0.5, status: 500 },
      rules: [{ name: 'flaky', match: { prompt: 'flaky' }, errors: { rate: 1, status: 503 } }],
    });

    const flaky = await statuses(3, 'flaky please');
    const normal = await statuses(4, 'normal');

    expect(flaky).toEqual([503, 503, 503]);
    expect(normal).toEqual([200, 500, 200, 500]);
    expect(sim.stats().byRule).toEqual({ flaky: 3 });
  });

  it('chooses at random with a seed, the same way each time', async () => {
    const scenario: Scenario = { errors: { rate: 0.5, status: 500 }, random: true, seed: 3 };

    sim.setScenario(scenario);
    const first = await statuses(12);
    sim.setScenario(scenario);
    const second = await statuses(12);

    expect(second).toEqual(first);
    expect(first).not.toEqual([200, 500, 200, 500, 200, 500, 200, 500, 200, 500, 200, 500]);
  });
});

describe('rules', () => {
  it('uses the first matching rule', async () => {
    sim.setScenario({
      reply: 'global',
      rules: [
        { match: { prompt: '^capital' }, reply: 'Paris' },
        { match: { prompt: 'capital' }, reply: 'never' },
        { match: { model: '^gpt-4o$' }, reply: 'by model' },
        { match: { api: 'anthropic' }, reply: 'by api' },
      ],
    });

    expect(await chatText('capital of France?')).toBe('Paris');
    expect(await chatText('the capital', 'gpt-4o')).toBe('never');
    expect(await chatText('other', 'gpt-4o')).toBe('by model');
    expect(await chatText('other', 'gpt-4o-mini')).toBe('global');
  });

  it('overrides the finish reason with a common or a raw value', async () => {
    sim.setScenario({
      rules: [
        { match: { prompt: 'cut' }, finishReason: 'length' },
        { match: { prompt: 'raw' }, finishReason: { openai: 'function_call' } },
      ],
    });

    const cut = (await (await chat('cut')).json()) as { choices: { finish_reason: string }[] };
    const raw = (await (await chat('raw')).json()) as { choices: { finish_reason: string }[] };

    expect(cut.choices[0]?.finish_reason).toBe('length');
    expect(raw.choices[0]?.finish_reason).toBe('function_call');
  });

  it('waits the rule latency', async () => {
    sim.setScenario({ rules: [{ match: { prompt: 'slow' }, latency: '120ms' }] });

    const started = Date.now();
    await chat('slow');
    const slow = Date.now() - started;

    expect(slow).toBeGreaterThanOrEqual(115);
  });

  it('draws latency from a range', async () => {
    sim.setScenario({ latency: { min: '40ms', max: '60ms' } });

    const started = Date.now();
    await chat('hi');

    expect(Date.now() - started).toBeGreaterThanOrEqual(38);
  });
});

describe('authentication', () => {
  const targets = [
    {
      api: 'openai',
      send: (key?: string) =>
        fetch(`${sim.url}/v1/chat/completions`, {
          method: 'POST',
          headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
          body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
        }),
      missing: 401,
      wrong: 401,
    },
    {
      api: 'anthropic',
      send: (key?: string) =>
        fetch(`${sim.url}/v1/messages`, {
          method: 'POST',
          headers: { 'anthropic-version': '2023-06-01', ...(key === undefined ? {} : { 'x-api-key': key }) },
          body: JSON.stringify({ model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
        }),
      missing: 401,
      wrong: 401,
    },
    {
      api: 'gemini',
      send: (key?: string) =>
        fetch(`${sim.url}/v1beta/models/g:generateContent${key === undefined ? '' : `?key=${key}`}`, {
          method: 'POST',
          body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
        }),
      missing: 403,
      wrong: 400,
    },
  ];

  it.each(targets)('$api accepts only the scenario key', async ({ send, missing, wrong }) => {
    sim.setScenario({ apiKey: 'right-key' });

    const [withoutKey, wrongKey, rightKey] = await Promise.all([send(), send('wrong-key'), send('right-key')]);

    expect(withoutKey.status).toBe(missing);
    expect(wrongKey.status).toBe(wrong);
    expect(await wrongKey.text()).not.toContain('wrong-key');
    expect(rightKey.status).toBe(200);
    expect(sim.stats().byOutcome.authFailed).toBe(2);
  });

  it.each(targets)('$api echoes the key in errors only when asked', async ({ send }) => {
    sim.setScenario({ apiKey: 'right-key', echoApiKeyInErrors: true, errors: { rate: 1, status: 500 } });

    const [wrongKey, rightKey] = await Promise.all([send('wrong-key'), send('right-key')]);

    expect(await wrongKey.text()).toContain('wrong-key');
    expect(await rightKey.text()).toContain('right-key');
  });

  it('accepts the Anthropic key as a bearer token', async () => {
    sim.setScenario({ apiKey: 'right-key' });

    const response = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: { 'anthropic-version': '2026-10-21', authorization: 'Bearer right-key' },
      body: JSON.stringify({ model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });

    expect(response.status).toBe(200);
  });
});

describe('robustness', () => {
  it('answers a body over the size limit with 413', async () => {
    const response = await fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', body: 'x'.repeat(17 * 1024 * 1024) }).catch(
      (error: unknown) => error,
    );

    // The server may close the connection while the client still uploads; both outcomes keep it alive.
    if (response instanceof Response) expect(response.status).toBe(413);
    expect((await chat('still alive')).status).toBe(200);
  });

  it('survives malformed HTTP and percent-encoding', async () => {
    const socket = connect(sim.port, '127.0.0.1');
    let reply = '';
    socket.on('data', (data: Buffer) => (reply += data.toString()));
    socket.end('NOT HTTP AT ALL\r\n\r\n');
    await new Promise((resolve) => socket.on('close', resolve));
    expect(reply).toMatch(/^HTTP\/1.1 400/);

    const response = await fetch(`${sim.url}/v1beta/models/%E0%A4%A:generateContent`, {
      method: 'POST',
      body: JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }] }),
    });

    expect(response.status).toBe(200);
    expect((await chat('still alive')).status).toBe(200);
  });

  it('answers unknown paths with 404', async () => {
    const response = await fetch(`${sim.url}/nothing/here`);

    expect(response.status).toBe(404);
  });
});
