import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { Scenario } from '../../src/simulator/index.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { applyYaml, createNamespace, getMonitor, kubectlOk, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';

const namespace = 'drift-e2e';
const baselineRuns = 3;
let simulator: RunningSimulator;
let operator: OperatorProcess | undefined;

/** Latency spread far wider than scheduling noise on a busy machine, so latency alone does not drift. */
function scenario(changingReply: string): Scenario {
  return {
    latency: { min: '100ms', max: '300ms' },
    random: true,
    rules: [
      { match: { prompt: 'steady' }, reply: 'Paris is the capital of France.' },
      { match: { prompt: 'changing' }, reply: changingReply },
    ],
  };
}

function start(): Promise<OperatorProcess> {
  return startOperator(inject('kubeconfigPath'), ['--namespace', namespace, '--no-leader-elect']);
}

async function driftedCondition() {
  return (await getMonitor(namespace, 'drifting'))?.status?.conditions?.find((c) => c.type === 'Drifted');
}

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  simulator.setScenario(scenario('Paris.'));
  await createNamespace(namespace);
  operator = await start();
});

afterAll(async () => {
  await operator?.stop();
  await simulator?.close();
});

describe('drift', () => {
  it('changed answers turn Drifted True and the baseline survives a restart', async () => {
    const probe = (name: string) => ({ name, messages: [{ role: 'user', content: `${name} Paris` }], samples: 4, stream: false, expect: [{ contains: 'Paris' }] });
    await applyYaml(simulatorMonitor(namespace, 'drifting', simulator.url, { probes: [probe('steady'), probe('changing')], drift: { baselineRuns } }));

    const stable = await eventually('Drifted False after the baseline and one window', async () => {
      const condition = await driftedCondition();
      return condition?.reason === 'NoDrift' ? condition : undefined;
    }, 60_000, 250);
    expect(stable.status).toBe('False');
    const changedAt = (await getMonitor(namespace, 'drifting'))?.status?.lastRunTime;

    simulator.setScenario(scenario('Paris, the capital of France, has been the seat of government since the tenth century and is its largest city by far.'));

    const drifted = await eventually('Drifted True', async () => {
      const condition = await driftedCondition();
      return condition?.status === 'True' ? condition : undefined;
    }, 60_000, 250);
    expect(drifted.reason).toBe('DriftDetected');
    expect(drifted.message).toMatch(/^primary\/changing: /);
    expect(drifted.message).not.toContain('steady');
    const runsUntilDrift = (Date.parse((await getMonitor(namespace, 'drifting'))?.status?.lastRunTime ?? '') - Date.parse(changedAt ?? '')) / 2000;
    expect(runsUntilDrift).toBeLessThanOrEqual(baselineRuns + 2);

    const stored = JSON.parse(await kubectlOk(['-n', namespace, 'get', 'configmap', 'drifting-drift-baseline', '-o', 'jsonpath={.data.state\\.json}']));
    expect(stored.probes['primary/changing'].baseline).toHaveLength(baselineRuns);
    expect(stored.probes['primary/steady'].baseline).toHaveLength(baselineRuns);

    await operator?.stop();
    operator = await start();
    const beforeRestart = (await getMonitor(namespace, 'drifting'))?.status?.lastRunTime;
    const afterRestart = await eventually('a run after the restart', async () => {
      const monitor = await getMonitor(namespace, 'drifting');
      return monitor?.status?.lastRunTime !== beforeRestart ? monitor : undefined;
    }, 30_000, 250);

    const condition = afterRestart.status?.conditions?.find((c) => c.type === 'Drifted');
    expect(condition?.reason).toBe('DriftDetected');
  });
});
