/**
 * Operator figures for the benchmark (bench/measure-operator.ts reads the
 * BENCH_OPERATOR line): time from `kubectl apply` of 50 monitors to each
 * one's first status, status writes per run, and writes while nothing
 * changes. It asserts only what must hold on any machine; the timings are
 * printed, not asserted.
 */
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LLMMonitor } from '../../src/api/types.js';
import { Informer } from '../../src/operator/informer.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { applyYaml, createNamespace, kubectl, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';

const namespace = 'bench-operator';
const monitorCount = 50;
const runWindowMs = 12_000;
const idleWindowMs = 6_000;

let simulator: RunningSimulator;
let operator: OperatorProcess;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  await createNamespace(namespace);
  operator = await startOperator(inject('kubeconfigPath'), [
    '--namespace', namespace,
    '--leader-election-namespace', namespace,
    '--leader-election-id', 'bench-operator',
    '--lease-duration', '3s', '--renew-deadline', '2s', '--retry-period', '500ms',
    // Resyncs every second, so the idle window shows that resyncs write nothing.
    '--resync-period', '1s',
  ]);
  await eventually('leadership', async () => ((await metric('llm_monitor_operator_leader')) === 1 ? true : undefined));
});

afterAll(async () => {
  await kubectl(['-n', namespace, 'delete', 'llmmonitors', '--all', '--wait=false']);
  await operator?.stop();
  await simulator?.close();
});

/** Sums the samples of a metric whose label set contains `labels`, from the operator's /metrics. */
async function metric(name: string, labels = ''): Promise<number> {
  let total = 0;
  for (const line of (await operator.scrape()).split('\n')) {
    if (!line.startsWith(name) || !line.includes(labels)) continue;
    if (line[name.length] !== ' ' && line[name.length] !== '{') continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

function monitors(interval: string): LLMMonitor[] {
  return Array.from({ length: monitorCount }, (_, i) =>
    simulatorMonitor(namespace, `bench-${i}`, simulator.url, {
      schedule: { interval, jitter: '0%' },
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Paris is the capital' }], samples: 1, expect: [{ contains: 'Paris' }] }],
    }),
  );
}

function nearestRank(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1] ?? NaN;
}

describe('operator benchmark', () => {
  it('reports apply-to-status time and status writes for 50 monitors', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(inject('kubeconfigPath'));
    const informer = new Informer<KubernetesObject>({
      kubeConfig,
      path: `/apis/llmmonitor.dev/v1alpha1/namespaces/${namespace}/llmmonitors`,
      logger: pino({ level: 'silent' }),
    });
    const firstStatusAt = new Map<string, number>();
    // When the watch first saw each monitor: kubectl creates the 50 objects one by one over about 2 s.
    const createdAt = new Map<string, number>();
    // In the run window: status writes that carry no new run, and the status fields they changed, to explain any excess.
    let inWindow = false;
    const lastStatus = new Map<string, Record<string, unknown>>();
    const writesWithoutRun: string[] = [];
    informer.on((event) => {
      const monitor = event.object as unknown as LLMMonitor;
      const name = monitor.metadata?.name;
      if (name !== undefined && !createdAt.has(name)) createdAt.set(name, Date.now());
      if (name !== undefined && monitor.status?.lastRunTime !== undefined && !firstStatusAt.has(name)) firstStatusAt.set(name, Date.now());
      if (name === undefined || monitor.status === undefined) return;
      const status = monitor.status as unknown as Record<string, unknown>;
      const previous = lastStatus.get(name);
      lastStatus.set(name, status);
      if (!inWindow || previous === undefined || previous['lastRunTime'] !== status['lastRunTime']) return;
      const changed = Object.keys({ ...previous, ...status }).filter((key) => JSON.stringify(previous[key]) !== JSON.stringify(status[key]));
      if (changed.length > 0) writesWithoutRun.push(changed.join('+'));
    });
    await informer.start();

    const appliedAt = Date.now();
    await applyYaml({ apiVersion: 'v1', kind: 'List', items: monitors('5s') });
    const applySeconds = (Date.now() - appliedAt) / 1000;
    await eventually('a status on every monitor', async () => (firstStatusAt.size === monitorCount ? true : undefined), 60_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}: ${firstStatusAt.size} of ${monitorCount} have one; operator log:\n${operator.logs().slice(-3000)}`);
    });
    const applyToStatus = [...firstStatusAt.values()].map((at) => (at - appliedAt) / 1000);
    const createToStatus = [...firstStatusAt].map(([name, at]) => (at - (createdAt.get(name) ?? appliedAt)) / 1000);

    // One interval to settle: conditions that a monitor's first runs change are written once, not per run.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const runsLabel = `namespace="${namespace}"`;
    inWindow = true;
    const runsBefore = await metric('llm_monitor_runs_total', runsLabel);
    const writesBefore = await metric('llm_monitor_operator_status_writes_total');
    await new Promise((resolve) => setTimeout(resolve, runWindowMs));
    const runs = (await metric('llm_monitor_runs_total', runsLabel)) - runsBefore;
    const statusWrites = (await metric('llm_monitor_operator_status_writes_total')) - writesBefore;
    inWindow = false;

    // A longer interval is a spec change (one write each for observedGeneration); after that nothing changes.
    await applyYaml({ apiVersion: 'v1', kind: 'List', items: monitors('1h') });
    await eventually('every monitor observed at generation 2', async () => {
      const result = await kubectl(['-n', namespace, 'get', 'llmmonitors', '-o', 'json']);
      const items = (JSON.parse(result.stdout) as { items: LLMMonitor[] }).items;
      return items.length === monitorCount && items.every((m) => m.status?.observedGeneration === 2) ? true : undefined;
    }, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idleBefore = await metric('llm_monitor_operator_status_writes_total');
    await new Promise((resolve) => setTimeout(resolve, idleWindowMs));
    const writesWhileIdle = (await metric('llm_monitor_operator_status_writes_total')) - idleBefore;
    await informer.stop();

    const figures = {
      monitors: monitorCount,
      applyToStatusP50Seconds: nearestRank(applyToStatus, 0.5),
      applyToStatusP95Seconds: nearestRank(applyToStatus, 0.95),
      applyToStatusMaxSeconds: nearestRank(applyToStatus, 1),
      // How long kubectl apply itself took, which the times above include.
      applySeconds,
      // From the watch's first sight of each monitor (its creation) to its first status: the operator's own latency.
      createToStatusP50Seconds: nearestRank(createToStatus, 0.5),
      createToStatusP95Seconds: nearestRank(createToStatus, 0.95),
      createToStatusMaxSeconds: nearestRank(createToStatus, 1),
      runs,
      statusWrites,
      writesPerRun: runs > 0 ? statusWrites / runs : NaN,
      idleSeconds: idleWindowMs / 1000,
      writesWhileIdle,
      writesWithoutRun: writesWithoutRun.length,
      fieldsWrittenWithoutRun: [...new Set(writesWithoutRun)],
    };
    console.log(`BENCH_OPERATOR ${JSON.stringify(figures)}`);

    expect(runs).toBeGreaterThan(0);
    expect(statusWrites).toBeLessThanOrEqual(runs + monitorCount);
    expect(writesWhileIdle).toBe(0);
  });
});
