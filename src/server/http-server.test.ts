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
