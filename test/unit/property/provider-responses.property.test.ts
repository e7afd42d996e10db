import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../../src/providers/registry.js';
import { ProbeError, type ChatRequest } from '../../../src/providers/provider.js';
import type { ProviderName } from '../../../src/api/types.js';

/** What the server sends next: a status, a content type and a body, all arbitrary. */
let next = { status: 200, contentType: 'application/json', body: '' };
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(next.status, { 'content-type': next.contentType }).end(next.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Bodies that look like each API's answers, with fields replaced by arbitrary values, and plain junk. */
const body = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.record({ choices: fc.array(fc.record({ message: fc.record({ content: fc.oneof(fc.string(), fc.constant(null), fc.integer()) }), finish_reason: fc.oneof(fc.string(), fc.constant(null)) })), usage: fc.jsonValue() }).map((v) => JSON.stringify(v)),
  fc.record({ content: fc.array(fc.record({ type: fc.constantFrom('text', 'tool_use', 'x'), text: fc.oneof(fc.string(), fc.integer()) })), stop_reason: fc.string(), usage: fc.jsonValue() }).map((v) => JSON.stringify(v)),
  fc.record({ candidates: fc.array(fc.record({ content: fc.record({ parts: fc.array(fc.record({ text: fc.oneof(fc.string(), fc.constant(null)) })) }), finishReason: fc.string() })), promptFeedback: fc.jsonValue() }).map((v) => JSON.stringify(v)),
  fc.array(fc.string({ maxLength: 40 }), { maxLength: 5 }).map((lines) => lines.map((l) => `data: ${l}\n\n`).join('')),
);
const response = fc.record({
  status: fc.constantFrom(200, 200, 200, 201, 204, 400, 401, 404, 429, 500, 503, 529),
  contentType: fc.constantFrom('application/json', 'text/event-stream', 'text/plain', 'text/html'),
  body,
});

function request(stream: boolean): ChatRequest {
  return { model: 'm', messages: [{ role: 'user', content: 'hi' }], parameters: {}, stream, timeoutMs: 2000 };
}

describe.each(['openai', 'anthropic', 'gemini'] as ProviderName[])('%s client under arbitrary responses', (name) => {
  it('resolves with an answer or rejects with a classified ProbeError', async () => {
    const provider = providers[name]({ baseURL: name === 'openai' ? `${url}/v1` : url, apiKey: 'sk-property-test-0000' });

    await fc.assert(
      fc.asyncProperty(response, fc.boolean(), async (reply, stream) => {
        next = reply;

        const outcome = await provider.chat(request(stream)).then(
          (answer) => ({ answer }),
          (error: unknown) => ({ error }),
        );

        if ('error' in outcome) {
          expect(outcome.error).toBeInstanceOf(ProbeError);
          expect((outcome.error as ProbeError).message).not.toContain('sk-property-test-0000');
        } else {
          expect(typeof outcome.answer.text).toBe('string');
          expect(outcome.answer.text.trim().length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
