import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MonitorRunner } from '../../../src/engine/runner.js';
import { createMetrics } from '../../../src/metrics/metrics.js';
import { MetricsRecorder } from '../../../src/metrics/recorder.js';
import type { ProviderFactory } from '../../../src/providers/provider.js';
import { DirectorySecretResolver } from '../../../src/secrets/directory.js';
import { Redactor } from '../../../src/secrets/redactor.js';
import { buildMonitor, ScriptedProvider } from './builders.js';

let secretsDir: string;
let registry: Registry;
let recorder: MetricsRecorder;

beforeEach(async () => {
  secretsDir = await mkdtemp(join(tmpdir(), 'llm-monitor-secrets-'));
  registry = new Registry();
  recorder = new MetricsRecorder(createMetrics(registry));
});

afterEach(async () => {
  await rm(secretsDir, { recursive: true, force: true });
});

function runner(providerFactory: ProviderFactory): MonitorRunner {
  return new MonitorRunner({
    providers: { openai: providerFactory, anthropic: providerFactory, gemini: providerFactory },
    secrets: new DirectorySecretResolver(secretsDir),
    redactor: new Redactor(),
    logger: pino({ level: 'silent' }),
    recorder,
  });
}

const withSecret = buildMonitor({
  targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', apiKeySecretRef: { name: 'openai', key: 'api-key' } }],
});

async function notStarted(): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => line.startsWith('llm_monitor_runs_not_started_total{'));
}

describe('runs that cannot start', () => {
  it('a missing Secret counts a run not started with reason SecretNotFound', async () => {
    const result = await runner(() => new ScriptedProvider(['Paris'])).runNow(withSecret);

    expect(result).toBeUndefined();
    expect(await notStarted()).toEqual([
      `llm_monitor_runs_not_started_total{namespace="${withSecret.namespace}",monitor="${withSecret.name}",reason="SecretNotFound"} 1`,
    ]);
  });

  it('a provider client that cannot be built counts reason ProviderSetupFailed', async () => {
    const monitor = buildMonitor({});
    const failing: ProviderFactory = () => {
      throw new Error('unsupported option');
    };

    await runner(failing).runNow(monitor);

    expect(await notStarted()).toEqual([
      `llm_monitor_runs_not_started_total{namespace="${monitor.namespace}",monitor="${monitor.name}",reason="ProviderSetupFailed"} 1`,
    ]);
  });

  it('removing the monitor removes the series', async () => {
    const monitorRunner = runner(() => new ScriptedProvider(['Paris']));
    await monitorRunner.runNow(withSecret);

    monitorRunner.upsert(withSecret);
    monitorRunner.remove(withSecret.key);
    await monitorRunner.stop(0);

    expect(await notStarted()).toEqual([]);
  });
});
