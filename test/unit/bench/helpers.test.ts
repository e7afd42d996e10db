import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseOperatorLine } from '../../../bench/measure-operator.js';
import { childCpuSeconds, promptfooConfig, promptfooSummary } from '../../../bench/measure-promptfoo.js';
import { fullPlan, parseBenchArgs, quickPlan } from '../../../bench/plan.js';
import { benchChatBody, benchMonitor } from '../../../bench/probe.js';
import { renderMarkdown, targetChecks, type BenchResults } from '../../../bench/report.js';
import { countSeries, scrapeSummary } from '../../../bench/scrape.js';
import { chartNodeArgs } from '../../../bench/chart-heap.js';
import { median, nearestRank, ratio } from '../../../bench/stats.js';
import { createOpenAIProvider } from '../../../src/providers/openai.js';

describe('bench statistics', () => {
  it.each([
    [[5, 1, 3, 2, 4], 0.5, 3],
    [[5, 1, 3, 2, 4], 0.99, 5],
    [[5, 1, 3, 2, 4], 0, 1],
    [[7], 0.99, 7],
  ])('nearestRank(%j, %d) is %d', (values, q, expected) => {
    expect(nearestRank(values, q)).toBe(expected);
  });

  it('has no quantile or ratio without data', () => {
    expect(nearestRank([], 0.5)).toBeUndefined();
    expect(median([])).toBeUndefined();
    expect(ratio(1, 0)).toBeUndefined();
    expect(ratio(9, 10)).toBe(0.9);
  });
});

