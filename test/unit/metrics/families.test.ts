import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CounterFamily, GaugeFamily, HistogramFamily, MetricsRegistry } from '../../../src/metrics/families.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { createOperatorMetrics } from '../../../src/metrics/operator-metrics.js';

const labelNames = ['namespace', 'monitor', 'probe'] as const;
const buckets = [0.1, 0.5, 1, 5];

/** Applies the same updates to prom-client's classes and to the families, so the two expositions can be compared. */
function fill(kind: 'prom-client' | 'families', registry: Registry) {
  const registers = [registry];
  const help = 'Help with a backslash \\ and a\nnewline.';
  const counter = kind === 'prom-client'
    ? new Counter({ name: 'test_requests_total', help, labelNames, registers })
    : new CounterFamily({ name: 'test_requests_total', help, labelNames, registers });
  const gauge = kind === 'prom-client'
    ? new Gauge({ name: 'test_ratio', help, labelNames, registers })
    : new GaugeFamily({ name: 'test_ratio', help, labelNames, registers });
  const histogram = kind === 'prom-client'
    ? new Histogram({ name: 'test_duration_seconds', help, labelNames, buckets, registers })
    : new HistogramFamily({ name: 'test_duration_seconds', help, labelNames, buckets, registers });

  const a = { namespace: 'team-a', monitor: 'bot', probe: 'capital' };
  const b = { namespace: 'team-b', monitor: 'quote"back\\slash\nnewline', probe: 'x' };
  counter.inc(a);
  counter.inc(a, 2.5);
  counter.inc(b, 0);
  gauge.set(a, 0.25);
  gauge.set(b, Number.NaN);
  gauge.set({ namespace: 'team-c', monitor: 'up', probe: 'p' }, Number.POSITIVE_INFINITY);
  gauge.set({ namespace: 'team-c', monitor: 'down', probe: 'p' }, Number.NEGATIVE_INFINITY);
  for (const value of [0.05, 0.1, 0.3, 0.7, 2, 9, 100]) histogram.observe(a, value);
  histogram.observe(b, 1);
  // A series with a label left out, which prom-client leaves out of the text too.
  counter.inc({ namespace: 'team-d', monitor: 'partial' });
  return { counter, gauge, histogram, a, b };
}

