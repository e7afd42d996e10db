import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { applyYaml, createNamespace, kubectlOk, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';

const namespace = 'identity-e2e';
let simulator: RunningSimulator;
let operator: OperatorProcess;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  simulator.setScenario({ model: { responseModel: 'gpt-4o-2024-08-06', systemFingerprint: 'fp_first' } });
  await createNamespace(namespace);
  operator = await startOperator(inject('kubeconfigPath'), [
    '--namespace', namespace,
    '--leader-election-namespace', namespace,
    '--leader-election-id', 'identity-e2e',
    '--lease-duration', '3s', '--renew-deadline', '2s', '--retry-period', '500ms',
  ]);
});

afterAll(async () => {
  await operator?.stop();
  await simulator?.close();
});

async function identityEvents(): Promise<{ reason: string; message: string; count?: number }[]> {
  const list = JSON.parse(await kubectlOk(['-n', namespace, 'get', 'events', '--field-selector', 'involvedObject.name=swapped', '-o', 'json']));
  return (list.items as { reason: string; message: string; count?: number }[]).filter((e) => e.reason === 'ModelIdentityChanged');
}

const labels = `namespace="${namespace}",monitor="swapped",target="primary",model="gpt-4o"`;

describe('model identity', () => {
  it('a swapped model gives one Event and a new info series', async () => {
    await applyYaml(simulatorMonitor(namespace, 'swapped', simulator.url));
    await eventually('the first identity in the metrics', async () => {
      const text = await operator.scrape();
      return text.includes(`llm_monitor_model_info{${labels},response_model="gpt-4o-2024-08-06",fingerprint="fp_first"} 1`) ? true : undefined;
    });

    simulator.setScenario({ model: { responseModel: 'gpt-4o-2024-11-20', systemFingerprint: 'fp_second' } });

    const after = await eventually('the second identity in the metrics', async () => {
      const text = await operator.scrape();
      return text.includes(`llm_monitor_model_info{${labels},response_model="gpt-4o-2024-11-20",fingerprint="fp_second"} 1`) ? text : undefined;
    });
    expect(after).not.toContain('fp_first');
    const [event] = await eventually('the identity Event', async () => {
      const events = await identityEvents();
      return events.length > 0 ? events : undefined;
    });
    expect(event?.message).toBe(
      'target primary (gpt-4o) is now served by gpt-4o-2024-11-20 (fp_second), was gpt-4o-2024-08-06 (fp_first)',
    );

    // Two more runs (every 2 s) with the same identity add no Event.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const events = await identityEvents();
    expect(events).toHaveLength(1);
    expect(events[0]?.count ?? 1).toBe(1);
  });
});
