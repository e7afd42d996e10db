import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ProbeSpec, TargetSpec } from '../../../src/api/types.js';
import { runMonitor } from '../../../src/engine/run.js';
import type { RunResult } from '../../../src/engine/result.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { MetricsRecorder } from '../../../src/metrics/recorder.js';
import { createGeminiProvider } from '../../../src/providers/gemini.js';
import { createOpenAIProvider } from '../../../src/providers/openai.js';
import type { Provider } from '../../../src/providers/provider.js';
import { AssertionErrorReason } from '../../../src/reasons.js';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { buildMonitor, ScriptedProvider } from './builders.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(() => sim.close());

/** Runs one probe of 2 samples against an OpenAI and a Gemini target of the simulator, and records the run's metrics. */
async function runAgainstSimulator(probe: Partial<ProbeSpec>, logprob = -0.1): Promise<{ result: RunResult; metrics: string }> {
  sim.setScenario({ reply: 'Paris', logprob });
  const targets: TargetSpec[] = [
    { name: 'gpt', provider: 'openai', model: 'gpt-4o', baseURL: `${sim.url}/v1` },
    { name: 'gemini', provider: 'gemini', model: 'gemini-2.0-flash', baseURL: sim.url },
  ];
  const monitor = buildMonitor({
    targets,
    probes: [{ name: 'capital', messages: [{ role: 'user', content: 'capital of France?' }], samples: 2, ...probe }],
  });
  const providers = new Map<string, Provider>([
    ['gpt', createOpenAIProvider({ apiKey: 'sk-test', baseURL: `${sim.url}/v1` })],
    ['gemini', createGeminiProvider({ apiKey: 'gemini-test-key', baseURL: sim.url })],
  ]);
  const registry = new Registry();
  const recorder = new MetricsRecorder(createMetrics(registry));

  const result = await runMonitor(monitor, { providers });
  recorder.recordRun(result);

  return { result, metrics: await registry.metrics() };
}

function confidenceSeries(target: string, model: string): string {
  return `namespace="team-a",monitor="bot",target="${target}",model="${model}",probe="capital"`;
}

describe('minConfidence in a run', () => {
  // Every token has log-probability -0.1, so each answer's confidence is exp(-0.1) = 0.9048.
  it('confident answers pass', async () => {
    const { result } = await runAgainstSimulator({ expect: [{ minConfidence: '0.9' }] });

    expect(result.passRate).toBe(1);
    for (const target of result.targets) {
      expect(target.probes[0]?.samples.map((s) => s.confidence)).toEqual([expect.closeTo(0.904837, 6), expect.closeTo(0.904837, 6)]);
    }
  });

  it('uncertain answers fail', async () => {
    const { result } = await runAgainstSimulator({ expect: [{ minConfidence: '0.95' }] });

    expect(result.passRate).toBe(0);
    const assertion = result.targets[0]?.probes[0]?.samples[0]?.assertions[0];
    expect(assertion?.passed).toBe(false);
    expect(assertion?.error).toBeUndefined();
    expect(assertion?.message).toBe('confidence 0.905 (perplexity 1.105, 1 token) is below 0.95');
  });

  it('confidence of each answer is a histogram', async () => {
    const { metrics } = await runAgainstSimulator({ expect: [{ minConfidence: '0.9' }] });

    for (const [target, model] of [['gpt', 'gpt-4o'], ['gemini', 'gemini-2.0-flash']] as const) {
      const labels = confidenceSeries(target, model);
      expect(metrics).toContain(`llm_monitor_answer_confidence_bucket{${labels},le="0.9"} 0`);
      expect(metrics).toContain(`llm_monitor_answer_confidence_bucket{${labels},le="0.95"} 2`);
      expect(metrics).toContain(`llm_monitor_answer_confidence_count{${labels}} 2`);
      expect(metrics).toContain(`llm_monitor_assertion_results_total{${labels},assertion="minConfidence",result="pass"} 2`);
    }
  });

  it('probe with logprobs records confidence without asserting it', async () => {
    const { result, metrics } = await runAgainstSimulator({ logprobs: true, expect: [{ contains: 'Paris' }] }, -0.5);

    expect(result.targets[0]?.probes[0]?.samples[0]?.confidence).toBeCloseTo(Math.exp(-0.5), 12);
    expect(metrics).toContain(`llm_monitor_answer_confidence_count{${confidenceSeries('gemini', 'gemini-2.0-flash')}} 2`);
  });

  it('probe without logprobs records no confidence', async () => {
    const { result, metrics } = await runAgainstSimulator({ expect: [{ contains: 'Paris' }] });

    expect(result.targets[0]?.probes[0]?.samples[0]?.confidence).toBeUndefined();
    expect(metrics).not.toContain('llm_monitor_answer_confidence_count{');
  });

  it('answer without log-probabilities is an assertion error', async () => {
    const monitor = buildMonitor({
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'capital of France?' }], samples: 1, expect: [{ minConfidence: '0.5' }] }],
    });
    const provider = new ScriptedProvider(['Paris']);
    const registry = new Registry();

    const result = await runMonitor(monitor, { providers: new Map([['primary', provider]]) });
    new MetricsRecorder(createMetrics(registry)).recordRun(result);

    expect(provider.requests[0]?.logprobs).toBe(true);
    const sample = result.targets[0]?.probes[0]?.samples[0];
    expect(sample?.assertions[0]?.error).toEqual({ reason: AssertionErrorReason.LogprobsUnavailable });
    expect(sample?.confidence).toBeUndefined();
    expect(await registry.metrics()).toContain('assertion="minConfidence",result="error"} 1');
  });
});
