import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { createNamespace, kubectlOk, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';

const namespace = 'shards-e2e';
const names = Array.from({ length: 20 }, (_, i) => `m${i}`);
let simulator: RunningSimulator;
const shards: OperatorProcess[] = [];

/** Monitors that a replica has run, read from its llm_monitor_runs_total series. */
async function monitorsRunBy(operator: OperatorProcess): Promise<Set<string>> {
  const text = await operator.scrape();
  return new Set([...text.matchAll(/^llm_monitor_runs_total\{namespace="shards-e2e",monitor="([^"]+)"/gm)].map((m) => m[1] as string));
}

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  await createNamespace(namespace);
  const monitors = names.map((name) => stringify(simulatorMonitor(namespace, name, simulator.url, { schedule: { interval: '5s' } })));
  await kubectlOk(['apply', '-f', '-'], monitors.join('---\n'));
  for (const index of [0, 1]) {
    shards.push(await startOperator(inject('kubeconfigPath'), [
      '--namespace', namespace, '--leader-election-namespace', namespace, '--leader-election-id', 'shards-e2e',
      '--shard-count', '2', '--shard-index', String(index),
    ]));
  }
});

afterAll(async () => {
  await Promise.all(shards.map((s) => s.stop()));
  await simulator?.close();
});

describe('two shards', () => {
  it('split the monitors with no overlap and no gap', async () => {
    const [first, second] = await eventually('every monitor run by a shard', async () => {
      const sets = await Promise.all(shards.map(monitorsRunBy));
      const union = new Set([...(sets[0] ?? []), ...(sets[1] ?? [])]);
      return union.size === names.length ? sets : undefined;
    }, 60_000);

    const overlap = [...(first ?? [])].filter((name) => second?.has(name));
    console.log(`shard 0 runs ${first?.size} monitors, shard 1 runs ${second?.size}`);
    expect(overlap).toEqual([]);
    expect((first?.size ?? 0) + (second?.size ?? 0)).toBe(names.length);
    expect(first?.size).toBeGreaterThan(0);
    expect(second?.size).toBeGreaterThan(0);

    const leases = (await kubectlOk(['-n', namespace, 'get', 'leases', '-o', 'name'])).trim().split('\n').sort();
    expect(leases).toEqual(['lease.coordination.k8s.io/shards-e2e-shard-0', 'lease.coordination.k8s.io/shards-e2e-shard-1']);
  });
});
