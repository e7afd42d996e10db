/**
 * A second client writes the same monitor's status in a loop while the
 * operator runs it. The operator writes status with JSON merge patches that
 * carry no resourceVersion, so no write of its own can fail with a 409
 * conflict. The other client's writes land, and may even replace the
 * operator's conditions list, but the operator's next run writes every
 * field it owns again. The test also checks that the other writes cause no
 * error log, no failed reconcile and no status writes beyond one per run.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { group, plural, version, type LLMMonitorStatus } from '../../src/api/types.js';
import { ConditionType, findCondition } from '../../src/operator/conditions.js';
import { KubeClient } from '../../src/operator/kube-client.js';
import { HealthReason, ReadyReason } from '../../src/reasons.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { applyYaml, createNamespace, getMonitor, kubectl, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';

const namespace = 'status-writer-e2e';
const name = 'shared-status';
const writerSeconds = 15;

let simulator: RunningSimulator;
let operator: OperatorProcess;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  await createNamespace(namespace);
  await applyYaml(simulatorMonitor(namespace, name, simulator.url));
  operator = await startOperator(inject('kubeconfigPath'), ['--namespace', namespace, '--no-leader-elect']);
  await eventually('the first run wrote Healthy', async () => {
    const healthy = findCondition((await getMonitor(namespace, name))?.status?.conditions, ConditionType.Healthy);
    return healthy?.status === 'True' ? true : undefined;
  }, 60_000);
});

afterAll(async () => {
  await operator?.stop();
  await kubectl(['-n', namespace, 'delete', 'llmmonitors', '--all']);
  await simulator?.close();
});

/** Sums the samples of a metric whose labels contain `labels`, from the operator's /metrics. */
async function metric(metricName: string, labels = ''): Promise<number> {
  let total = 0;
  for (const line of (await operator.scrape()).split('\n')) {
    if (!line.startsWith(metricName) || !line.includes(labels)) continue;
    if (line[metricName.length] !== ' ' && line[metricName.length] !== '{') continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Builds what the other client writes: figures of its own, and a conditions list that replaces the operator's. */
function foreignStatus(count: number): Partial<LLMMonitorStatus> {
  return {
    passRate: '0%',
    errorRate: '100%',
    conditions: [
      { type: 'ExternalCheck', status: 'False', reason: 'WrittenByAnotherClient', message: `write ${count}`, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
    ],
  } as Partial<LLMMonitorStatus>;
}

/** Patches the status subresource in a loop until `until`, and returns how many patches succeeded and failed. */
async function writeStatusUntil(until: number): Promise<{ written: number; failed: string[] }> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(inject('kubeconfigPath'));
  const client = new KubeClient(kubeConfig);
  let written = 0;
  const failed: string[] = [];
  while (Date.now() < until) {
    try {
      await client.request({
        method: 'PATCH',
        path: `/apis/${group}/${version}/namespaces/${namespace}/${plural}/${name}/status`,
        contentType: 'application/merge-patch+json',
        body: { status: foreignStatus(written) },
      });
      written += 1;
    } catch (error) {
      failed.push((error as Error).message);
    }
    await sleep(100);
  }
  return { written, failed };
}

describe('status with a concurrent writer', () => {
  it('keeps every operator field and causes no retries', async () => {
    const runsBefore = await metric('llm_monitor_runs_total', `monitor="${name}",result="completed"`);
    const writesBefore = await metric('llm_monitor_operator_status_writes_total');
    const logOffset = operator.logs().length;

    const other = await writeStatusUntil(Date.now() + writerSeconds * 1000);
    const stoppedAt = Date.now();
    const status = await eventually('a run after the other writer stopped', async () => {
      const current = (await getMonitor(namespace, name))?.status;
      // lastRunTime has second precision and is the run's start, so the run must start a second after the writer stopped.
      return current?.lastRunTime !== undefined && Date.parse(current.lastRunTime) >= stoppedAt + 1_000 ? current : undefined;
    }, 30_000);

    expect(other.failed).toEqual([]);
    expect(other.written).toBeGreaterThan(writerSeconds);
    expect(findCondition(status.conditions, ConditionType.Ready)?.reason).toBe(ReadyReason.Running);
    expect(findCondition(status.conditions, ConditionType.Healthy)?.reason).toBe(HealthReason.ThresholdsMet);
    expect(status.conditions?.map((c) => c.type)).not.toContain('ExternalCheck');
    expect(status.passRate).toBe('100%');
    expect(status.errorRate).toBe('0%');
    expect(status.targets?.[0]?.passRate).toBe('100%');
    expect(status.nextRunTime).toBeDefined();
    expect(status.observedGeneration).toBeDefined();

    const runs = (await metric('llm_monitor_runs_total', `monitor="${name}",result="completed"`)) - runsBefore;
    const writes = (await metric('llm_monitor_operator_status_writes_total')) - writesBefore;
    expect(await metric('llm_monitor_operator_reconciles_total', 'result="error"')).toBe(0);
    // One write per run; a run that completes while its write is sent may add one.
    expect(writes).toBeLessThanOrEqual(runs + 1);
    const newLines = operator.logs().slice(logOffset).split('\n');
    expect(newLines.filter((line) => line.includes('"level":"error"') || line.includes('"level":"warn"'))).toEqual([]);
    console.log(`concurrent writer: ${other.written} patches in ${writerSeconds} s; operator: ${runs} runs, ${writes} status writes, 0 errors`);
  });
});
