import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { LLMMonitor } from '../../src/api/types.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';
import { ControlPlane } from './setup/control-plane.js';

/**
 * Restarts kube-apiserver and etcd of a control plane of its own while the
 * operator runs, and checks that no monitor is lost and none is scheduled
 * twice. An API server restart takes about 6 s on an idle machine but
 * took more than the default 10 s renew deadline on a loaded CI machine, so
 * the leader stepped down and started probing a second time. The lease
 * timings here are longer than any restart seen, so the test checks
 * that the replica keeps its leadership and its schedule, not how fast this
 * machine restarts etcd.
 */
const namespace = 'restart-e2e';
const intervalSeconds = 2;
let controlPlane: ControlPlane;
let simulator: RunningSimulator;
let operator: OperatorProcess;

async function kubectl(args: string[], input?: string): Promise<string> {
  const options: { input?: string } = {};
  if (input !== undefined) options.input = input;
  const result = await controlPlane.kubectl(args, options);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

async function lastRunTimes(): Promise<Record<string, string | undefined>> {
  const list = JSON.parse(await kubectl(['-n', namespace, 'get', 'llmmonitors', '-o', 'json'])).items as LLMMonitor[];
  return Object.fromEntries(list.map((m) => [m.metadata.name, m.status?.lastRunTime]));
}

/** Runs per monitor counted from the operator's own metrics. */
async function runsByMonitor(): Promise<Record<string, number>> {
  const text = await operator.scrape();
  const runs: Record<string, number> = {};
  for (const match of text.matchAll(/^llm_monitor_runs_total\{namespace="restart-e2e",monitor="([^"]+)",result="completed"\} (\d+)/gm)) {
    runs[match[1] as string] = Number(match[2]);
  }
  return runs;
}

/** Checks that every monitor ran about once per interval over `seconds`: fewer means lost, about twice as many means scheduled twice. */
async function expectRunsAtInterval(names: string[], seconds: number): Promise<void> {
  const before = await runsByMonitor();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = await runsByMonitor();
  for (const name of names) {
    const runs = (after[name] ?? 0) - (before[name] ?? 0);
    expect(runs, `runs of ${name} in ${seconds} s`).toBeGreaterThanOrEqual(Math.floor(seconds / intervalSeconds) - 2);
    expect(runs, `runs of ${name} in ${seconds} s`).toBeLessThanOrEqual(Math.ceil(seconds / intervalSeconds) + 1);
  }
}

beforeAll(async () => {
  controlPlane = new ControlPlane();
  await controlPlane.start();
  simulator = await startSimulator({ port: 0 });
  await kubectl(['create', 'namespace', namespace]);
  const monitors = ['one', 'two', 'three'].map((name) =>
    simulatorMonitor(namespace, name, simulator.url, { probes: [{ name: 'p', messages: [{ role: 'user', content: `Paris ${name}` }], samples: 1 }] }),
  );
  await kubectl(['apply', '-f', '-'], monitors.map((m) => stringify(m)).join('---\n'));
  operator = await startOperator(controlPlane.kubeconfigPath, [
    '--namespace', namespace,
    '--leader-election-namespace', namespace,
    '--lease-duration', '90s',
    '--renew-deadline', '60s',
  ]);
  await eventually('every monitor ran', async () => {
    const times = await lastRunTimes();
    return Object.values(times).length === 3 && Object.values(times).every((t) => t !== undefined) ? true : undefined;
  }, 60_000);
}, 180_000);

afterAll(async () => {
  await operator?.stop();
  await simulator?.close();
  await controlPlane?.stop();
});

describe('operator across control plane restarts', () => {
  it('keeps every monitor on schedule across an API server restart', async () => {
    const started = Date.now();
    await controlPlane.restartApiServer();
    const restartedAt = Date.now();
    console.log(`kube-apiserver restarted in ${restartedAt - started} ms`);
    // Recovery: the first status written after the API server serves again, for every monitor.
    await eventually('a status written after the restart', async () => {
      const times = Object.values(await lastRunTimes());
      return times.every((t) => t !== undefined && Date.parse(t) >= restartedAt - 1000) ? true : undefined;
    }, 30_000);
    console.log(`every monitor had a new status ${Date.now() - restartedAt} ms after kube-apiserver was ready again`);

    await expectRunsAtInterval(['one', 'two', 'three'], 10);
    const before = await lastRunTimes();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const after = await lastRunTimes();
    for (const name of ['one', 'two', 'three']) expect(after[name], `status of ${name} moves on`).not.toBe(before[name]);
  });

  it('sees monitors created after the restart', async () => {
    await kubectl(['apply', '-f', '-'], stringify(simulatorMonitor(namespace, 'four', simulator.url)));

    await eventually('status of the new monitor', async () => ((await lastRunTimes()).four !== undefined ? true : undefined));
  });

  it('keeps every monitor on schedule across an etcd restart', async () => {
    const started = Date.now();
    await controlPlane.restartEtcd();
    console.log(`etcd restarted in ${Date.now() - started} ms`);

    await expectRunsAtInterval(['one', 'two', 'three', 'four'], 10);
    await kubectl(['-n', namespace, 'delete', 'llmmonitor', 'four']);
    await eventually('series of the deleted monitor gone', async () => ((await operator.scrape()).includes('monitor="four"') ? undefined : true));
  });

  it('restarted its watches and kept its leadership', async () => {
    const text = await operator.scrape();

    const restarts = [...text.matchAll(/^llm_monitor_operator_watch_restarts_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(restarts).toBeGreaterThan(0);
    expect(text).toMatch(/^llm_monitor_operator_leader 1$/m);
    expect(operator.logs().match(/"msg":"started probing"/g)).toHaveLength(1);
  });
});
