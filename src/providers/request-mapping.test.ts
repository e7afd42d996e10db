import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ProviderName } from '../api/types.js';
import { startSimulator, type RunningSimulator } from '../simulator/index.js';
import type { ChatRequest, ProviderOptions } from './provider.js';
import { providers } from './registry.js';

interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * Forwards every request to the simulator and records what reached the wire.
 * The simulator's own request log redacts credentials, which these tests check.
 */
async function startRecordingProxy(targetURL: string): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      });
      const forwarded = http.request(`${targetURL}${incoming.url ?? ''}`, { method: incoming.method, headers: incoming.headers }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      forwarded.end(text);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const systemAndUser: ChatRequest['messages'] = [
  { role: 'system', content: 'be brief' },
  { role: 'user', content: 'hello there world' },
];

const allParameters = { temperature: 0.3, topP: 0.9, maxTokens: 50, stop: ['END'], seed: 42 };

describe('request mapping', () => {
  let simulator: RunningSimulator;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0 });
    proxy = await startRecordingProxy(simulator.url);
  });

  afterAll(async () => {
    await proxy.close();
    await simulator.close();
  });

  beforeEach(() => {
    simulator.setScenario({});
    proxy.requests.length = 0;
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  function baseURL(name: ProviderName): string {
    return name === 'openai' ? `${proxy.url}/v1` : proxy.url;
  }

  async function send(name: ProviderName, request: Partial<ChatRequest>, options: ProviderOptions = { apiKey: 'key-123' }): Promise<RecordedRequest> {
    const provider = providers[name]({ ...options, baseURL: baseURL(name) });
    await provider.chat({ model: 'sim-model', messages: systemAndUser, parameters: {}, stream: false, timeoutMs: 5_000, ...request }).catch(() => undefined);
    const [recorded] = proxy.requests;
    if (recorded === undefined) throw new Error('no request reached the proxy');
    return recorded;
  }

  describe('OpenAI', () => {
    it('maps messages and every parameter', async () => {
      const { path, body } = await send('openai', { parameters: allParameters });

      expect(path).toBe('/v1/chat/completions');
      expect(body).toEqual({
        model: 'sim-model',
        messages: systemAndUser,
        temperature: 0.3,
        top_p: 0.9,
        max_completion_tokens: 50,
        stop: ['END'],
        seed: 42,
        stream: false,
      });
    });

    it('asks for usage in streams', async () => {
      const { body } = await send('openai', { stream: true });

      expect(body['stream']).toBe(true);
      expect(body['stream_options']).toEqual({ include_usage: true });
    });

    it('sends the key as a bearer token', async () => {
      const { headers } = await send('openai', {});

      expect(headers.authorization).toBe('Bearer key-123');
    });
  });

  describe('Anthropic', () => {
    it('maps the system prompt, maxTokens and stop sequences', async () => {
      const { path, body } = await send('anthropic', { parameters: allParameters });

      expect(path).toBe('/v1/messages');
      expect(body).toEqual({
        model: 'sim-model',
        system: 'be brief',
        messages: [{ role: 'user', content: 'hello there world' }],
        max_tokens: 50,
        stop_sequences: ['END'],
        stream: false,
      });
    });

    it('sends max_tokens 1024 when maxTokens is unset', async () => {
      const { body } = await send('anthropic', {});

      expect(body['max_tokens']).toBe(1024);
    });

    it('joins several system messages', async () => {
      const { body } = await send('anthropic', {
        messages: [{ role: 'system', content: 'be brief' }, { role: 'system', content: 'be kind' }, { role: 'user', content: 'hi' }],
      });

      expect(body['system']).toBe('be brief\n\nbe kind');
    });

    it('sends the key as a bearer token', async () => {
      const { headers } = await send('anthropic', {});

      expect(headers.authorization).toBe('Bearer key-123');
    });
  });

  describe('Gemini', () => {
    it('maps the system instruction, contents and every parameter', async () => {
      const { path, body } = await send('gemini', {
        messages: [...systemAndUser, { role: 'assistant', content: 'hi' }, { role: 'user', content: 'again' }],
        parameters: allParameters,
      });

      expect(path).toBe('/v1beta/models/sim-model:generateContent');
      expect(body['systemInstruction']).toEqual({ parts: [{ text: 'be brief' }], role: 'user' });
      expect(body['contents']).toEqual([
        { role: 'user', parts: [{ text: 'hello there world' }] },
        { role: 'model', parts: [{ text: 'hi' }] },
        { role: 'user', parts: [{ text: 'again' }] },
      ]);
      expect(body['generationConfig']).toEqual({ temperature: 0.3, topP: 0.9, maxOutputTokens: 50, stopSequences: ['END'], seed: 42 });
    });

    it('streams with server-sent events', async () => {
      const { path } = await send('gemini', { stream: true });

      expect(path).toBe('/v1beta/models/sim-model:streamGenerateContent?alt=sse');
    });

    it('sends the key in x-goog-api-key', async () => {
      const { headers } = await send('gemini', {});

      expect(headers['x-goog-api-key']).toBe('key-123');
    });
  });

  describe.each(['openai', 'anthropic', 'gemini'] as const)('%s', (name) => {
    it('sends no credential without a key', async () => {
      // The SDKs would otherwise read keys from these variables.
      for (const variable of ['OPENAI_API_KEY', 'OPENAI_ADMIN_KEY', 'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'GEMINI_API_KEY']) {
        vi.stubEnv(variable, 'environment-secret');
      }

      const { headers } = await send(name, {}, {});

      expect(JSON.stringify(headers)).not.toContain('environment-secret');
      expect(headers.authorization).toBeUndefined();
      expect(headers['x-api-key']).toBeUndefined();
      expect(headers['x-goog-api-key'] ?? '').toBe('');
    });

    it.each([429, 500, 503])('sends one request on HTTP %i', async (status) => {
      simulator.setScenario({ errors: { rate: 1, status } });

      await send(name, {});

      expect(proxy.requests).toHaveLength(1);
    });
  });
});
