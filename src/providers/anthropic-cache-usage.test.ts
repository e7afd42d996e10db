import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createAnthropicProvider } from './anthropic.js';
import type { ChatRequest } from './provider.js';

// Anthropic counts cache reads and writes apart from input_tokens; the simulator reports no cache writes, so this server does.
const cacheUsage = { input_tokens: 10, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000, output_tokens: 5 };
const message = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test', content: [{ type: 'text', text: 'Paris' }], stop_reason: 'end_turn', stop_sequence: null, usage: cacheUsage };

function streamBody(deltaUsage: Record<string, unknown>): string {
  const events = [
    { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...cacheUsage, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Paris' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: deltaUsage },
    { type: 'message_stop' },
  ];
  return events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
}

describe('Anthropic cache usage', () => {
  let server: Server;
  let baseURL: string;
  let deltaUsage: Record<string, unknown> = {};

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if ((JSON.parse(body) as { stream?: boolean }).stream === true) {
          response.writeHead(200, { 'content-type': 'text/event-stream' }).end(streamBody(deltaUsage));
        } else {
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function chatRequest(stream: boolean): ChatRequest {
    return { model: 'claude-test', messages: [{ role: 'user', content: 'Capital of France?' }], parameters: {}, stream, timeoutMs: 5_000 };
  }

  const expected = { inputTokens: 1110, outputTokens: 5, cachedInputTokens: 1000, cacheWriteInputTokens: 100 };

  it('splits cache reads and writes out of a message', async () => {
    const response = await createAnthropicProvider({ apiKey: 'sk-ant-test-key', baseURL }).chat(chatRequest(false));

    expect(response.usage).toEqual(expected);
  });

  it.each([
    { name: 'output only', usage: { output_tokens: 5 } },
    { name: 'input counts repeated', usage: cacheUsage },
  ])('keeps cache counts when message_delta carries $name', async ({ usage }) => {
    deltaUsage = usage;

    const response = await createAnthropicProvider({ apiKey: 'sk-ant-test-key', baseURL }).chat(chatRequest(true));

    expect(response.usage).toEqual(expected);
  });
});
