import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { applyYaml, createNamespace, kubectlOk, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';
import { RequestTimes } from './helpers/request-times.js';

const namespace = 'ha-e2e';
const leaseSeconds = 3;
const retryMs = 500;
const leaderArgs = ['--namespace', namespace, '--leader-election-namespace', namespace, '--leader-election-id', 'ha-e2e',
  '--lease-duration', `${leaseSeconds}s`, '--renew-deadline', '2s', '--retry-period', `${retryMs}ms`, '--shutdown-grace', '2'];

let simulator: RunningSimulator;
const operators: OperatorProcess[] = [];

async function isLeader(operator: OperatorProcess): Promise<boolean> {
  const text = await operator.scrape().catch(() => '');
  return /^llm_monitor_operator_leader 1$/m.test(text);
}

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  await createNamespace(namespace);
});

afterAll(async () => {
  await Promise.all(operators.map((o) => o.kill()));
  await simulator?.close();
});

describe('two operator replicas', () => {
  it('probe from exactly one, hand over on a crash, and release on SIGTERM', async () => {
    operators.push(await startOperator(inject('kubeconfigPath'), leaderArgs), await startOperator(inject('kubeconfigPath'), leaderArgs));
    const [first, second] = operators as [OperatorProcess, OperatorProcess];
    await applyYaml(simulatorMonitor(namespace, 'ha', simulator.url, {
      probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Paris' }], samples: 1, expect: [{ contains: 'Paris' }] }],
    }));
    const times = new RequestTimes(simulator);

    const leader = await eventually('one leader', async () => {
      const flags = await Promise.all([isLeader(first), isLeader(second)]);
      return flags.filter(Boolean).length === 1 ? (flags[0] ? first : second) : undefined;
    });
    const standby = leader === first ? second : first;
    await new Promise((resolve) => setTimeout(resolve, 6000));

    // Exactly one replica probes: one request per 2 s run, never two at once.
    expect(await isLeader(standby)).toBe(false);
    expect(standby.logs()).not.toContain('"msg":"run completed"');
    expect(times.gaps().every((gap) => gap > 1500)).toBe(true);

    const killedAt = Date.now();
    await leader.kill();
    await eventually('the standby leading', async () => ((await isLeader(standby)) ? true : undefined), 15_000, 50);
    const handoverMs = Date.now() - killedAt;
    console.log(`handover after SIGKILL of the leader: ${handoverMs} ms (lease ${leaseSeconds} s, retry ${retryMs} ms)`);
    expect(handoverMs).toBeLessThanOrEqual(leaseSeconds * 1000 + retryMs + 1500);

    await eventually('a run by the new leader', async () => (standby.logs().includes('"msg":"run completed"') ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    times.stop();
    // No run was done twice: consecutive requests stay an interval apart, across the handover too.
    expect(Math.min(...times.gaps())).toBeGreaterThan(1500);

    const exitCode = await standby.stop();
    expect(exitCode).toBe(0);
    expect(standby.logs()).toContain('"msg":"stopped"');
    const lease = JSON.parse(await kubectlOk(['-n', namespace, 'get', 'lease', 'ha-e2e', '-o', 'json']));
    expect(lease.spec.holderIdentity ?? '').toBe('');
  });
});