/** Parses exposition text into sorted lines with sorted labels, so that label order does not matter. */
function samples(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const match = /^([^{ ]+)(?:\{(.*)\})? (.+)$/.exec(line);
    if (line.startsWith('#') || match === null) {
      lines.push(line);
      continue;
    }
    const labels = [...(match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((label) => `${label[1]}="${label[2]}"`).sort();
    lines.push(`${match[1]}{${labels.join(',')}} ${match[3]}`);
  }
  return lines.sort();
}

describe('metric families', () => {
  it('render the same samples as prom-client', async () => {
    const expected = new Registry();
    fill('prom-client', expected);
    const actual = new MetricsRegistry();
    fill('families', actual);

    const expectedText = await expected.metrics();
    const actualText = await actual.metrics();

    expect(samples(actualText)).toEqual(samples(expectedText));
    expect(actualText.endsWith('\n')).toBe(true);
    expect(actualText).toContain('test_ratio{namespace="team-b",monitor="quote\\"back\\\\slash\\nnewline",probe="x"} Nan');
  });

  it('give prom-client registries the same values', async () => {
    const plain = new Registry();
    fill('families', plain);
    const fast = new MetricsRegistry();
    fill('families', fast);

    expect(samples(await plain.metrics())).toEqual(samples(await fast.metrics()));
    expect(samples(await plain.getSingleMetricAsString('test_duration_seconds'))).toEqual(samples(await fast.getSingleMetricAsString('test_duration_seconds')));
  });

  it('render cumulative buckets, sum and count', async () => {
    const registry = new MetricsRegistry();
    const { a } = fill('families', registry);

    const text = await registry.getSingleMetricAsString('test_duration_seconds');

    const labels = 'namespace="team-a",monitor="bot",probe="capital"';
    expect(text).toContain(`test_duration_seconds_bucket{${labels},le="0.1"} 2`);
    expect(text).toContain(`test_duration_seconds_bucket{${labels},le="0.5"} 3`);
    expect(text).toContain(`test_duration_seconds_bucket{${labels},le="1"} 4`);
    expect(text).toContain(`test_duration_seconds_bucket{${labels},le="5"} 5`);
    expect(text).toContain(`test_duration_seconds_bucket{${labels},le="+Inf"} 7`);
    expect(text).toContain(`test_duration_seconds_sum{${labels}} 112.15`);
    expect(text).toContain(`test_duration_seconds_count{${labels}} 7`);
    expect(a.probe).toBe('capital');
  });

  it('remove one series and reset all', async () => {
    const registry = new MetricsRegistry();
    const filled = fill('families', registry);
    const counter = filled.counter as CounterFamily;
    const histogram = filled.histogram as HistogramFamily;
    const { a, b } = filled;

    histogram.remove(a);
    counter.remove({ namespace: 'nobody', monitor: 'nothing', probe: 'none' });

    expect(histogram.size).toBe(1);
    expect(await registry.metrics()).not.toContain('monitor="bot",probe="capital",le=');
    expect(counter.size).toBe(3);
    histogram.reset();
    expect(histogram.size).toBe(0);
    expect(await registry.getSingleMetricAsString('test_duration_seconds')).toBe('# HELP test_duration_seconds Help with a backslash \\\\ and a\\nnewline.\n# TYPE test_duration_seconds histogram');
    expect(b.probe).toBe('x');
  });

  it('remove a group of series at once', async () => {
    const registry = new MetricsRegistry();
    const gauge = new GaugeFamily({ name: 'test_grouped', help: 'h', labelNames, groupBy: ['namespace', 'monitor'], registers: [registry] });
    gauge.set({ namespace: 'a', monitor: 'one', probe: 'p1' }, 1);
    gauge.set({ namespace: 'a', monitor: 'one', probe: 'p2' }, 2);
    gauge.set({ namespace: 'a', monitor: 'two', probe: 'p1' }, 3);

    gauge.removeGroup({ namespace: 'a', monitor: 'one' });

    expect(gauge.size).toBe(1);
    expect(gauge.has({ namespace: 'a', monitor: 'two', probe: 'p1' })).toBe(true);
    expect(gauge.has({ namespace: 'a', monitor: 'one', probe: 'p1' })).toBe(false);
    expect(await registry.metrics()).not.toContain('monitor="one"');
  });

  it('skip series removed during a scrape', () => {
    const gauge = new GaugeFamily({ name: 'test_walked', help: 'h', labelNames, groupBy: ['namespace', 'monitor'] });
    for (let index = 0; index < 4; index += 1) gauge.set({ namespace: 'a', monitor: `m${index}`, probe: 'p' }, index);
    const header = '# HELP test_walked h\n# TYPE test_walked gauge';
    const line = (index: number): string => `\ntest_walked{namespace="a",monitor="m${index}",probe="p"} ${index}`;

    const cursor = gauge.cursor();
    expect(cursor.next()).toBe(header);
    expect(cursor.next()).toBe(line(0));
    gauge.removeGroup({ namespace: 'a', monitor: 'm1' });
    gauge.remove({ namespace: 'a', monitor: 'm2', probe: 'p' });
    gauge.set({ namespace: 'a', monitor: 'm3', probe: 'p' }, 3);
    gauge.set({ namespace: 'a', monitor: 'm4', probe: 'p' }, 4);
    expect(cursor.next()).toBe(line(3));
    // m4 was created after the scrape started, so it waits for the next scrape.
    expect(cursor.next()).toBeUndefined();

    expect(gauge.render()).toBe(header + line(0) + line(3) + line(4));
    gauge.set({ namespace: 'a', monitor: 'm1', probe: 'p' }, 1);
    expect(gauge.render()).toBe(header + line(0) + line(3) + line(4) + line(1));
    expect(gauge.size).toBe(4);
  });

  it('list a recreated series once per scrape', () => {
    const gauge = new GaugeFamily({ name: 'test_recreated', help: 'h', labelNames, groupBy: ['namespace', 'monitor'] });
    gauge.set({ namespace: 'a', monitor: 'm0', probe: 'p' }, 0);
    gauge.set({ namespace: 'a', monitor: 'm1', probe: 'p' }, 1);
    const header = '# HELP test_recreated h\n# TYPE test_recreated gauge';
    const line = (index: number, value: number): string => `\ntest_recreated{namespace="a",monitor="m${index}",probe="p"} ${value}`;

    const cursor = gauge.cursor();
    expect(cursor.next()).toBe(header);
    expect(cursor.next()).toBe(line(0, 0));
    // A monitor whose series change shape loses its series, and a run that ends creates them again.
    gauge.removeGroup({ namespace: 'a', monitor: 'm0' });
    gauge.set({ namespace: 'a', monitor: 'm0', probe: 'p' }, 5);
    expect(cursor.next()).toBe(line(1, 1));
    expect(cursor.next()).toBeUndefined();

    expect(gauge.render()).toBe(header + line(1, 1) + line(0, 5));
  });

  it('forget removed series even when nothing scrapes', () => {
    const gauge = new GaugeFamily({ name: 'test_churn', help: 'h', labelNames, groupBy: ['namespace', 'monitor'] });
    for (let round = 0; round < 20; round += 1) {
      for (let index = 0; index < 1000; index += 1) gauge.set({ namespace: 'a', monitor: `m${round}-${index}`, probe: 'p' }, 1);
      for (let index = 0; index < 1000; index += 1) gauge.removeGroup({ namespace: 'a', monitor: `m${round}-${index}` });
    }

    expect(gauge.size).toBe(0);
    // The array scrapes walk; removed series in it are garbage that nothing else would collect.
    expect((gauge as unknown as { ordered: unknown[] }).ordered.length).toBeLessThanOrEqual(2048);
  });

  it('remove matching series but the one kept', () => {
    const gauge = new GaugeFamily({ name: 'test_info', help: 'h', labelNames, groupBy: ['namespace', 'monitor'] });
    gauge.set({ namespace: 'a', monitor: 'one', probe: 'old' }, 1);
    gauge.set({ namespace: 'a', monitor: 'one', probe: 'new' }, 1);
    gauge.set({ namespace: 'a', monitor: 'two', probe: 'old' }, 1);

    gauge.removeMatching({ namespace: 'a', monitor: 'one' }, { namespace: 'a', monitor: 'one', probe: 'new' });

    expect(gauge.has({ namespace: 'a', monitor: 'one', probe: 'new' })).toBe(true);
    expect(gauge.has({ namespace: 'a', monitor: 'one', probe: 'old' })).toBe(false);
    expect(gauge.has({ namespace: 'a', monitor: 'two', probe: 'old' })).toBe(true);
  });

  it('reject groupBy labels that do not lead', () => {
    expect(() => new GaugeFamily({ name: 'test_bad_group', help: 'h', labelNames, groupBy: ['monitor'] })).toThrow('groupBy (monitor) must be the first of its labels');
  });

  it('reject an unknown label and a decreasing counter', () => {
    const registry = new MetricsRegistry();
    const counter = fill('families', registry).counter as CounterFamily;

    expect(() => counter.inc({ namespace: 'a', podcast: 'b' })).toThrow('label "podcast" is not a label of metric test_requests_total');
    expect(() => counter.inc({ namespace: 'a' }, -1)).toThrow('counters only increase');
    expect(() => new HistogramFamily({ name: 'test_le', help: 'h', labelNames: ['le'], buckets })).toThrow('cannot have a label named le');
  });

  it('reject a second metric of the same name', () => {
    const registry = new MetricsRegistry();
    fill('families', registry);

    expect(() => new GaugeFamily({ name: 'test_ratio', help: 'again', labelNames, registers: [registry] })).toThrow('already been registered');
  });
});

describe('MetricsRegistry.writeTo', () => {
  /** Collects what writeTo sends. With `later`, each chunk's done callback waits for `releaseAll`. */
  function collector(options: { later?: boolean } = {}) {
    const chunks: Buffer[] = [];
    const pending: (() => void)[] = [];
    let starts = 0;
    const sink = {
      start: () => {
        starts += 1;
      },
      write: (chunk: Uint8Array, done: () => void) => {
        // A copy, because the buffer is reused once done is called.
        chunks.push(Buffer.from(chunk));
        if (options.later === true) pending.push(done);
        else done();
      },
    };
    return {
      sink,
      text: () => Buffer.concat(chunks).toString('utf8'),
      chunks,
      starts: () => starts,
      releaseAll: () => {
        for (const done of pending.splice(0)) done();
      },
    };
  }

  function bigRegistry(monitors: number): MetricsRegistry {
    const registry = new MetricsRegistry();
    const gauge = new GaugeFamily({ name: 'test_up', help: 'h', labelNames, groupBy: ['namespace', 'monitor'], registers: [registry] });
    const histogram = new HistogramFamily({ name: 'test_seconds', help: 'h', labelNames, groupBy: ['namespace', 'monitor'], buckets, registers: [registry] });
    for (let index = 0; index < monitors; index += 1) {
      // Multi-byte label values: UTF-8 takes more bytes than the string has characters.
      const labels = { namespace: 'équipe', monitor: `モニター-${index}`, probe: 'p' };
      gauge.set(labels, index);
      histogram.observe(labels, index / 10);
    }
    return registry;
  }

  it('sends metrics() text in bounded buffers', async () => {
    const registry = bigRegistry(500);
    const sent = collector();

    await registry.writeTo(sent.sink, undefined, { bufferBytes: 4096, buffers: 2 });

    expect(sent.text()).toBe(await registry.metrics());
    expect(sent.chunks.length).toBeGreaterThan(10);
    expect(Math.max(...sent.chunks.map((chunk) => chunk.length))).toBeLessThanOrEqual(4096);
    expect(sent.starts()).toBe(1);
  });

  it('sends a piece longer than a buffer on its own', async () => {
    const registry = new MetricsRegistry();
    const gauge = new GaugeFamily({ name: 'test_long', help: 'h', labelNames, registers: [registry] });
    gauge.set({ namespace: 'a', monitor: 'x'.repeat(1000), probe: 'p' }, 1);
    gauge.set({ namespace: 'a', monitor: 'short', probe: 'p' }, 2);
    const sent = collector();

    await registry.writeTo(sent.sink, undefined, { bufferBytes: 256, buffers: 1 });

    expect(sent.text()).toBe(await registry.metrics());
    expect(sent.chunks.some((chunk) => chunk.length > 1000)).toBe(true);
  });

  it('ends without waiting for the last buffer to come back', async () => {
    const registry = bigRegistry(5);
    const sent = collector({ later: true });

    // One buffer, never handed back: only the last flush may use it.
    await registry.writeTo(sent.sink, undefined, { bufferBytes: 64 * 1024, buffers: 1 });

    expect(sent.text()).toBe(await registry.metrics());
    expect(sent.chunks.length).toBe(1);
  });

  it('waits for a free buffer, and stops when the signal aborts', async () => {
    const registry = bigRegistry(500);
    const sent = collector({ later: true });
    const stop = new AbortController();

    const writing = registry.writeTo(sent.sink, stop.signal, { bufferBytes: 4096, buffers: 2 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Both buffers are out and none came back: the scrape waits.
    expect(sent.chunks.length).toBe(2);
    sent.releaseAll();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent.chunks.length).toBe(4);
    stop.abort();
    await writing;

    expect(sent.chunks.length).toBe(4);
    expect((await registry.metrics()).startsWith(sent.text())).toBe(true);
  });
});

describe('help texts', () => {
  it('are ASCII, so a scrape stays a one-byte string', async () => {
    // One character outside Latin-1 made V8 store a whole joined scrape with two bytes per character, when scrapes were joined strings.
    const registry = new MetricsRegistry();
    createMetrics(registry, { genAiMetrics: true });
    createOperatorMetrics(registry);

    const nonAscii = (await registry.metrics()).split('\n').filter((line) => /[^\x20-\x7e]/.test(line));

    expect(nonAscii).toEqual([]);
  });
});
