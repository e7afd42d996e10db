import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { resolveMonitor } from '../api/defaults.js';
import { RecentFailureStore, type MonitorFailures } from '../engine/recent-failure-store.js';
import { MonitorRunner } from '../engine/runner.js';
import { createLogger } from '../logging.js';
import { createMetrics } from '../metrics/metrics.js';
import { MetricsRecorder } from '../metrics/recorder.js';
import { providers } from '../providers/registry.js';
import { DirectorySecretResolver } from '../secrets/directory.js';
import { Redactor } from '../secrets/redactor.js';
import { startSimulator, type RunningSimulator } from '../simulator/index.js';
import { startHttpServer, type RunningHttpServer } from './http-server.js';

const plantedKey = 'sk-planted-run-7c2e9b4a1d6f';
// 500 characters before the key, so that the 512-character cut falls inside it.
const leakyReply = `${'a'.repeat(500)}${plantedKey} and a long tail ${'b'.repeat(300)}`;

describe('GET /v1/failures', () => {
  let simulator: RunningSimulator;
  let server: RunningHttpServer;
  let secretsDir: string;
  const registry = new Registry();
  const redactor = new Redactor();
  const store = new RecentFailureStore((text) => redactor.redact(text));

  beforeAll(async () => {
    simulator = await startSimulator({ port: 0 });
    simulator.setScenario({ apiKey: plantedKey, cachedTokens: 2, rules: [{ match: { prompt: 'France' }, reply: leakyReply }] });
    secretsDir = await mkdtemp(join(tmpdir(), 'failures-test-'));
    await mkdir(join(secretsDir, 'simulator-key'));
    await writeFile(join(secretsDir, 'simulator-key', 'apiKey'), plantedKey);

    const runner = new MonitorRunner({
      providers,
      secrets: new DirectorySecretResolver(secretsDir),
      redactor,
      logger: createLogger({ level: 'silent', redactor }),
      recorder: new MetricsRecorder(createMetrics(registry)),
      onRunComplete: (_monitor, result) => store.record(result),
    });
    await runner.runNow(
      resolveMonitor({
        apiVersion: 'llmmonitor.dev/v1alpha1',
        kind: 'LLMMonitor',
        metadata: { name: 'leaky', namespace: 'team-a' },
        spec: {
          schedule: { interval: '1h' },
          targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${simulator.url}/v1`, apiKeySecretRef: { name: 'simulator-key', key: 'apiKey' } }],
          probes: [
            { name: 'france', messages: [{ role: 'user', content: 'Capital of France?' }], samples: 1, expect: [{ contains: 'Paris' }] },
            { name: 'echo', messages: [{ role: 'user', content: 'Paris is the capital' }], samples: 1, expect: [{ contains: 'Paris' }] },
          ],
        },
      }),
    );
    server = await startHttpServer({ registry, host: '127.0.0.1', port: 0, recentFailures: store });
  });

  afterAll(async () => {
    await server?.close();
    await simulator?.close();
    await rm(secretsDir, { recursive: true, force: true });
  });

  async function getFailures(): Promise<{ status: number; type: string | null; text: string }> {
    const response = await fetch(`${server.url}/v1/failures`);
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  }

  it('serves the failing answer as JSON', async () => {
    const { status, type, text } = await getFailures();

    expect(status).toBe(200);
    expect(type).toBe('application/json');
    const body = JSON.parse(text) as { monitors: MonitorFailures[] };
    expect(body.monitors).toHaveLength(1);
    expect(body.monitors[0]).toMatchObject({ namespace: 'team-a', monitor: 'leaky' });
    expect(body.monitors[0]?.recentFailures).toEqual([
      {
        target: 'primary',
        probe: 'france',
        sample: 1,
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        reasons: [expect.stringMatching(/^contains: answer does not contain "Paris"/)],
        answer: `${'a'.repeat(500)}[REDACTED] a …[truncated, ${leakyReply.length - plantedKey.length + '[REDACTED]'.length} characters in all]`,
      },
    ]);
  });

  it('leaves no part of a key cut by the truncation', async () => {
    const { text } = await getFailures();

    expect(text).not.toContain(plantedKey.slice(0, 8));
  });

  it('rejects other methods', async () => {
    const response = await fetch(`${server.url}/v1/failures`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(405);
  });

  it('counts cached input tokens by type', async () => {
    const text = await registry.getSingleMetricAsString('llm_monitor_tokens_total');

    // Two requests of 3 and 4 prompt words, 2 of each reported as cached.
    expect(text).toContain('llm_monitor_tokens_total{namespace="team-a",monitor="leaky",target="primary",model="gpt-4o",type="cached_input"} 4');
    expect(text).toContain('type="input"} 7');
  });
});
