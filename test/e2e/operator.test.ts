import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Informer } from '../../src/operator/informer.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { applyYaml, createNamespace, getMonitor, kubectlOk, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';

const namespace = 'operator-e2e';
let simulator: RunningSimulator;
let operator: OperatorProcess;

function condition(monitor: Awaited<ReturnType<typeof getMonitor>>, type: string) {
  return monitor?.status?.conditions?.find((c) => c.type === type);
}

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  await createNamespace(namespace);
  operator = await startOperator(inject('kubeconfigPath'), [
    '--namespace', namespace,
    '--leader-election-namespace', namespace,
    '--leader-election-id', 'operator-e2e',
    '--lease-duration', '3s', '--renew-deadline', '2s', '--retry-period', '500ms',
    // Resyncs every second, so the status-write test also shows that a resync writes nothing.
    '--resync-period', '1s',
  ]);
});

afterAll(async () => {
  await operator?.stop();
  await simulator?.close();
});

describe('operator', () => {
  it('makes an applied monitor Ready with a filled status within seconds', async () => {
    const started = Date.now();
    await applyYaml(simulatorMonitor(namespace, 'capital', simulator.url));

    const monitor = await eventually('a status with a run', async () => {
      const m = await getMonitor(namespace, 'capital');
      // Ready and the first run's Healthy are written separately, in either order.
      return m?.status?.lastRunTime !== undefined && condition(m, 'Healthy')?.status === 'True' && condition(m, 'Ready')?.status === 'True' ? m : undefined;
    }, 20_000, 100);
    const seconds = (Date.now() - started) / 1000;
    console.log(`apply to first filled status: ${seconds.toFixed(2)} s`);

    expect(seconds).toBeLessThan(10);
    expect(condition(monitor, 'Ready')).toMatchObject({ status: 'True', reason: 'Running', observedGeneration: 1 });
    expect(condition(monitor, 'Healthy')).toMatchObject({ status: 'True', reason: 'ThresholdsMet' });
    expect(monitor.status).toMatchObject({ observedGeneration: 1, passRate: '100%', errorRate: '0%' });
    expect(monitor.status?.latencyP95).toMatch(/^\d+(\.\d+)?m?s$/);
    expect(monitor.status?.targets).toEqual([expect.objectContaining({ name: 'primary', passRate: '100%', healthy: true })]);
  });

  it('shows the printer columns with values in kubectl get', async () => {
    const output = await kubectlOk(['-n', namespace, 'get', 'llmmonitors']);

    const [header, row] = output.trim().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual(['NAME', 'READY', 'HEALTHY', 'PASS RATE', 'P95', 'LAST RUN', 'AGE']);
    expect(row).toMatch(/^capital\s+True\s+True\s+100%\s+\d+(\.\d+)?m?s\s+\d+s\s+\d+s$/);

    const short = await kubectlOk(['-n', namespace, 'get', 'llmmon', '-o', 'name']);
    expect(short.trim()).toBe('llmmonitor.llmmonitor.dev/capital');
  });

  it('follows a spec change with observedGeneration and the new probe', async () => {
    const changed = simulatorMonitor(namespace, 'capital', simulator.url, {
      probes: [{ name: 'renamed', messages: [{ role: 'user', content: 'Paris again' }], samples: 1, expect: [{ contains: 'Paris' }] }],
    });
    await applyYaml(changed);

    const monitor = await eventually('observedGeneration 2 with a run of the new probe', async () => {
      const m = await getMonitor(namespace, 'capital');
      return m?.status?.observedGeneration === 2 && condition(m, 'Ready')?.observedGeneration === 2 ? m : undefined;
    });
    expect(monitor.metadata.generation).toBe(2);
    const metrics = await eventually('series of the new probe', async () => {
      const text = await operator.scrape();
      return text.includes('probe="renamed"') ? text : undefined;
    });
    expect(metrics).toContain('llm_monitor_probe_success{namespace="operator-e2e",monitor="capital",target="primary",model="gpt-4o",probe="renamed"} 1');
  });

  it('follows an interval change with the new schedule', async () => {
    await applyYaml(simulatorMonitor(namespace, 'cadence', simulator.url, { schedule: { interval: '1h', jitter: '0%' } }));
    // NOTE: two clean-clone CI runs saw no first run here (within 30 s, then 60 s), while the operator
    // kept running other monitors. No local run reproduced it and the cause is unknown, so a timeout
    // prints the monitor's status and every operator log line about it.
    const first = await eventually('a first run', async () => (await getMonitor(namespace, 'cadence'))?.status?.lastRunTime, 60_000).catch(async (error: unknown) => {
      const status = JSON.stringify((await getMonitor(namespace, 'cadence'))?.status);
      // Lease renewals fill the end of the log, so the lines about this monitor are printed apart.
      const lines = operator.logs().split('\n').filter((line) => line.includes('cadence')).join('\n');
      throw new Error(`${(error as Error).message}; status: ${status}; operator log lines about cadence:\n${lines.slice(-8000)}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await getMonitor(namespace, 'cadence'))?.status?.lastRunTime).toBe(first);

    await applyYaml(simulatorMonitor(namespace, 'cadence', simulator.url, { schedule: { interval: '2s', jitter: '0%' } }));

    // Two more runs within 20 s: only the new 2 s interval, not the old hour, allows that.
    const runTimes = new Set([first]);
    await eventually('two runs on the 2 s interval', async () => {
      const lastRunTime = (await getMonitor(namespace, 'cadence'))?.status?.lastRunTime;
      if (lastRunTime !== undefined) runTimes.add(lastRunTime);
      return runTimes.size >= 3 ? true : undefined;
    }, 20_000);
    expect(runTimes.size).toBeGreaterThanOrEqual(3);
    await kubectlOk(['-n', namespace, 'delete', 'llmmonitor', 'cadence']);
  });

  it('turns Healthy False with an Event when answers go wrong, and recovers', async () => {
    await applyYaml(simulatorMonitor(namespace, 'flips', simulator.url, {
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'flips: Paris' }], samples: 2, expect: [{ contains: 'Paris' }] }],
    }));
    await eventually('flips healthy', async () => (condition(await getMonitor(namespace, 'flips'), 'Healthy')?.status === 'True' ? true : undefined));

    simulator.setScenario({ rules: [{ match: { prompt: '^flips' }, reply: 'Lyon' }] });
    const unhealthy = await eventually('flips unhealthy', async () => {
      const c = condition(await getMonitor(namespace, 'flips'), 'Healthy');
      return c?.status === 'False' ? c : undefined;
    });
    expect(unhealthy.reason).toBe('PassRateBelowMinimum');
    expect(unhealthy.message).toBe('primary: pass rate 0% is below the minimum 90%');
    const warning = await eventually('a Warning Event', async () => {
      const events = JSON.parse(await kubectlOk(['-n', namespace, 'get', 'events', '--field-selector', 'involvedObject.name=flips', '-o', 'json'])).items as { reason: string; type: string; message: string }[];
      return events.find((e) => e.reason === 'PassRateBelowMinimum');
    });
    expect(warning).toMatchObject({ type: 'Warning', message: 'primary: pass rate 0% is below the minimum 90%' });

    simulator.setScenario({});
    await eventually('flips healthy again', async () => (condition(await getMonitor(namespace, 'flips'), 'Healthy')?.status === 'True' ? true : undefined));
    const recovered = await eventually('a Normal Event', async () => {
      const events = JSON.parse(await kubectlOk(['-n', namespace, 'get', 'events', '--field-selector', 'involvedObject.name=flips', '-o', 'json'])).items as { reason: string; type: string }[];
      return events.find((e) => e.reason === 'ThresholdsMet');
    });
    expect(recovered.type).toBe('Normal');
  });

  it('stops probing a deleted monitor and removes its series', async () => {
    await kubectlOk(['-n', namespace, 'delete', 'llmmonitor', 'flips']);

    await eventually('series of flips gone', async () => ((await operator.scrape()).includes('monitor="flips"') ? undefined : true));
    simulator.clearRequests();
    await new Promise((resolve) => setTimeout(resolve, 4000));

    const bodies = simulator.requests.map((r) => JSON.stringify(r.body));
    expect(bodies.some((b) => b.includes('Paris again'))).toBe(true);
    expect(bodies.filter((b) => b.includes('flips: Paris'))).toEqual([]);
  });

  it('writes status once per run and not at all while nothing changes', async () => {
    await applyYaml(simulatorMonitor(namespace, 'writes', simulator.url, {
      probes: [{ name: 'p', messages: [{ role: 'user', content: 'writes Paris' }], samples: 1, expect: [{ contains: 'Paris' }] }],
    }));
    await eventually('a first run', async () => ((await getMonitor(namespace, 'writes'))?.status?.lastRunTime !== undefined ? true : undefined));
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(inject('kubeconfigPath'));
    const informer = new Informer<KubernetesObject>({
      kubeConfig,
      path: `/apis/llmmonitor.dev/v1alpha1/namespaces/${namespace}/llmmonitors`,
      fieldSelector: 'metadata.name=writes',
      logger: pino({ level: 'silent' }),
    });
    let updates = 0;
    informer.on((event) => {
      if (event.type === 'update') updates++;
    });
    const runs = async () => Number(/llm_monitor_runs_total\{namespace="operator-e2e",monitor="writes",result="completed"\} (\d+)/.exec(await operator.scrape())?.[1] ?? 0);

    await informer.start();
    const runsBefore = await runs();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const runsDuring = (await runs()) - runsBefore;
    const writesDuringRuns = updates;

    await applyYaml(simulatorMonitor(namespace, 'writes', simulator.url, { suspend: true }));
    await eventually('Ready=False Suspended', async () =>
      condition(await getMonitor(namespace, 'writes'), 'Ready')?.reason === 'Suspended' ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const updatesBeforeIdle = updates;
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const writesWhileIdle = updates - updatesBeforeIdle;
    await informer.stop();
    console.log(`status writes: ${writesDuringRuns} for ${runsDuring} runs in 10 s, ${writesWhileIdle} in 5 s of resyncs every 1 s`);

    expect(runsDuring).toBeGreaterThanOrEqual(3);
    expect(writesDuringRuns).toBeLessThanOrEqual(runsDuring + 1);
    expect(writesDuringRuns).toBeGreaterThanOrEqual(runsDuring - 1);
    expect(writesWhileIdle).toBe(0);
  });
});
