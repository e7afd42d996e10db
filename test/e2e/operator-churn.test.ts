/**
 * Churn: 1,000 monitors created and deleted in rounds against the real API
 * server while the operator runs in this process, so that the test can
 * count what it keeps. Before and after the churn, it compares the
 * process's active handles by type (process.getActiveResourcesInfo()) and
 * the sockets to the simulator. After it, no /metrics series and no Map,
 * Set or object key reachable from the operator (work queue, status writer,
 * runner, scheduler, metric series, informer caches) may name a churned
 * monitor.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { createLogger } from '../../src/logging.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { MetricsRecorder } from '../../src/metrics/recorder.js';
import { Operator } from '../../src/operator/operator.js';
import { providers } from '../../src/providers/registry.js';
import { Redactor } from '../../src/secrets/redactor.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { createNamespace, kubectl, kubectlOk, simulatorMonitor } from './helpers/kube.js';
import { eventually } from './helpers/operator-process.js';

const namespace = 'churn-e2e';
const rounds = 5;
const monitorsPerRound = 200;
/** Handles of one type that may differ from the baseline: keep-alive sockets to the API server and timers of vitest itself. */
const handleTolerance = 4;

let simulator: RunningSimulator;
let operator: Operator;
let registry: Registry;
const logLines: string[] = [];

beforeAll(async () => {
  // Responses take 2 s and each round is deleted as soon as its last monitor is scheduled, so deletions cancel requests in flight.
  simulator = await startSimulator({ port: 0, scenario: { latency: '2s' } });
  await createNamespace(namespace);

  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(inject('kubeconfigPath'));
  const redactor = new Redactor();
  registry = new Registry();
  operator = new Operator({
    kubeConfig,
    namespaces: [namespace],
    providers,
    redactor,
    logger: createLogger({ level: 'info', redactor, write: (line) => void logLines.push(line) }),
    registry,
    recorder: new MetricsRecorder(createMetrics(registry)),
    identity: 'churn-test',
    shutdownGraceMs: 1_000,
  });
  await operator.start();
}, 60_000);

afterAll(async () => {
  await operator?.stop();
  await kubectl(['-n', namespace, 'delete', 'llmmonitors', '--all']);
  await simulator?.close();
});

function churnName(round: number, index: number): string {
  return `churn-${round}-${index}`;
}

/** Counts the active handles of this process by type, such as Timeout or TCPSocketWrap. */
function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Counts TCP connections of this machine whose remote port is the simulator's: this process's sockets to it (Linux /proc). */
function socketsToSimulator(): number {
  const port = simulator.port.toString(16).toUpperCase().padStart(4, '0');
  let count = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // rem_address is HEXIP:HEXPORT; state 01 is ESTABLISHED.
      if (fields[2]?.endsWith(`:${port}`) && fields[3] === '01') count += 1;
    }
  }
  return count;
}

/** Lines of /metrics that name a churned monitor. */
async function churnedSeries(): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => line.includes('churn-'));
}

/**
 * Walks the objects reachable from root and returns the paths of Map keys,
 * Set members and property names that contain `needle`. Caches are Maps,
 * Sets or plain objects keyed by namespace/name, so a forgotten entry shows
 * up here whatever the field is called.
 */
function retainedKeys(root: unknown, needle: string, maxNodes = 500_000): string[] {
  const found: string[] = [];
  const seen = new Set<object>();
  const stack: { value: unknown; path: string }[] = [{ value: root, path: 'operator' }];
  while (stack.length > 0 && seen.size < maxNodes) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof Map) {
      for (const [key, child] of value) {
        if (typeof key === 'string' && key.includes(needle)) found.push(`${path}.get(${JSON.stringify(key)})`);
        stack.push({ value: child, path: `${path}.get(…)` });
      }
      continue;
    }
    if (value instanceof Set) {
      for (const member of value) {
        if (typeof member === 'string' && member.includes(needle)) found.push(`${path} has ${JSON.stringify(member)}`);
        else stack.push({ value: member, path: `${path}[member]` });
      }
      continue;
    }
    if (ArrayBuffer.isView(value)) continue;
    for (const key of Object.keys(value)) {
      if (key.includes(needle)) found.push(`${path}[${JSON.stringify(key)}]`);
      stack.push({ value: (value as Record<string, unknown>)[key], path: `${path}.${key}` });
    }
  }
  return found;
}

