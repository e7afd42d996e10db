/**
 * The real pipeline as `llm-monitor run` builds it: MonitorRunner with the
 * real provider clients, assertions, and a MetricsRecorder on a registry
 * with the default process metrics. Log lines are formatted as in
 * production and then dropped, so their CPU cost counts but not the writes.
 */
import { collectDefaultMetrics } from 'prom-client';
import { MonitorRunner, type MonitorRunnerOptions } from '../src/engine/runner.js';
import { createLogger } from '../src/logging.js';
import { createMetrics } from '../src/metrics/metrics.js';
import { MetricsRegistry } from '../src/metrics/families.js';
import { MetricsRecorder } from '../src/metrics/recorder.js';
import { providers } from '../src/providers/registry.js';
import { DirectorySecretResolver } from '../src/secrets/directory.js';
import { Redactor } from '../src/secrets/redactor.js';

export interface Pipeline {
  runner: MonitorRunner;
  registry: MetricsRegistry;
  recorder: MetricsRecorder;
}

export function createPipeline(extra: Pick<MonitorRunnerOptions, 'schedulerOptions' | 'onRunComplete'> = {}): Pipeline {
  const registry = new MetricsRegistry();
  collectDefaultMetrics({ register: registry });
  const recorder = new MetricsRecorder(createMetrics(registry));
  const redactor = new Redactor();
  const runner = new MonitorRunner({
    providers,
    secrets: new DirectorySecretResolver(undefined),
    redactor,
    logger: createLogger({ level: 'info', redactor, write: () => {} }),
    recorder,
    ...extra,
  });
  return { runner, registry, recorder };
}
