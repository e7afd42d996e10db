import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { resolveMonitor } from '../api/defaults.js';
import { createLogger } from '../logging.js';
import { createMetrics } from '../metrics/metrics.js';
import { MetricsRecorder } from '../metrics/recorder.js';
import { ProbeError, type Provider, type ProviderFactory } from '../providers/provider.js';
import { FailureReason } from '../reasons.js';
import { DirectorySecretResolver } from '../secrets/directory.js';
import { Redactor } from '../secrets/redactor.js';
import { MonitorRunner } from './runner.js';

const failingProvider: Provider = {
  name: 'openai',
  chat: () => Promise.reject(new ProbeError(FailureReason.Timeout, 'no answer')),
};
const factory: ProviderFactory = () => failingProvider;

describe('MonitorRunner', () => {
  it('records schedule lateness and also reports it to the scheduler option', async () => {
    const reported: string[] = [];
    const registry = new Registry();
    const redactor = new Redactor();
    const runner = new MonitorRunner({
      providers: { openai: factory, anthropic: factory, gemini: factory },
      secrets: new DirectorySecretResolver(undefined),
      redactor,
      logger: createLogger({ level: 'silent', redactor }),
      recorder: new MetricsRecorder(createMetrics(registry)),
      schedulerOptions: { onLateness: (key) => reported.push(key) },
    });
    runner.upsert(
      resolveMonitor({
        apiVersion: 'llmmonitor.dev/v1alpha1',
        kind: 'LLMMonitor',
        metadata: { name: 'late', namespace: 'ns' },
        spec: {
          schedule: { interval: '1h' },
          targets: [{ name: 't', provider: 'openai', model: 'm' }],
          probes: [{ name: 'p', messages: [{ role: 'user', content: 'hi' }] }],
        },
      }),
    );
    await expect.poll(() => reported).toEqual(['ns/late']);
    await runner.stop(1_000);

    expect(await registry.getSingleMetricAsString('llm_monitor_schedule_lateness_seconds')).toMatch(/llm_monitor_schedule_lateness_seconds_count 1/);
  });
});
