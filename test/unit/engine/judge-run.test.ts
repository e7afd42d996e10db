import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createJudgeResolver } from '../../../src/engine/judge-resolver.js';
import { runMonitor } from '../../../src/engine/run.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { MetricsRecorder } from '../../../src/metrics/recorder.js';
import { providers as providerFactories } from '../../../src/providers/registry.js';
import { createOpenAIProvider } from '../../../src/providers/openai.js';
import { AssertionErrorReason } from '../../../src/reasons.js';
import { Redactor } from '../../../src/secrets/redactor.js';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { buildMonitor } from './builders.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator();
  sim.setScenario({
    reply: 'Paris',
    rules: [
      { match: { model: '^judge-good$' }, reply: '{"score": 5, "reason": "The answer names Paris."}' },
      { match: { model: '^judge-low$' }, reply: '{"score": 2, "reason": "The answer is off."}' },
      { match: { model: '^judge-broken$' }, reply: 'I would give it a five.' },
    ],
  });
});

afterAll(() => sim.close());

async function runJudgedBy(judgeModel: string) {
  const monitor = buildMonitor({
    targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${sim.url}/v1` }],
    probes: [
      {
        name: 'capital',
        messages: [{ role: 'user', content: 'capital of France?' }],
        samples: 2,
        stream: false,
        expect: [{ judge: { rubric: 'Names Paris.', target: { provider: 'openai', model: judgeModel, baseURL: `${sim.url}/v1` }, minScore: '4' } }],
      },
    ],
  });
  const judges = createJudgeResolver({ factories: providerFactories, secrets: { resolve: async () => 'unused' }, redactor: new Redactor() });
  const providers = new Map([['primary', createOpenAIProvider({ baseURL: `${sim.url}/v1` })]]);
  return runMonitor(monitor, { providers, judges });
}

describe('judge in a run', () => {
  it('well-formed high score passes', async () => {
    const result = await runJudgedBy('judge-good');

    expect(result.passRate).toBe(1);
  });

  it('well-formed low score fails', async () => {
    const result = await runJudgedBy('judge-low');

    expect(result.passRate).toBe(0);
  });

  it('malformed judge answer is not a probe failure', async () => {
    const result = await runJudgedBy('judge-broken');

    const assertion = result.targets[0]?.probes[0]?.samples[0]?.assertions[0];
    expect(assertion?.error).toEqual({ reason: AssertionErrorReason.JudgeAnswerInvalid });
    expect(result.passRate).toBe(1);
    expect(result.errorRate).toBe(0);
  });

  it('judge requests are counted apart', async () => {
    const registry = new Registry();
    const recorder = new MetricsRecorder(createMetrics(registry));

    recorder.recordRun(await runJudgedBy('judge-broken'));

    const text = await registry.metrics();
    const labels = 'namespace="team-a",monitor="bot",target="primary",operation="chat",request_model="judge-broken"';
    expect(text).toContain(`llm_monitor_assertion_requests_total{${labels},error_type=""} 2`);
    expect(text).toMatch(new RegExp(`llm_monitor_assertion_tokens_total\\{${labels},type="output"\\} [1-9]`));
    expect(text).toContain('assertion="judge",result="error"} 2');
  });
});
