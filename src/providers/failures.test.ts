import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ProviderName } from '../api/types.js';
import { FailureReason } from '../reasons.js';
import { startSimulator, type RunningSimulator, type Scenario } from '../simulator/index.js';
import { ProbeError, type ChatRequest, type Provider } from './provider.js';
import { providers } from './registry.js';

interface FailureCase {
  name: string;
  scenario: Scenario;
  reason: FailureReason | Partial<Record<ProviderName, FailureReason>>;
  /** Whether the case runs with a streaming request, a whole one, or both (the default). */
  streams?: boolean[];
  /** The ProbeError's HTTP status, undefined when the provider sent no error status. */
  status?: number | Partial<Record<ProviderName, number | undefined>>;
  retryAfterSeconds?: number;
  messagePart?: string | Partial<Record<ProviderName, string>>;
  /** Target timeout of the call in milliseconds, 5000 by default. */
  timeoutMs?: number;
  idleTimeoutMs?: number;
  providers?: ProviderName[];
}

const failureCases: FailureCase[] = [
  { name: 'HTTP 400', scenario: { errors: { rate: 1, status: 400 } }, reason: FailureReason.BadRequest, status: 400 },
  { name: 'HTTP 401', scenario: { errors: { rate: 1, status: 401 } }, reason: FailureReason.AuthFailed, status: 401, messagePart: 'check the API key' },
  { name: 'HTTP 403', scenario: { errors: { rate: 1, status: 403 } }, reason: FailureReason.AuthFailed, status: 403 },
  {
    name: 'a wrong API key',
    scenario: { apiKey: 'the-right-key' },
    reason: FailureReason.AuthFailed,
    // The Gemini API rejects an invalid key with 400 API_KEY_INVALID.
    status: { openai: 401, anthropic: 401, gemini: 400 },
  },
  { name: 'HTTP 404', scenario: { errors: { rate: 1, status: 404 } }, reason: FailureReason.NotFound, status: 404, messagePart: 'check the model name' },
  { name: 'HTTP 422', scenario: { errors: { rate: 1, status: 422 } }, reason: FailureReason.BadRequest, status: 422 },
  {
    name: 'HTTP 429 rate limit',
    scenario: { errors: { rate: 1, status: 429, retryAfter: '7s' } },
    reason: FailureReason.RateLimited,
    status: 429,
    retryAfterSeconds: 7,
  },
  {
    name: 'HTTP 429 quota',
    scenario: { errors: { rate: 1, status: 429, kind: 'quota' } },
    reason: FailureReason.QuotaExhausted,
    status: 429,
    messagePart: 'retrying does not help',
  },
  { name: 'HTTP 500', scenario: { errors: { rate: 1, status: 500 } }, reason: FailureReason.ServerError, status: 500 },
  { name: 'HTTP 502', scenario: { errors: { rate: 1, status: 502 } }, reason: FailureReason.ServerError, status: 502 },
  { name: 'HTTP 503', scenario: { errors: { rate: 1, status: 503 } }, reason: FailureReason.Overloaded, status: 503 },
  { name: 'HTTP 504', scenario: { errors: { rate: 1, status: 504 } }, reason: FailureReason.ServerError, status: 504 },
  { name: 'HTTP 529', scenario: { errors: { rate: 1, status: 529 } }, reason: FailureReason.Overloaded, status: 529 },
  { name: 'a latency over the timeout', scenario: { latency: '10s' }, timeoutMs: 300, reason: FailureReason.Timeout, messagePart: 'within the timeout of 300ms' },
  { name: 'a stall over the timeout', scenario: { faults: { rate: 1, kind: 'stall', stallFor: '10s' } }, timeoutMs: 300, reason: FailureReason.Timeout },
  {
    name: 'a stall past the idle timeout',
    scenario: { faults: { rate: 1, kind: 'stall', stallFor: '10s' } },
    streams: [true],
    idleTimeoutMs: 300,
    reason: FailureReason.Timeout,
    messagePart: 'the stream sent nothing for 300ms, the idle timeout',
  },
  { name: 'a connection reset', scenario: { faults: { rate: 1, kind: 'reset' } }, reason: FailureReason.NetworkError },
  { name: 'a malformed body', scenario: { faults: { rate: 1, kind: 'malformed' } }, reason: FailureReason.InvalidResponse },
  { name: 'a truncated body', scenario: { faults: { rate: 1, kind: 'truncated' } }, reason: FailureReason.InvalidResponse },
  // An error object in a 200 response names its type (server_error, api_error, INTERNAL for the default 500), which gives the reason.
  {
    name: 'an error inside a whole 200 response',
    scenario: { faults: { rate: 1, kind: 'errorIn200' } },
    streams: [false],
    // @google/genai drops the unknown `error` member of a whole response, so only its absent candidates show.
    reason: { openai: FailureReason.ServerError, anthropic: FailureReason.ServerError, gemini: FailureReason.InvalidResponse },
    messagePart: { openai: 'contains an error server_error', anthropic: 'contains an error api_error' },
  },
  {
    name: 'an error inside a streamed 200 response',
    scenario: { faults: { rate: 1, kind: 'errorIn200' } },
    streams: [true],
    reason: FailureReason.ServerError,
  },
  // The usual mid-stream errors: OpenAI server_error, Anthropic overloaded_error, Gemini UNAVAILABLE.
  {
    name: 'an error event in a stream',
    scenario: { faults: { rate: 1, kind: 'streamError' } },
    streams: [true],
    reason: { openai: FailureReason.ServerError, anthropic: FailureReason.Overloaded, gemini: FailureReason.Overloaded },
    messagePart: { anthropic: 'contains an error overloaded_error' },
  },
  {
    name: 'a stream error fault on a whole response',
    scenario: { faults: { rate: 1, kind: 'streamError' } },
    streams: [false],
    reason: { openai: FailureReason.ServerError, anthropic: FailureReason.Overloaded, gemini: FailureReason.InvalidResponse },
  },
  {
    name: 'a rate limit error event in a stream',
    scenario: { faults: { rate: 1, kind: 'streamError', status: 429 } },
    streams: [true],
    reason: FailureReason.RateLimited,
  },
  {
    name: 'a huge body',
    scenario: { faults: { rate: 1, kind: 'hugeBody', size: '12MiB' } },
    reason: FailureReason.InvalidResponse,
    messagePart: 'exceeded the limit',
  },
  {
    name: 'a redirect',
    scenario: { faults: { rate: 1, kind: 'redirect' } },
    reason: FailureReason.InvalidResponse,
    // The Gemini SDK follows redirects, so it reads the redirect target's response instead.
    status: { openai: 302, anthropic: 302, gemini: undefined },
    messagePart: { openai: 'not followed', anthropic: 'not followed' },
  },
  { name: 'a filtered answer', scenario: { faults: { rate: 1, kind: 'contentFilter' } }, reason: FailureReason.ContentFiltered },
  {
    name: 'a blocked prompt',
    scenario: { faults: { rate: 1, kind: 'contentFilter', blockPrompt: true } },
    reason: FailureReason.ContentFiltered,
    messagePart: 'prompt blocked',
    providers: ['gemini'],
  },
  { name: 'an empty answer', scenario: { faults: { rate: 1, kind: 'empty' } }, reason: FailureReason.EmptyResponse },
  {
    name: 'an empty answer at the token limit',
    scenario: { faults: { rate: 1, kind: 'emptyLength' } },
    reason: FailureReason.EmptyResponse,
    messagePart: 'raise maxTokens',
  },
];