/** Counts retained keys by the Map, Set or object that contains them, so that a failure names each leaking cache once. */
function countByContainer(paths: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const path of paths) {
    const container = path.replace(/(\.get\(|\[| has ).*$/, '');
    counts[container] = (counts[container] ?? 0) + 1;
  }
  return counts;
}

function metricValue(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** Monitors of a round whose first run completed, from the operator's runs counter. */
async function monitorsThatRan(round: number): Promise<number> {
  const pattern = new RegExp(`^llm_monitor_runs_total\\{[^}]*monitor="(churn-${round}-\\d+)"`, 'gm');
  const names = new Set<string>();
  for (const match of (await registry.metrics()).matchAll(pattern)) names.add(match[1] as string);
  return names.size;
}

async function createRound(round: number): Promise<void> {
  const documents = Array.from({ length: monitorsPerRound }, (_, i) =>
    stringify(
      simulatorMonitor(namespace, churnName(round, i), simulator.url, {
        // One run per monitor: the operator's single reconcile worker, not the probes, limits how fast a round is taken in.
        schedule: { interval: '10m', jitter: '0%' },
        probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Paris is the capital' }], samples: 1, expect: [{ contains: 'Paris' }] }],
      }),
    ),
  );
  await kubectlOk(['apply', '-f', '-'], documents.join('---\n'));
}

describe('operator churn', () => {
  it('leaks nothing over 1,000 monitors', async () => {
    await sleep(2_000);
    const handlesBefore = activeHandles();
    const socketsBefore = socketsToSimulator();
    let peakSockets = socketsBefore;
    const started = performance.now();
    let ran = 0;

    for (let round = 0; round < rounds; round++) {
      await createRound(round);
      await eventually(`every monitor of round ${round} scheduled`, async () => {
        peakSockets = Math.max(peakSockets, socketsToSimulator());
        return metricValue(await registry.metrics(), 'llm_monitor_monitors') === monitorsPerRound ? true : undefined;
      }, 120_000, 500);
      ran += await monitorsThatRan(round);
      await kubectlOk(['-n', namespace, 'delete', 'llmmonitors', '--all', '--wait=false']);
      await eventually(`round ${round} removed`, async () => {
        peakSockets = Math.max(peakSockets, socketsToSimulator());
        return metricValue(await registry.metrics(), 'llm_monitor_monitors') === 0 ? true : undefined;
      }, 60_000, 500);
    }
    const churnSeconds = (performance.now() - started) / 1000;

    const retained = await eventually('no cache holds a churned monitor', async () => {
      const keys = retainedKeys(operator, 'churn-');
      return keys.length === 0 ? keys : undefined;
    }, 30_000, 1_000).catch(() => retainedKeys(operator, 'churn-'));
    expect(countByContainer(retained), `${retained.length} entries name churned monitors, for example ${retained.slice(0, 3).join(', ')}`).toEqual({});
    expect(await churnedSeries()).toEqual([]);

    // Idle keep-alive sockets close after a few seconds; wait for that before comparing.
    const handlesAfter = await eventually('handles back at the baseline', async () => {
      const now = activeHandles();
      const grown = Object.entries(now).filter(([type, count]) => count > (handlesBefore[type] ?? 0) + handleTolerance);
      return grown.length === 0 && socketsToSimulator() <= socketsBefore + 1 ? now : undefined;
    }, 30_000, 1_000).catch(() => activeHandles());
    for (const [type, count] of Object.entries(handlesAfter)) {
      expect(count, `${type} handles: ${handlesBefore[type] ?? 0} before, ${count} after`).toBeLessThanOrEqual((handlesBefore[type] ?? 0) + handleTolerance);
    }
    const socketsAfter = socketsToSimulator();
    expect(socketsAfter).toBeLessThanOrEqual(socketsBefore + 1);
    // At most one socket per run in flight: a leak would keep one per monitor ever created.
    expect(peakSockets).toBeLessThanOrEqual(monitorsPerRound);
    expect(logLines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    // Most monitors completed a run, so their series existed before they were removed.
    expect(ran).toBeGreaterThan((rounds * monitorsPerRound) / 2);

    console.log(
      `churn of ${rounds * monitorsPerRound} monitors (${ran} completed a run) in ${churnSeconds.toFixed(0)} s: handles before ${JSON.stringify(handlesBefore)}, after ${JSON.stringify(handlesAfter)}; ` +
        `sockets to the simulator ${socketsBefore} before, peak ${peakSockets}, ${socketsAfter} after; churned series after: 0`,
    );
  }, 600_000);
});
