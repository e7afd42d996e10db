import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSimulator, type ApiName, type FaultInjection, type RunningSimulator } from './index.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(() => sim.close());

/** Calls one API with plain fetch and reads its responses. */
interface ApiUnderTest {
  api: ApiName;
  path(stream: boolean): string;
  body(stream: boolean): object;
  headers: Record<string, string>;
  text(body: Record<string, unknown>): string | undefined;
  finish(body: Record<string, unknown>): unknown;
  /** Marks the clean end of a stream. */
  streamEnd: string;
  errorField(body: Record<string, unknown>): unknown;
}

const prompt = 'one two three four five six';

const apis: ApiUnderTest[] = [
  {
    api: 'openai',
    path: () => '/v1/chat/completions',
    body: (stream) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }], stream }),
    headers: {},
    text: (body) => (body as { choices: { message: { content: string | null } }[] }).choices[0]?.message.content ?? undefined,
    finish: (body) => (body as { choices: { finish_reason: string }[] }).choices[0]?.finish_reason,
    streamEnd: 'data: [DONE]',
    errorField: (body) => (body as { error?: { type: string } }).error?.type,
  },
  {
    api: 'anthropic',
    path: () => '/v1/messages',
    body: (stream) => ({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: prompt }], stream }),
    headers: { 'anthropic-version': '2023-06-01' },
    text: (body) => (body as { content: { text: string }[] }).content.map((block) => block.text).join(''),
    finish: (body) => body.stop_reason,
    streamEnd: 'event: message_stop',
    errorField: (body) => (body as { error?: { type: string } }).error?.type,
  },
  {
    api: 'gemini',
    path: (stream) => `/v1beta/models/gemini-2.5-flash:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
    body: () => ({ contents: [{ role: 'user', parts: [{ text: prompt }] }] }),
    headers: {},
    text: (body) =>
      (body as { candidates: { content: { parts?: { text: string }[] } }[] }).candidates[0]?.content.parts?.map((part) => part.text).join(''),
    finish: (body) => (body as { candidates: { finishReason: string }[] }).candidates[0]?.finishReason,
    streamEnd: '"finishReason":"STOP"',
    errorField: (body) => (body as { error?: { status: string } }).error?.status,
  },
];

function call(target: ApiUnderTest, stream: boolean, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.url}${target.path(stream)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: JSON.stringify(target.body(stream)),
    ...init,
  });
}

function withFault(fault: Omit<FaultInjection, 'rate'>): void {
  sim.setScenario({ faults: { rate: 1, ...fault } });
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe.each(apis)('$api faults', (target) => {
  it('malformed sends invalid JSON with status 200', async () => {
    withFault({ kind: 'malformed' });

    const response = await call(target, false);

    expect(response.status).toBe(200);
    expect(parses(await response.text())).toBe(false);
  });

  it('malformed corrupts the second stream chunk', async () => {
    withFault({ kind: 'malformed' });

    const text = await (await call(target, true)).text();
    const payloads = [...text.matchAll(/^data: (.*)$/gm)].map((match) => match[1] ?? '');

    expect(payloads.filter((payload) => !parses(payload) && payload !== '[DONE]')).toHaveLength(1);
  });

  it('truncated cuts the body with a matching length', async () => {
    withFault({ kind: 'truncated' });

    const response = await call(target, false);
    const text = await response.text();

    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(parses(text)).toBe(false);
  });

  it('truncated ends the stream before its final event', async () => {
    withFault({ kind: 'truncated' });

    const text = await (await call(target, true)).text();

    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(target.streamEnd);
  });

  it('errorIn200 sends an error body with status 200', async () => {
    withFault({ kind: 'errorIn200' });

    const response = await call(target, false);

    expect(response.status).toBe(200);
    expect(target.errorField((await response.json()) as Record<string, unknown>)).toBeTruthy();
  });

  it('empty answers without text', async () => {
    withFault({ kind: 'empty' });

    const body = (await (await call(target, false)).json()) as Record<string, unknown>;

    expect(target.text(body) ?? '').toBe('');
    expect(target.finish(body)).toBe({ openai: 'stop', anthropic: 'end_turn', gemini: 'STOP' }[target.api]);
  });

  it('emptyLength answers without text and a length finish', async () => {
    withFault({ kind: 'emptyLength' });

    const body = (await (await call(target, false)).json()) as Record<string, unknown>;

    expect(target.text(body) ?? '').toBe('');
    expect(target.finish(body)).toBe({ openai: 'length', anthropic: 'max_tokens', gemini: 'MAX_TOKENS' }[target.api]);
  });

  it('contentFilter ends with the filter finish reason', async () => {
    withFault({ kind: 'contentFilter' });

    const body = (await (await call(target, false)).json()) as Record<string, unknown>;

    expect(target.finish(body)).toBe({ openai: 'content_filter', anthropic: 'refusal', gemini: 'SAFETY' }[target.api]);
  });

  it('streamError on a non-streaming request sends an error with status 200', async () => {
    withFault({ kind: 'streamError' });

    const response = await call(target, false);

    expect(response.status).toBe(200);
    expect(target.errorField((await response.json()) as Record<string, unknown>)).toBeTruthy();
  });

  it('stall sends the first chunk then pauses', async () => {
    withFault({ kind: 'stall', stallFor: '10s' });
    const started = Date.now();

    const response = await call(target, true, { signal: AbortSignal.timeout(600) });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    const rest = await reader.read().catch((error: unknown) => error);

    expect(first.done).toBe(false);
    expect((rest as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stall pauses a non-streaming body halfway', async () => {
    withFault({ kind: 'stall', stallFor: '10s' });

    const response = await call(target, false, { signal: AbortSignal.timeout(600) });
    const failure = await response.text().catch((error: unknown) => error);

    expect(response.status).toBe(200);
    expect((failure as Error).name).toBe('TimeoutError');
  });

  it('stall resumes after stallFor', async () => {
    withFault({ kind: 'stall', stallFor: '50ms' });

    const text = await (await call(target, true)).text();

    expect(text).toContain(target.streamEnd);
  });

  it('reset destroys the connection', async () => {
    withFault({ kind: 'reset' });

    const failure = await call(target, false).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(TypeError);
  });

  it('hugeBody sends a valid body of the requested size', async () => {
    withFault({ kind: 'hugeBody', size: '1MiB' });

    const text = await (await call(target, false)).text();

    expect(text.length).toBeGreaterThanOrEqual(1024 * 1024);
    expect((target.text(JSON.parse(text) as Record<string, unknown>) ?? '').length).toBeGreaterThan(1000 * 1000);
  });

  it('hugeBody streams events up to the requested size', async () => {
    withFault({ kind: 'hugeBody', size: '256KiB' });

    const text = await (await call(target, true)).text();

    expect(text.length).toBeGreaterThanOrEqual(256 * 1024);
    expect(text).toContain(target.streamEnd);
  });

  it('redirect answers 302 to the redirected path', async () => {
    withFault({ kind: 'redirect' });

    const response = await call(target, false, { redirect: 'manual' });

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/_simulator/redirected');
  });
});

describe('fault details', () => {
  it('counts redirects that clients follow', async () => {
    withFault({ kind: 'redirect' });
    sim.resetStats();

    const response = await call(apis[0] as ApiUnderTest, false);

    expect(await response.json()).toEqual({ redirected: true });
    expect(sim.stats().redirectsFollowed).toBe(1);
  });

  it('streamError sends up to three tokens before the error event', async () => {
    withFault({ kind: 'streamError' });

    const text = await (await call(apis[1] as ApiUnderTest, true)).text();

    expect(text.match(/event: content_block_delta/g)).toHaveLength(3);
    expect(text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error","message":"Overloaded"\}/);
    expect(text).not.toContain('event: message_stop');
  });

  it('streamError uses the fault status', async () => {
    withFault({ kind: 'streamError', status: 429 });

    const text = await (await call(apis[0] as ApiUnderTest, true)).text();

    expect(text).toContain('"code":"rate_limit_exceeded"');
    expect(text).not.toContain('data: [DONE]');
  });

  it('close ends stalled streams at once', async () => {
    const local = await startSimulator({ scenario: { faults: { kind: 'stall', rate: 1 } } });
    const response = await fetch(`${local.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'a b' }], stream: true }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const started = Date.now();

    await local.close();
    const rest = await reader.read().catch((error: unknown) => error);

    expect(Date.now() - started).toBeLessThan(1000);
    expect(rest).toBeInstanceOf(Error);
  });
});
