import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { RecentFailure } from '../../src/api/types.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { applyYaml, createNamespace, kubectlOk, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';

const namespace = 'failures-e2e';
// The simulator requires this key and echoes it in the failing answer, as a leaky provider might.
const plantedKey = 'sk-planted-e2e-4f1c9a7d2b8e';
let simulator: RunningSimulator;
let operator: OperatorProcess;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  simulator.setScenario({
    apiKey: plantedKey,
    rules: [{ match: { prompt: 'France' }, reply: `Lyon. (debug: authorized with ${plantedKey})` }],
  });
  await createNamespace(namespace);
  await kubectlOk(['-n', namespace, 'create', 'secret', 'generic', 'simulator-key', `--from-literal=apiKey=${plantedKey}`]);
  operator = await startOperator(inject('kubeconfigPath'), [
    '--namespace', namespace,
    '--leader-election-namespace', namespace,
    '--leader-election-id', 'failures-e2e',
    '--lease-duration', '3s', '--renew-deadline', '2s', '--retry-period', '500ms',
  ]);
});

afterAll(async () => {
  await operator?.stop();
  await simulator?.close();
});

async function monitorJson(): Promise<string> {
  return kubectlOk(['-n', namespace, 'get', 'llmmonitor', 'leaky', '-o', 'json']);
}

describe('recent failures in status', () => {
  it('shows the failing answer and reason without the key', async () => {
    const monitor = simulatorMonitor(namespace, 'leaky', simulator.url, {
      targets: [
        {
          name: 'primary',
          provider: 'openai',
          model: 'gpt-4o',
          baseURL: `${simulator.url}/v1`,
          timeout: '5s',
          apiKeySecretRef: { name: 'simulator-key', key: 'apiKey' },
        },
      ],
      probes: [
        { name: 'france', messages: [{ role: 'user', content: 'Capital of France?' }], samples: 2, expect: [{ contains: 'Paris' }] },
        { name: 'echo', messages: [{ role: 'user', content: 'Paris is the capital' }], samples: 2, expect: [{ contains: 'Paris' }] },
      ],
    });
    await applyYaml(monitor);

    // Samples 2 every 2 s: after two runs the probe has more failures than the 3 kept per probe.
    const failures = await eventually('three recent failures in status', async () => {
      const text = await monitorJson();
      const list = (JSON.parse(text) as { status?: { recentFailures?: RecentFailure[] } }).status?.recentFailures ?? [];
      return list.length === 3 ? { text, list } : undefined;
    }, 30_000, 500);

    expect(failures.text).not.toContain(plantedKey);
    expect(failures.list.map((f) => f.probe)).toEqual(['france', 'france', 'france']);
    const [newest] = failures.list;
    expect(newest).toMatchObject({ target: 'primary', probe: 'france', sample: 1 });
    expect(newest?.answer).toBe('Lyon. (debug: authorized with [REDACTED])');
    expect(newest?.reasons).toEqual([expect.stringMatching(/^contains: /)]);
    expect(Date.parse(newest?.time ?? '')).not.toBeNaN();
    expect(operator.logs()).not.toContain(plantedKey);
  });
});
