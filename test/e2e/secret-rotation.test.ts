import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { applyYaml, createNamespace, getMonitor, kubectlOk, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';

/**
 * A Secret rotated while the monitor probes: the provider starts to accept
 * only the new key, the Secret is updated, and the next runs use the new key
 * without a restart. Neither key appears in the operator's log.
 */
const namespace = 'rotation-e2e';
const oldKey = 'sk-rotation-old-key-1111';
const newKey = 'sk-rotation-new-key-2222';
let simulator: RunningSimulator;
let operator: OperatorProcess;

function secret(apiKey: string): object {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'llm-key', namespace }, stringData: { apiKey } };
}

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, scenario: { reply: 'Paris', apiKey: oldKey } });
  await createNamespace(namespace);
  await applyYaml(secret(oldKey));
  operator = await startOperator(inject('kubeconfigPath'), [
    '--namespace', namespace,
    '--leader-election-namespace', namespace,
    '--lease-duration', '3s', '--renew-deadline', '2s', '--retry-period', '500ms',
  ]);
});

afterAll(async () => {
  await operator?.stop();
  await simulator?.close();
});

describe('a Secret rotated while probing', () => {
  it('is used from the next run on', async () => {
    const monitor = simulatorMonitor(namespace, 'rotating', simulator.url, {
      targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${simulator.url}/v1`, timeout: '5s', apiKeySecretRef: { name: 'llm-key', key: 'apiKey' } }],
    });
    await applyYaml(monitor);
    await eventually('a passing run with the old key', async () => ((await getMonitor(namespace, 'rotating'))?.status?.passRate === '100%' ? true : undefined));

    // The provider revokes the old key first, as a rotation does; runs fail until the Secret contains the new one.
    simulator.setScenario({ reply: 'Paris', apiKey: newKey });
    await eventually('a run that fails with the revoked key', async () => ((await getMonitor(namespace, 'rotating'))?.status?.passRate === '0%' ? true : undefined));
    await applyYaml(secret(newKey));
    const rotatedAt = Date.now();

    const after = await eventually('a passing run with the new key', async () => {
      const status = (await getMonitor(namespace, 'rotating'))?.status;
      return status?.passRate === '100%' && Date.parse(status.lastRunTime ?? '') > rotatedAt ? status : undefined;
    });
    expect(after.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const metrics = await operator.scrape();
    expect(metrics).toMatch(/llm_monitor_probe_errors_total\{namespace="rotation-e2e",monitor="rotating",[^}]*reason="AuthFailed"\} [1-9]/);
    for (const text of [operator.logs(), metrics, await kubectlOk(['-n', namespace, 'get', 'llmmonitor', 'rotating', '-o', 'yaml'])]) {
      expect(text).not.toContain(oldKey);
      expect(text).not.toContain(newKey);
    }
  });
});
