import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';

import { GaugeFamily, HistogramFamily, MetricsRegistry } from '../metrics/families.js';
import { startHttpServer, type RunningHttpServer } from './http-server.js';

const labelNames = ['namespace', 'monitor', 'probe'];

function fillRegistry(registry: Registry, monitors: number): void {
  const gauge = new GaugeFamily({ name: 'test_success', help: 'Success.', labelNames, groupBy: ['namespace', 'monitor'], registers: [registry] });
  const histogram = new HistogramFamily({ name: 'test_duration_seconds', help: 'Duration.', labelNames, groupBy: ['namespace', 'monitor'], buckets: [0.1, 1, 10], registers: [registry] });
  for (let index = 0; index < monitors; index += 1) {
    const labels = { namespace: 'team-a', monitor: `monitor-${index}`, probe: 'capital' };
    gauge.set(labels, index % 2);
    histogram.observe(labels, index / 100);
  }
}

describe('GET /metrics', () => {
  let server: RunningHttpServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('streams a large MetricsRegistry in chunks', async () => {
    const registry = new MetricsRegistry();
    fillRegistry(registry, 5000);
    server = await startHttpServer({ registry, host: '127.0.0.1', port: 0 });

    const response = await fetch(`${server.url}/metrics`);
    const body = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(registry.contentType);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(body.length).toBeGreaterThan(256 * 1024);
    expect(body).toBe(await registry.metrics());
  });

  it('waits for a client that reads slowly and sends every byte', async () => {
    const registry = new MetricsRegistry();
    // About 6 MiB, well above what the server queues before it waits for the client.
    fillRegistry(registry, 20_000);
    server = await startHttpServer({ registry, host: '127.0.0.1', port: 0 });

    const raw = await rawGet(server.port, async (socket) => {
      socket.pause();
      await sleep(300);
      socket.resume();
    });

    const body = dechunk(raw.subarray(raw.indexOf('\r\n\r\n') + 4)).toString('utf8');
    expect(body.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(body).toBe(await registry.metrics());
  });

  it('stops a scrape whose client goes away and serves the next one', async () => {
    const registry = new CountingRegistry();
    fillRegistry(registry, 20_000);
    server = await startHttpServer({ registry, host: '127.0.0.1', port: 0 });

    await disconnectMidBody(server.port, 1);
    await registry.waitForFinished(1);
    expect(registry.finished).toBe(1);
    const response = await fetch(`${server.url}/metrics`);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe(await registry.metrics());
  });

  it('stops scrapes queued on a keep-alive connection when the client goes away', async () => {
    const registry = new CountingRegistry();
    fillRegistry(registry, 20_000);
    server = await startHttpServer({ registry, host: '127.0.0.1', port: 0 });

    // Three requests in one write: the second and third wait behind the first on the same socket.
    await disconnectMidBody(server.port, 3);
    await registry.waitForFinished(3);

    expect(registry.finished).toBe(3);
  });

  it('answers HEAD without a body', async () => {
    const registry = new MetricsRegistry();
    fillRegistry(registry, 10);
    server = await startHttpServer({ registry, host: '127.0.0.1', port: 0 });

    const response = await fetch(`${server.url}/metrics`, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('answers 500 when collecting fails', async () => {
    const registry = new MetricsRegistry();
    new Gauge({
      name: 'test_broken',
      help: 'A gauge whose collect function fails.',
      registers: [registry],
      collect() {
        throw new Error('sensor unplugged');
      },
    });
    fillRegistry(registry, 10);
    server = await startHttpServer({ registry, host: '127.0.0.1', port: 0 });

    const response = await fetch(`${server.url}/metrics`);

    expect(response.status).toBe(500);
    expect(await response.text()).toBe('collecting metrics failed: sensor unplugged\n');
  });

  it('serves a plain prom-client Registry whole', async () => {
    const registry = new Registry();
    fillRegistry(registry, 10);
    server = await startHttpServer({ registry, host: '127.0.0.1', port: 0 });

    const response = await fetch(`${server.url}/metrics`);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe(await registry.metrics());
  });
});

/** Counts the scrapes that ended, however they ended. */
class CountingRegistry extends MetricsRegistry {
  finished = 0;

  override async writeTo(...args: Parameters<MetricsRegistry['writeTo']>): Promise<void> {
    try {
      await super.writeTo(...args);
    } finally {
      this.finished += 1;
    }
  }

  /** Waits up to 2 s for `count` scrapes to end. */
  async waitForFinished(count: number): Promise<void> {
    for (let waited = 0; this.finished < count && waited < 2000; waited += 50) await sleep(50);
  }
}

/** Sends `requests` scrapes on one connection, reads nothing for 100 ms, then closes it. */
function disconnectMidBody(port: number, requests: number): Promise<Buffer> {
  return rawGet(
    port,
    async (socket) => {
      socket.pause();
      await sleep(100);
      socket.destroy();
    },
    requests,
  );
}

/**
 * Sends GET /metrics `requests` times in one write on a raw socket, the
 * last with connection: close, lets `afterConnect` pause or close it, and
 * returns every byte read until it closes.
 */
function rawGet(port: number, afterConnect: (socket: ReturnType<typeof connect>) => Promise<void>, requests = 1): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const request = (last: boolean): string => `GET /metrics HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: ${last ? 'close' : 'keep-alive'}\r\n\r\n`;
      socket.write(Array.from({ length: requests }, (_, index) => request(index === requests - 1)).join(''));
      afterConnect(socket).catch(reject);
    });
    const received: Buffer[] = [];
    socket.on('data', (data: Buffer) => received.push(data));
    socket.on('close', () => resolve(Buffer.concat(received)));
    socket.on('error', reject);
  });
}

/** Decodes an HTTP/1.1 chunked body. */
function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts);
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}
