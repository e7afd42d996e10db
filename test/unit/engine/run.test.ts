import { describe, expect, it } from 'vitest';
import { runMonitor } from '../../../src/engine/run.js';
import { FailureReason, HealthReason } from '../../../src/reasons.js';
import { buildMonitor, ScriptedProvider } from './builders.js';

describe('runMonitor', () => {
  it('takes the pass rate over all samples', async () => {
    const provider = new ScriptedProvider(['Paris', 'Paris', 'Lyon', 'Paris']);

    const result = await runMonitor(buildMonitor(), { providers: new Map([['primary', provider]]) });

    expect(result.passRate).toBe(0.75);
    expect(result.targets[0]?.probes[0]?.samples.map((s) => s.passed)).toEqual([true, true, false, true]);
    expect(result.targets[0]?.inputTokens).toBe(12);
  });

  it('counts failed requests by reason and not as latency', async () => {
    const provider = new ScriptedProvider(['Paris', { fail: FailureReason.RateLimited }]);

    const result = await runMonitor(buildMonitor(), { providers: new Map([['primary', provider]]) });

    const target = result.targets[0];
    expect(target?.errorRate).toBe(0.5);
    expect(target?.errorsByReason).toEqual({ RateLimited: 2 });
    expect(target?.latencyP95Seconds).toBeCloseTo(0.2);
    expect(target?.probes[0]?.samples[1]?.error?.reason).toBe('RateLimited');
  });

  it('keeps requests in flight within the target concurrency', async () => {
    const monitor = buildMonitor({
      targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', concurrency: 2 }],
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'x' }], samples: 10 }],
    });
    const provider = new ScriptedProvider(['Paris'], 10);

    await runMonitor(monitor, { providers: new Map([['primary', provider]]) });

    expect(provider.requests).toHaveLength(10);
    expect(provider.maxInFlight).toBe(2);
  });

  it('reports each threshold that is not met', async () => {
    const monitor = buildMonitor({ thresholds: { minPassRate: '90%', maxErrorRate: '10%', maxLatencyP95: '100ms' } });
    const provider = new ScriptedProvider(['Paris', { fail: FailureReason.Overloaded }]);

    const result = await runMonitor(monitor, { providers: new Map([['primary', provider]]) });

    expect(result.healthy).toBe(false);
    expect(result.targets[0]?.violations).toEqual([
      { reason: HealthReason.PassRateBelowMinimum, message: 'pass rate 50% is below the minimum 90%' },
      { reason: HealthReason.ErrorRateAboveMaximum, message: 'error rate 50% is above the maximum 10% (Overloaded: 2)' },
      { reason: HealthReason.LatencyAboveMaximum, message: 'p95 latency 200ms is above the maximum 100ms' },
    ]);
  });

  it('merges probe parameters over target parameters', async () => {
    const monitor = buildMonitor({
      targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', parameters: { temperature: 0, maxTokens: 100 } }],
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'x' }], parameters: { maxTokens: 5 }, stream: false, timeout: '3s' }],
    });
    const provider = new ScriptedProvider(['Paris']);

    await runMonitor(monitor, { providers: new Map([['primary', provider]]) });

    expect(provider.requests[0]).toMatchObject({ parameters: { temperature: 0, maxTokens: 5 }, stream: false, timeoutMs: 3000, model: 'gpt-4o' });
  });

  it('marks samples not sent after cancellation as canceled', async () => {
    const controller = new AbortController();
    controller.abort();

    const result = await runMonitor(buildMonitor(), { providers: new Map([['primary', new ScriptedProvider(['Paris'])]]), signal: controller.signal });

    expect(result.canceled).toBe(true);
    expect(result.targets[0]?.errorsByReason).toEqual({ Canceled: 4 });
  });
});
