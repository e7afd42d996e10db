import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

import { runMonitor } from '../../../src/engine/run.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { MetricsRecorder } from '../../../src/metrics/recorder.js';
import { statusAfterRun } from '../../../src/operator/status.js';
import { HealthReason } from '../../../src/reasons.js';
import { buildMonitor, ScriptedProvider } from './builders.js';

const threeSamples = {
  probes: [{ name: 'capital', messages: [{ role: 'user' as const, content: 'capital of France?' }], samples: 3, expect: [{ contains: 'Paris' }] }],
  thresholds: { minPassRateLowerBound: '20%' },
};

async function runWith(script: string[]) {
  const monitor = buildMonitor(threeSamples);
  return runMonitor(monitor, { providers: new Map([['primary', new ScriptedProvider(script)]]) });
}

describe('pass rate lower bound', () => {
  it('run reports the bound per target and probe', async () => {
    const result = await runWith(['Paris', 'Paris', 'Lyon']);

    expect(result.targets[0]?.passRateLowerBound).toBeCloseTo(0.2077, 4);
    expect(result.targets[0]?.probes[0]?.passRateLowerBound).toBeCloseTo(0.2077, 4);
  });

  it('one bad answer in 3 keeps the target healthy', async () => {
    const result = await runWith(['Paris', 'Paris', 'Lyon']);

    expect(result.healthy).toBe(true);
  });

  it('two bad answers in 3 make it unhealthy', async () => {
    const result = await runWith(['Paris', 'Lyon', 'Lyon']);

    expect(result.targets[0]?.violations.map((v) => v.reason)).toEqual([HealthReason.PassRateLowerBoundBelowMinimum]);
  });

  it('metrics export the bound', async () => {
    const registry = new Registry();
    const recorder = new MetricsRecorder(createMetrics(registry));

    recorder.recordRun(await runWith(['Paris', 'Paris', 'Lyon']));

    const text = await registry.metrics();
    const labels = 'namespace="team-a",monitor="bot",target="primary",model="gpt-4o"';
    expect(text).toMatch(new RegExp(`llm_monitor_target_pass_ratio_lower_bound\\{${labels}\\} 0\\.2076`));
    expect(text).toMatch(new RegExp(`llm_monitor_probe_pass_ratio_lower_bound\\{${labels},probe="capital"\\} 0\\.2076`));
  });

  it('status reports the bound per target', async () => {
    const status = statusAfterRun(undefined, await runWith(['Paris', 'Paris', 'Lyon']), 1, undefined, new Date(0));

    expect(status.targets?.[0]?.passRateLowerBound).toBe('20.8%');
  });
});
