import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runMonitor } from '../../../src/engine/run.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { MetricsRecorder } from '../../../src/metrics/recorder.js';
import { createOpenAIProvider } from '../../../src/providers/openai.js';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { buildMonitor } from '../engine/builders.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(() => sim.close());

describe('llm_monitor_model_info', () => {
  it('keeps only the current identity', async () => {
    const registry = new Registry();
    const recorder = new MetricsRecorder(createMetrics(registry));
    const monitor = buildMonitor({ targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${sim.url}/v1` }] });
    const providers = new Map([['primary', createOpenAIProvider({ baseURL: `${sim.url}/v1` })]]);
    const labels = 'namespace="team-a",monitor="bot",target="primary",model="gpt-4o"';

    sim.setScenario({ model: { responseModel: 'gpt-4o-2024-08-06', systemFingerprint: 'fp_one' } });
    recorder.recordRun(await runMonitor(monitor, { providers }));
    const before = await registry.metrics();
    sim.setScenario({ model: { responseModel: 'gpt-4o-2024-11-20', systemFingerprint: 'fp_two' } });
    recorder.recordRun(await runMonitor(monitor, { providers }));
    const after = await registry.metrics();

    expect(before).toContain(`llm_monitor_model_info{${labels},response_model="gpt-4o-2024-08-06",fingerprint="fp_one"} 1`);
    expect(after).toContain(`llm_monitor_model_info{${labels},response_model="gpt-4o-2024-11-20",fingerprint="fp_two"} 1`);
    expect(after).not.toContain('fp_one');
  });
});
