import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LLMMonitorSpec } from '../../../src/api/types.js';
import { retryWaitMs } from '../../../src/engine/retry.js';
import { runMonitor } from '../../../src/engine/run.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { MetricsRecorder } from '../../../src/metrics/recorder.js';
import { ProbeError } from '../../../src/providers/provider.js';
import { providers } from '../../../src/providers/registry.js';
import { FailureReason } from '../../../src/reasons.js';
import { startSimulator, type RunningSimulator, type Scenario } from '../../../src/simulator/index.js';
import { buildMonitor } from './builders.js';

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
});

afterAll(async () => {
  await simulator.close();
});

/** Runs one monitor of `samples` samples, one at a time, against the simulator with the scenario. */
async function run(scenario: Scenario, retries: NonNullable<LLMMonitorSpec['targets'][number]['retries']> | undefined, samples = 1) {
  simulator.setScenario({ latency: '20ms', ...scenario });
  simulator.resetStats();
  const target = { name: 'primary', provider: 'openai' as const, model: 'gpt-4o', baseURL: `${simulator.url}/v1`, concurrency: 1, ...(retries === undefined ? {} : { retries }) };
  const monitor = buildMonitor({
    targets: [target],
    probes: [{ name: 'capital', messages: [{ role: 'user', content: 'capital of France?' }], samples, expect: [{ contains: 'Paris' }] }],
  });
  const provider = providers.openai({ apiKey: 'sk-test', baseURL: `${simulator.url}/v1` });
  const result = await runMonitor(monitor, { providers: new Map([['primary', provider]]) });
  const registry = new Registry();
  new MetricsRecorder(createMetrics(registry)).recordRun(result);
  const retryLines = (await registry.metrics()).split('\n').filter((line) => line.startsWith('llm_monitor_probe_retries_total{'));
  return { samples: result.targets[0]?.probes[0]?.samples ?? [], requests: simulator.stats().total, retryLines };
}

describe('retries', () => {
  it('are off by default: one request per sample, the failure stands', async () => {
    const { samples, requests } = await run({ reply: 'Paris', errors: [{ rate: 1, status: 503 }] }, undefined);

    expect(requests).toBe(1);
    expect(samples[0]?.error?.reason).toBe(FailureReason.Overloaded);
    expect(samples[0]?.attempts).toBeUndefined();
  });

  it('retry an overload once', async () => {
    // Every second request fails, so the second sample fails once and passes on its retry.
    const { samples, requests, retryLines } = await run({ reply: 'Paris', errors: [{ rate: 0.5, status: 503 }] }, { maxAttempts: 2, backoff: '1s' }, 2);

    expect(requests).toBe(3);
    expect(samples.map((s) => s.passed)).toEqual([true, true]);
    expect(samples[1]).toMatchObject({ attempts: 2, retried: [FailureReason.Overloaded] });
    // The 1 s backoff and the failed attempt are not in the latency.
    expect(samples[1]?.latencySeconds).toBeLessThan(1);
    expect(retryLines).toEqual([
      'llm_monitor_probe_retries_total{namespace="team-a",monitor="bot",target="primary",model="gpt-4o",probe="capital",reason="Overloaded"} 1',
    ]);
  });

  it('stop after maxAttempts and count every attempt', async () => {
    const { samples, requests } = await run({ reply: 'Paris', errors: [{ rate: 1, status: 429 }] }, { maxAttempts: 3, backoff: '10ms' });

    expect(requests).toBe(3);
    expect(samples[0]).toMatchObject({ passed: false, attempts: 3, retried: [FailureReason.RateLimited, FailureReason.RateLimited] });
    expect(samples[0]?.error?.reason).toBe(FailureReason.RateLimited);
  });

  it.each([
    { name: 'an exhausted quota', scenario: { errors: [{ rate: 1, status: 429, kind: 'quota' as const }] }, reason: FailureReason.QuotaExhausted },
    { name: 'a wrong API key', scenario: { apiKey: 'another-key' }, reason: FailureReason.AuthFailed },
    { name: 'a bad request', scenario: { errors: [{ rate: 1, status: 400 }] }, reason: FailureReason.BadRequest },
    { name: 'a Retry-After over 60s', scenario: { errors: [{ rate: 1, status: 429, retryAfter: '120s' }] }, reason: FailureReason.RateLimited },
  ])('skip $name', async ({ scenario, reason }) => {
    const { samples, requests, retryLines } = await run({ reply: 'Paris', ...scenario }, { maxAttempts: 3, backoff: '10ms' });

    expect(requests).toBe(1);
    expect(samples[0]?.error?.reason).toBe(reason);
    expect(samples[0]?.attempts).toBeUndefined();
    expect(retryLines).toEqual([]);
  });

  it('wait for a Retry-After longer than the backoff', async () => {
    const started = performance.now();
    const { samples, requests } = await run({ reply: 'Paris', errors: [{ rate: 0.5, status: 429, retryAfter: '1s' }] }, { maxAttempts: 2, backoff: '10ms' }, 2);

    expect(requests).toBe(3);
    expect(samples.map((s) => s.passed)).toEqual([true, true]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
  });
});

describe('retryWaitMs', () => {
  const failure = (reason: FailureReason, retryAfterSeconds?: number) =>
    new ProbeError(reason, 'failed', retryAfterSeconds === undefined ? {} : { retryAfterSeconds });

  it.each([
    { reason: FailureReason.ServerError, attempt: 1, expected: 1000 },
    { reason: FailureReason.ServerError, attempt: 2, expected: 2000 },
    { reason: FailureReason.ServerError, attempt: 3, expected: undefined },
    { reason: FailureReason.Timeout, attempt: 1, expected: 1000 },
    { reason: FailureReason.NetworkError, attempt: 1, expected: 1000 },
    { reason: FailureReason.ContentFiltered, attempt: 1, expected: undefined },
    { reason: FailureReason.InvalidResponse, attempt: 1, expected: undefined },
    { reason: FailureReason.Canceled, attempt: 1, expected: undefined },
  ])('$reason after attempt $attempt of 3 waits $expected ms', ({ reason, attempt, expected }) => {
    expect(retryWaitMs(failure(reason), attempt, 3, 1000)).toBe(expected);
  });

  it('takes the longer of backoff and Retry-After, up to 60 s', () => {
    expect(retryWaitMs(failure(FailureReason.RateLimited, 5), 1, 3, 1000)).toBe(5000);
    expect(retryWaitMs(failure(FailureReason.RateLimited, 60), 1, 3, 1000)).toBe(60_000);
    expect(retryWaitMs(failure(FailureReason.RateLimited, 61), 1, 3, 1000)).toBeUndefined();
  });
});
