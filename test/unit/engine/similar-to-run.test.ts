import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEmbeddingResolver } from '../../../src/engine/embedding-resolver.js';
import { runMonitor } from '../../../src/engine/run.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { MetricsRecorder } from '../../../src/metrics/recorder.js';
import { embeddingClients } from '../../../src/providers/embedding-registry.js';
import { createOpenAIProvider } from '../../../src/providers/openai.js';
import { Redactor } from '../../../src/secrets/redactor.js';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { buildMonitor } from './builders.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(() => sim.close());

async function runSimilarTo(reference: string) {
  sim.setScenario({ reply: 'The capital of France is Paris' });
  sim.resetStats();
  const monitor = buildMonitor({
    targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${sim.url}/v1` }],
    probes: [
      {
        name: 'capital',
        messages: [{ role: 'user', content: 'capital of France?' }],
        samples: 4,
        stream: false,
        expect: [{ similarTo: { references: [reference], minSimilarity: '0.6' } }],
      },
    ],
  });
  const embeddings = createEmbeddingResolver({ factories: embeddingClients, secrets: { resolve: async () => 'unused' }, redactor: new Redactor() });
  const providers = new Map([['primary', createOpenAIProvider({ baseURL: `${sim.url}/v1` })]]);
  return runMonitor(monitor, { providers, embeddings });
}

describe('similarTo in a run', () => {
  it('close answers pass', async () => {
    const result = await runSimilarTo('Paris is the French capital');

    expect(result.passRate).toBe(1);
  });

  it('distant answers fail', async () => {
    const result = await runSimilarTo('Bananas grow in warm climates');

    expect(result.passRate).toBe(0);
  });

  it('equal texts are embedded once per run', async () => {
    await runSimilarTo('Paris is the French capital');

    const embeddingRequests = sim.requests.filter((r) => r.path === '/v1/embeddings');
    expect(embeddingRequests).toHaveLength(1);
  });

  it('embeddings requests are counted apart', async () => {
    const registry = new Registry();
    const recorder = new MetricsRecorder(createMetrics(registry, { genAiMetrics: true }));

    recorder.recordRun(await runSimilarTo('Paris is the French capital'));

    const text = await registry.metrics();
    const labels = 'namespace="team-a",monitor="bot",target="primary",operation="embeddings",request_model="text-embedding-3-small"';
    expect(text).toContain(`llm_monitor_assertion_requests_total{${labels},error_type=""} 1`);
    expect(text).toContain(`llm_monitor_assertion_tokens_total{${labels},type="input"} 11`);
    expect(text).toContain('gen_ai_operation_name="embeddings",gen_ai_provider_name="openai",gen_ai_request_model="text-embedding-3-small",error_type=""} 1');
    expect(text).toContain('llm_monitor_tokens_total{namespace="team-a",monitor="bot",target="primary",model="gpt-4o",type="input"}');
    expect(text).toContain('assertion="similarTo",result="pass"} 4');
  });
});
