import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createBoundedFetch, ResponseTooLargeError } from './bounded-fetch.js';
import { errorChain } from './classify.js';

const limitBytes = 1024;

/** Serves the bodies the tests read, by path. */
function handle(request: http.IncomingMessage, response: http.ServerResponse): void {
  switch (request.url) {
    case '/json/small':
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: 'x'.repeat(limitBytes - 100) }));
      return;
    case '/json/large':
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: 'x'.repeat(limitBytes * 4) }));
      return;
    case '/events/many-small':
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 100; i++) response.write(`data: {"i":${i},"text":"${'y'.repeat(50)}"}\r\n\r\n`);
      response.end();
      return;
    case '/events/one-large':
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: {"first":true}\n\n');
      for (let i = 0; i < 100; i++) response.write(`data: ${'z'.repeat(50)}\n`);
      response.end('\n');
      return;
    case '/json/gzip-large': {
      // Compressed, it declares a length within the limit; decompressed, it is four times the limit.
      const body = gzipSync(JSON.stringify({ text: 'x'.repeat(limitBytes * 4) }));
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length }).end(body);
      return;
    }
    case '/json/declared-small':
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': 13 }).end('{"text":"ok"}');
      return;
    case '/redirect':
      response.writeHead(302, { location: '/json/small' }).end();
      return;
    default:
      response.writeHead(404).end();
  }
}

describe('createBoundedFetch', () => {
  const server = http.createServer(handle);
  let baseURL = '';
  const boundedFetch = createBoundedFetch(limitBytes);

  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  async function readFailure(path: string): Promise<unknown> {
    const response = await boundedFetch(`${baseURL}${path}`);
    return response.text().then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  it('passes a body within the limit', async () => {
    const response = await boundedFetch(`${baseURL}/json/small`);

    expect(response.status).toBe(200);
    expect(((await response.json()) as { text: string }).text).toHaveLength(limitBytes - 100);
  });

  it('fails a body over the limit', async () => {
    const error = await readFailure('/json/large');

    expect(errorChain(error).some((item) => item instanceof ResponseTooLargeError)).toBe(true);
  });

  it('passes a body with a declared length within the limit', async () => {
    const response = await boundedFetch(`${baseURL}/json/declared-small`);

    expect(await response.json()).toEqual({ text: 'ok' });
  });

  it('fails a compressed body that grows over the limit', async () => {
    const error = await readFailure('/json/gzip-large');

    expect(errorChain(error).some((item) => item instanceof ResponseTooLargeError)).toBe(true);
  });

  it('passes many small events over the total limit', async () => {
    const response = await boundedFetch(`${baseURL}/events/many-small`);

    expect((await response.text()).length).toBeGreaterThan(limitBytes);
  });

  it('fails one event over the limit', async () => {
    const error = await readFailure('/events/one-large');

    expect(errorChain(error).some((item) => item instanceof ResponseTooLargeError)).toBe(true);
  });

  it('returns a redirect instead of following it', async () => {
    const response = await boundedFetch(`${baseURL}/redirect`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/json/small');
  });
});