describe('bench probe', () => {
  it('is the same request body that the OpenAI provider sends', async () => {
    let received = '';
    const server = createServer((request, response) => {
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (received += chunk));
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'bench-model', choices: [{ index: 0, message: { role: 'assistant', content: 'Paris' }, finish_reason: 'stop' }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const monitor = benchMonitor({ name: 'body', simulatorUrl: url, concurrency: 1, samples: 1, stream: false });
      const target = monitor.targets[0];
      const probe = monitor.probes[0];
      if (target?.baseURL === undefined || probe === undefined) throw new Error('the bench monitor has no target or probe');
      await createOpenAIProvider({ baseURL: target.baseURL }).chat({
        model: target.model,
        messages: probe.messages,
        parameters: { ...target.parameters, ...probe.parameters },
        stream: probe.stream,
        timeoutMs: target.timeoutMs,
      });
      expect(JSON.parse(received)).toEqual(JSON.parse(benchChatBody()));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('points promptfoo at the simulator with the same question and caching off', () => {
    const config = promptfooConfig('http://127.0.0.1:1234') as { providers: Array<{ config: { apiBaseUrl: string } }>; prompts: string[] };
    expect(config.providers[0]?.config.apiBaseUrl).toBe('http://127.0.0.1:1234/v1');
    expect(config.prompts).toEqual([(JSON.parse(benchChatBody()) as { messages: Array<{ content: string }> }).messages[0]?.content]);
  });
});

describe('bench output parsing', () => {
  it('reads the children CPU time from bash times', () => {
    expect(childCpuSeconds('0m0.010s 0m0.002s\n1m2.500s 0m0.500s\n')).toBeCloseTo(63, 6);
  });

  it('reads promptfoo summary counts', () => {
    expect(promptfooSummary('...\nResults: ✓ 2999 passed, 1 failed, 0 errors (99.97%)\n')).toEqual({ passed: 2999, failed: 1, errors: 0 });
    expect(promptfooSummary('1 passed, 0 failed, 0 errors\nResults: ✓ 30 passed, 0 failed, 0 errors')).toEqual({ passed: 30, failed: 0, errors: 0 });
    expect(promptfooSummary('nothing here')).toEqual({ passed: undefined, failed: undefined, errors: undefined });
    // promptfoo 0.120 formats counts with toLocaleString and marks counts above zero.
    expect(promptfooSummary('Results: ✓ 3,000 passed, 0 failed, 0 errors (100%)')).toEqual({ passed: 3000, failed: 0, errors: 0 });
    expect(promptfooSummary('Results: ✓ 2,998 passed, ✗ 1 failed, ✗ 1 error (99.93%)')).toEqual({ passed: 2998, failed: 1, errors: 1 });
    expect(promptfooSummary('Results: \u001b[32m✓\u001b[39m \u001b[1m12\u001b[22m passed, \u001b[1m0\u001b[22m failed, \u001b[1m0\u001b[22m errors')).toEqual({ passed: 12, failed: 0, errors: 0 });
  });

  it('reads the operator figures line among other output', () => {
    const line = 'stdout | test/e2e/bench-operator.test.ts\nBENCH_OPERATOR {"monitors":50,"writesWhileIdle":0}\n';
    expect(parseOperatorLine(line)).toEqual({ monitors: 50, writesWhileIdle: 0 });
    expect(() => parseOperatorLine('no figures')).toThrow(/BENCH_OPERATOR/);
  });

  it('summarizes the first scrape apart from the later ones', () => {
    expect(scrapeSummary({ timesMs: [900, 300, 100, 200], spacingMs: 15_000, bytes: 1, series: 1 })).toEqual({ firstMs: 900, laterMedianMs: 200 });
    // The bench's median is the nearest-rank one, the lower middle value of an even count.
    expect(scrapeSummary({ timesMs: [900, 300, 100], spacingMs: 15_000, bytes: 1, series: 1 })).toEqual({ firstMs: 900, laterMedianMs: 100 });
    expect(scrapeSummary({ timesMs: [900], spacingMs: 0, bytes: 1, series: 1 })).toEqual({ firstMs: 900, laterMedianMs: undefined });
  });

  it('counts samples, not comments, in /metrics text', () => {
    expect(countSeries('# HELP a x\n# TYPE a gauge\na{b="1"} 1\na{b="2"} 2\n')).toBe(2);
  });
});

describe('bench plan', () => {
  it.each([
    [[], 'full'],
    [['--quick'], 'quick'],
  ])('parses %j as %s mode', (argv, mode) => {
    expect(parseBenchArgs(argv).plan.mode).toBe(mode);
  });

  it('drops the parts the flags skip', () => {
    const { plan } = parseBenchArgs(['--skip-promptfoo', '--skip-operator', '--skip-scale', '--no-wait', '--no-heap-cap']);
    expect(plan).toMatchObject({ promptfoo: undefined, operator: false, scale: [], waitForQuietSeconds: 0, chartHeapCap: false });
    expect(parseBenchArgs([]).plan.chartHeapCap).toBe(true);
  });

  it('scrapes within the measured window', () => {
    for (const testCase of [...quickPlan().scale, ...fullPlan().scale]) {
      expect(testCase.scrapes).toBeGreaterThan(1);
      expect((testCase.scrapes - 1) * testCase.scrapeSpacingSeconds).toBeLessThan(testCase.windowSeconds);
    }
  });

  it.each([
    ['maxHeapMiB: big', /values\.yaml: maxHeapMiB must be a whole number of MiB or null, got "big"/],
    ['maxHeapMiB: 384.5', /maxHeapMiB must be a whole number of MiB or null, got 384\.5/],
  ])('rejects a chart with %s', async (values, message) => {
    const root = await mkdtemp(join(tmpdir(), 'chart-heap-'));
    await mkdir(join(root, 'deploy/helm/llm-monitor'), { recursive: true });
    await writeFile(join(root, 'deploy/helm/llm-monitor/values.yaml'), `${values}\n`);

    await expect(chartNodeArgs(root)).rejects.toThrow(message);
    await rm(root, { recursive: true });
  });

  it('runs scale workers without a flag when the chart leaves the heap to Node', async () => {
    const root = await mkdtemp(join(tmpdir(), 'chart-heap-'));
    await mkdir(join(root, 'deploy/helm/llm-monitor'), { recursive: true });
    await writeFile(join(root, 'deploy/helm/llm-monitor/values.yaml'), 'maxHeapMiB: null\n');

    expect(await chartNodeArgs(root)).toEqual([]);
    await rm(root, { recursive: true });
  });

  it('runs scale workers with the chart\'s heap limit', async () => {
    const values = parse(await readFile('deploy/helm/llm-monitor/values.yaml', 'utf8')) as { maxHeapMiB: number };
    expect(await chartNodeArgs('.')).toEqual([`--max-old-space-size=${values.maxHeapMiB}`]);
  });

  it('compares promptfoo with a pipeline case of the same latency and concurrency', () => {
    const plan = fullPlan();
    expect(plan.throughput).toContainEqual(expect.objectContaining({ latency: plan.promptfoo?.latency, concurrency: plan.promptfoo?.concurrency }));
  });

  it('keeps the measured window at one whole interval after one and a half', () => {
    for (const testCase of [...quickPlan().scale, ...fullPlan().scale]) {
      const intervalSeconds = 60 / testCase.compression;
      expect(testCase.windowSeconds).toBe(intervalSeconds);
      expect(testCase.settleSeconds).toBe(intervalSeconds * 1.5);
    }
  });
});

describe('bench report', () => {
  const results: BenchResults = {
    mode: 'full',
    command: 'npm run bench',
    startedAt: '2026-01-01T00:00:00.000Z',
    machine: { cores: 2, cpuModel: 'test CPU', memoryGiB: 8, node: 'v20.18.0' },
    load: { beforeRun: 0.5, quiet: true, during: { min: 0.4, max: 1.2, mean: 0.8 } },
    throughput: [
      {
        latency: '100ms',
        concurrency: 50,
        durationSeconds: 20,
        pipeline: { probesPerSecond: 460, probes: 9200, failed: 0, cpuMsPerProbe: 1, cores: 0.46, peakRssMiB: 100 },
        autocannon: { requestsPerSecond: 500, requests: 10000, failed: 0, seconds: 20 },
        ratio: 0.92,
        clients: {
          sdk: { requestsPerSecond: 490, requests: 9800, failed: 0, cpuMsPerRequest: 0.5, cores: 0.25, ratio: 0.98 },
          fetch: { requestsPerSecond: 495, requests: 9900, failed: 1, cpuMsPerRequest: 0.4, cores: 0.2, ratio: 0.99 },
        },
      },
    ],
    scale: [],
    errors: [],
  };

  it('checks each target against its limit', () => {
    expect(targetChecks(results)).toEqual([expect.objectContaining({ value: '92.0%', met: true })]);
    const slower = { ...results, throughput: [{ ...results.throughput[0]!, ratio: 0.8 }] };
    expect(targetChecks(slower)).toEqual([expect.objectContaining({ value: '80.0%', met: false })]);
  });

  it('checks operator latency from each monitor\'s creation', () => {
    const operator = {
      monitors: 50, applyToStatusP50Seconds: 1.5, applyToStatusP95Seconds: 2.5, applyToStatusMaxSeconds: 2.6, applySeconds: 1.8,
      createToStatusP50Seconds: 0.6, createToStatusP95Seconds: 0.8, createToStatusMaxSeconds: 0.9,
      runs: 100, statusWrites: 100, writesPerRun: 1, idleSeconds: 6, writesWhileIdle: 0, writesWithoutRun: 0, fieldsWrittenWithoutRun: [],
    };
    const checks = targetChecks({ ...results, throughput: [], operator });

    expect(checks[0]).toMatchObject({ name: 'operator: apply to first status p95 < 2 s', met: true });
    expect(checks[0]?.value).toContain('2.50 s from the start of the kubectl apply');
    expect(targetChecks({ ...results, throughput: [], operator: { ...operator, createToStatusP95Seconds: 2.1 } })[0]?.met).toBe(false);
    expect(checks[1]).toMatchObject({ value: '1.00', met: true });
  });

  it('names the machine, the load and the command', () => {
    const markdown = renderMarkdown(results);
    expect(markdown).toContain('2 cores (test CPU)');
    expect(markdown).toContain('`npm run bench`');
    expect(markdown).toContain('0.50 at the start');
    expect(markdown).toContain('| 100ms | 50 | 460 | 500 | 92.0% |');
    // The pipeline's share of each bare client's rate: 460 of 490 and of 495.
    expect(markdown).toContain('| 100ms | 50 | OpenAI SDK | 490 | 98.0% | 93.9% | 0.500 | 0.25 | 0 |');
    expect(markdown).toContain('| 100ms | 50 | Node fetch | 495 | 99.0% | 92.9% | 0.400 | 0.20 | 1 |');
  });
});
