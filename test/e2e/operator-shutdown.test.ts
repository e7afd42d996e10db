/**
 * SIGTERM while a run is in progress: the operator lets the run finish
 * within --shutdown-grace, or cancels it after that, writes the monitor's
 * final status before it releases the lease, and exits 0. The exit-time
 * bound is the grace period plus a margin for a loaded 2-core machine; the
 * cancel case uses a model latency far above that bound, so a process that
 * waits for the response fails it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { findCondition, ConditionType } from '../../src/operator/conditions.js';
import { HealthReason } from '../../src/reasons.js';
import { applyYaml, createNamespace, getMonitor, kubectl, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';

const namespace = 'shutdown-e2e';
/** Time the operator may take beyond the grace period: status write, lease release, closing watches and the server. */
const exitMarginSeconds = 8;

let simulator: RunningSimulator;
let operator: OperatorProcess | undefined;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  await createNamespace(namespace);
});

afterEach(async () => {
  if (operator !== undefined && operator.child.exitCode === null) await operator.kill();
  operator = undefined;
  await kubectl(['-n', namespace, 'delete', 'llmmonitors', '--all']);
});

afterAll(async () => {
  await simulator?.close();
});

/** Starts the operator on one monitor whose first run waits `latency` for the simulator, and resolves once that request arrived. */
async function startDuringRun(name: string, latency: string, graceSeconds: number): Promise<void> {
  simulator.setScenario({ latency });
  simulator.resetStats();
  await applyYaml(
    simulatorMonitor(namespace, name, simulator.url, {
      schedule: { interval: '10m', jitter: '0%' },
      targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${simulator.url}/v1`, timeout: '60s' }],
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Paris is the capital' }], samples: 1, expect: [{ contains: 'Paris' }] }],
    }),
  );
  operator = await startOperator(inject('kubeconfigPath'), [
    '--namespace', namespace,
    '--leader-election-namespace', namespace,
    '--leader-election-id', `shutdown-${name}`,
    '--shutdown-grace', String(graceSeconds),
  ]);
  await eventually('the run sent its request', async () => (simulator.stats().total >= 1 ? true : undefined), 60_000);
}

/** Sends SIGTERM and returns the exit code and the seconds until the process exited. */
async function terminate(target: OperatorProcess): Promise<{ code: number | null; seconds: number }> {
  const started = performance.now();
  const code = await target.stop();
  return { code, seconds: (performance.now() - started) / 1000 };
}

describe('operator on SIGTERM', () => {
  it('cancels a run longer than the grace period', async () => {
    const graceSeconds = 2;
    await startDuringRun('slow', '40s', graceSeconds);
    const running = operator as OperatorProcess;

    const exit = await terminate(running);

    expect(exit.code, running.logs()).toBe(0);
    expect(exit.seconds).toBeLessThan(graceSeconds + exitMarginSeconds);
    const healthy = findCondition((await getMonitor(namespace, 'slow'))?.status?.conditions, ConditionType.Healthy);
    expect(healthy?.status).toBe('Unknown');
    expect(healthy?.reason).toBe(HealthReason.RunCanceled);
    expect(healthy?.message).toContain('grace period of 2 s');
    console.log(`operator exit after SIGTERM, run canceled: ${exit.seconds.toFixed(2)} s (grace ${graceSeconds} s)`);
  });

  it('finishes a run shorter than the grace period', async () => {
    const graceSeconds = 20;
    await startDuringRun('quick', '3s', graceSeconds);
    const running = operator as OperatorProcess;

    const exit = await terminate(running);

    expect(exit.code, running.logs()).toBe(0);
    expect(exit.seconds).toBeLessThan(graceSeconds + exitMarginSeconds);
    const status = (await getMonitor(namespace, 'quick'))?.status;
    expect(status?.lastRunTime).toBeDefined();
    expect(status?.passRate).toBe('100%');
    const healthy = findCondition(status?.conditions, ConditionType.Healthy);
    expect(healthy?.status).toBe('True');
    expect(healthy?.reason).toBe(HealthReason.ThresholdsMet);
    console.log(`operator exit after SIGTERM, run finished: ${exit.seconds.toFixed(2)} s (grace ${graceSeconds} s)`);
  });
});