const providerNames: ProviderName[] = ['openai', 'anthropic', 'gemini'];

function baseURL(name: ProviderName, url: string): string {
  return name === 'openai' ? `${url}/v1` : url;
}

function expected<T>(value: T | Partial<Record<ProviderName, T>> | undefined, name: ProviderName): T | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return (value as Partial<Record<ProviderName, T>>)[name];
  return value as T | undefined;
}

function chatRequest(stream: boolean, overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'sim-model', messages: [{ role: 'user', content: 'hello there world' }], parameters: {}, stream, timeoutMs: 5_000, ...overrides };
}

async function probeError(provider: Provider, request: ChatRequest): Promise<ProbeError> {
  const outcome = await provider.chat(request).then(
    (response) => response,
    (error: unknown) => error,
  );
  if (!(outcome instanceof ProbeError)) throw new Error(`expected a ProbeError, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe.each(providerNames)('%s failures', (name) => {
  // One simulator per case keeps cases with different scenarios independent under it.concurrent.
  const simulators: RunningSimulator[] = [];

  afterAll(async () => {
    await Promise.all(simulators.map((simulator) => simulator.close()));
  });

  const cases = failureCases
    .filter((failureCase) => failureCase.providers === undefined || failureCase.providers.includes(name))
    .flatMap((failureCase) => (failureCase.streams ?? [false, true]).map((stream) => ({ ...failureCase, stream })));

  it.concurrent.each(cases)('classifies $name (stream $stream)', async (failureCase) => {
    const simulator = await startSimulator({ port: 0, scenario: failureCase.scenario });
    simulators.push(simulator);
    const provider = providers[name]({ apiKey: 'sk-test-key', baseURL: baseURL(name, simulator.url) });

    const request = chatRequest(failureCase.stream, { timeoutMs: failureCase.timeoutMs ?? 5_000 });
    if (failureCase.idleTimeoutMs !== undefined) request.idleTimeoutMs = failureCase.idleTimeoutMs;
    const error = await probeError(provider, request);

    expect(error.reason).toBe(expected(failureCase.reason, name));
    expect(error.status).toBe(expected(failureCase.status, name));
    expect(error.retryAfterSeconds).toBe(failureCase.retryAfterSeconds);
    expect(error.latencySeconds).toBeGreaterThan(0);
    const messagePart = expected(failureCase.messagePart, name);
    if (messagePart !== undefined) expect(error.message).toContain(messagePart);
  });
});

describe.each(providerNames)('%s idle timeout', (name) => {
  it('lets a slow but steady stream finish', async () => {
    // 12 pieces 100 ms apart take over 1 s in all, but never pause for the 700 ms idle timeout.
    const reply = 'one two three four five six seven eight nine ten eleven twelve';
    const simulator = await startSimulator({ port: 0, scenario: { reply, tokenInterval: '100ms' } });
    try {
      const provider = providers[name]({ apiKey: 'sk-test-key', baseURL: baseURL(name, simulator.url) });

      const answer = await provider.chat({ ...chatRequest(true), idleTimeoutMs: 700 });

      expect(answer.text).toBe(reply);
      expect(answer.latencySeconds).toBeGreaterThan(1);
    } finally {
      await simulator.close();
    }
  });
});

describe.each(providerNames)('%s failures without a simulator answer', (name) => {
  let closedPortURL = '';
  let plainHttpServer: http.Server;
  let plainHttpsURL = '';
  let silentServer: http.Server;
  let silentURL = '';

  beforeAll(async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    closedPortURL = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    closed.close();
    await once(closed, 'close');

    // An HTTP server addressed with https:// makes the TLS handshake fail.
    plainHttpServer = http.createServer((_request, response) => response.end());
    plainHttpServer.listen(0, '127.0.0.1');
    await once(plainHttpServer, 'listening');
    plainHttpsURL = `https://127.0.0.1:${(plainHttpServer.address() as AddressInfo).port}`;

    // Sends no response, so only a signal ends the call.
    silentServer = http.createServer(() => undefined);
    silentServer.listen(0, '127.0.0.1');
    await once(silentServer, 'listening');
    silentURL = `http://127.0.0.1:${(silentServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const server of [plainHttpServer, silentServer]) {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    }
  });

  it.each([false, true])('classifies a refused connection as NetworkError (stream %s)', async (stream) => {
    const provider = providers[name]({ apiKey: 'sk-test-key', baseURL: baseURL(name, closedPortURL) });

    const error = await probeError(provider, chatRequest(stream));

    expect(error.reason).toBe(FailureReason.NetworkError);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.status).toBeUndefined();
  });

  it('classifies a failed TLS handshake as NetworkError', async () => {
    const provider = providers[name]({ apiKey: 'sk-test-key', baseURL: baseURL(name, plainHttpsURL) });

    const error = await probeError(provider, chatRequest(false));

    expect(error.reason).toBe(FailureReason.NetworkError);
    expect(error.message).toContain('TLS');
  });

  it.each([false, true])('classifies an aborted caller signal as Canceled (stream %s)', async (stream) => {
    const provider = providers[name]({ apiKey: 'sk-test-key', baseURL: baseURL(name, silentURL) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    const error = await probeError(provider, chatRequest(stream, { signal: controller.signal, timeoutMs: 5_000 }));

    expect(error.reason).toBe(FailureReason.Canceled);
    expect(error.latencySeconds).toBeGreaterThanOrEqual(0.09);
    expect(error.latencySeconds).toBeLessThan(5);
  });

  it('cancels concurrent calls sharing a signal', async () => {
    const provider = providers[name]({ apiKey: 'sk-test-key', baseURL: baseURL(name, silentURL) });
    const controller = new AbortController();
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    setTimeout(() => controller.abort(), 100);

    const errors = await Promise.all(
      Array.from({ length: 20 }, () => probeError(provider, chatRequest(true, { signal: controller.signal, timeoutMs: 5_000 }))),
    );
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);

    expect(errors.map((error) => error.reason)).toEqual(Array.from({ length: 20 }, () => FailureReason.Canceled));
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('classifies a signal aborted before the call as Canceled', async () => {
    const provider = providers[name]({ apiKey: 'sk-test-key', baseURL: baseURL(name, silentURL) });

    const error = await probeError(provider, chatRequest(false, { signal: AbortSignal.abort() }));

    expect(error.reason).toBe(FailureReason.Canceled);
  });

  it('classifies the target timeout as Timeout, not Canceled', async () => {
    const provider = providers[name]({ apiKey: 'sk-test-key', baseURL: baseURL(name, silentURL) });
    const controller = new AbortController();

    const error = await probeError(provider, chatRequest(true, { signal: controller.signal, timeoutMs: 200 }));

    expect(error.reason).toBe(FailureReason.Timeout);
    expect(error.latencySeconds).toBeGreaterThanOrEqual(0.19);
  });
});
