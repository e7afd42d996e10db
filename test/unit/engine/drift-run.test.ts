import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MonitorRunner } from '../../../src/engine/runner.js';
import { providers } from '../../../src/providers/registry.js';
import { Redactor } from '../../../src/secrets/redactor.js';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { buildMonitor } from './builders.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(() => sim.close());

describe('drift in runs', () => {
  it('new wording drifts by embedding', async () => {
    const runner = new MonitorRunner({ providers, secrets: { resolve: async () => 'unused' }, redactor: new Redactor(), logger: pino({ level: 'silent' }) });
    const monitor = buildMonitor({
      targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${sim.url}/v1` }],
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'capital of France?' }], samples: 4, stream: false }],
      drift: { baselineRuns: 2, embedding: {} },
    });

    sim.setScenario({ reply: 'Paris is the capital of France' });
    for (let i = 0; i < 2; i++) await runner.runNow(monitor);
    // Same length and finish reason: the embedding sees the new wording.
    sim.setScenario({ reply: 'Lyon has wonderful silk museum' });
    await runner.runNow(monitor);
    const result = await runner.runNow(monitor);

    const drift = result?.drift?.[0];
    expect(drift?.embedding?.distance).toBeGreaterThan(drift?.embedding?.threshold ?? 1);
    expect(drift?.finding).toContain('mean embedding distance');
    await runner.stop();
  });
});
