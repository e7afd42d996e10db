import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { KubeApiError, KubeClient } from '../../src/operator/kube-client.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { parseObjects, renderChart, type RenderedObject } from './helpers/helm.js';
import { applyYaml, getMonitor, kubectl, kubectlOk, simulatorMonitor } from './helpers/kube.js';
import { eventually, startOperator, type OperatorProcess } from './helpers/operator-process.js';
import { repositoryRoot } from './setup/binaries.js';
import { installCrds } from './setup/crds.js';
import { runKubectl } from './setup/kubectl.js';
import { writeKubeconfig } from './setup/kubeconfig.js';

const system = 'rbac-e2e-system';
const team = 'rbac-e2e-team';
const other = 'rbac-e2e-other';
const namespacedRelease = 'rbac-e2e';
const clusterRelease = 'rbac-e2e-cluster';
const apiKey = 'sk-rbac-e2e-test-key';
const rbacKinds = new Set(['ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

let folder: string;
let simulator: RunningSimulator;

/** A chart release whose RBAC objects exist in the cluster, and a kubeconfig with its ServiceAccount's token. */
interface Installed {
  objects: RenderedObject[];
  kubeconfigPath: string;
}

/** Renders the chart, applies its ServiceAccount and RBAC objects for real, and requests a token for the ServiceAccount. */
async function installRbac(release: string, values: Record<string, unknown>): Promise<Installed> {
  const objects = parseObjects(await renderChart(release, system, values));
  const rbacObjects = objects.filter((object) => rbacKinds.has(object.kind));
  await kubectlOk(['apply', '-f', '-'], rbacObjects.map((object) => stringify(object)).join('---\n'));

  const [serviceAccount] = rbacObjects.filter((object) => object.kind === 'ServiceAccount');
  if (serviceAccount === undefined) throw new Error('the chart rendered no ServiceAccount');
  // The TokenRequest API, which is how the kubelet gets the token that a Pod of the Deployment would mount.
  const token = (await kubectlOk(['-n', system, 'create', 'token', serviceAccount.metadata.name, '--duration=1h'])).trim();

  const admin = new KubeConfig();
  admin.loadFromFile(inject('kubeconfigPath'));
  const cluster = admin.getCurrentCluster();
  if (cluster?.caData === undefined) throw new Error('the test kubeconfig has no certificate-authority-data');
  const kubeconfigPath = join(folder, `${release}.kubeconfig`);
  await writeKubeconfig(kubeconfigPath, { server: cluster.server, caPem: Buffer.from(cluster.caData, 'base64').toString('utf8'), token });
  return { objects, kubeconfigPath };
}

/** Returns the operator's flags as the chart's Deployment passes them, without the metrics port, which the test picks. */
function deploymentArgs(objects: RenderedObject[]): string[] {
  const deployment = objects.find((object) => object.kind === 'Deployment') as { spec: { template: { spec: { containers: { args: string[] }[] } } } } | undefined;
  const args = deployment?.spec.template.spec.containers[0]?.args ?? [];
  expect(args[0]).toBe('operator');
  return args.slice(1).filter((arg) => !arg.startsWith('--metrics-port='));
}

/** `kubectl auth can-i` as the ServiceAccount: true when allowed. */
async function canI(kubeconfigPath: string, args: string[]): Promise<boolean> {
  const result = await runKubectl(inject('kubectlPath'), kubeconfigPath, ['auth', 'can-i', ...args]);
  if (result.code !== 0 && result.stdout.trim() !== 'no') throw new Error(`kubectl auth can-i ${args.join(' ')} failed: ${result.stderr}`);
  return result.code === 0;
}

/** A monitor in the watched namespace whose API key comes from a Secret, which the simulator requires. */
function keyedMonitor(spec: Record<string, unknown> = {}) {
  return simulatorMonitor(team, 'capital', simulator.url, {
    targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${simulator.url}/v1`, timeout: '5s', apiKeySecretRef: { name: 'simulator-key', key: 'apiKey' } }],
    ...spec,
  });
}

function condition(monitor: Awaited<ReturnType<typeof getMonitor>>, type: string) {
  return monitor?.status?.conditions?.find((c) => c.type === type);
}

async function eventsOf(name: string): Promise<{ reason: string; type: string; count: number }[]> {
  const output = await kubectlOk(['-n', team, 'get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'json']);
  return (JSON.parse(output) as { items: { reason: string; type: string; count: number }[] }).items;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'llm-monitor-rbac-'));
  simulator = await startSimulator({ port: 0, scenario: { apiKey } });
  for (const name of [system, team, other]) await kubectl(['create', 'namespace', name]);
  // With the PrometheusRule CRD present, an operator that manages rules exercises those permissions too.
  await installCrds((args) => kubectl(args), [join(repositoryRoot(), 'test', 'fixtures', 'crds')], 60_000);
  for (const namespace of [team, other]) {
    await applyYaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'simulator-key', namespace }, stringData: { apiKey } });
  }
});

afterAll(async () => {
  await simulator?.close();
  await kubectl(['delete', 'clusterrole,clusterrolebinding', '-l', `app.kubernetes.io/instance=${clusterRelease}`, '--wait=false']);
  await kubectl(['delete', 'namespace', system, team, other, '--wait=false']);
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

describe('chart RBAC in namespaced mode', () => {
  let installed: Installed;
  let operator: OperatorProcess;
  const previousEnv = { POD_NAME: process.env.POD_NAME, POD_NAMESPACE: process.env.POD_NAMESPACE };

  beforeAll(async () => {
    installed = await installRbac(namespacedRelease, { watchNamespaces: [team], ruleLabels: { release: 'rbac-e2e' } });
    // The Deployment sets these from the downward API; the Lease's namespace comes from POD_NAMESPACE.
    process.env.POD_NAME = 'rbac-e2e-operator-0';
    process.env.POD_NAMESPACE = system;
    operator = await startOperator(installed.kubeconfigPath, deploymentArgs(installed.objects));
  });

  afterAll(async () => {
    await operator?.stop();
    for (const [name, value] of Object.entries(previousEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('reconciles a monitor with only the chart permissions', async () => {
    await applyYaml(keyedMonitor());

    // The first run's status may land before the reconcile's Ready condition, so both are awaited.
    const monitor = await eventually('Ready and Healthy with a run', async () => {
      const m = await getMonitor(team, 'capital');
      const done = m?.status?.lastRunTime !== undefined && condition(m, 'Healthy')?.status === 'True' && condition(m, 'Ready') !== undefined;
      return done ? m : undefined;
    }, 30_000);

    expect(condition(monitor, 'Ready')).toMatchObject({ status: 'True', reason: 'Running' });
    expect(monitor.status?.passRate).toBe('100%');
    expect(operator.logs()).not.toMatch(/forbidden|"status":403/i);
  });

  it('applies the PrometheusRule with the chart permissions', async () => {
    const monitor = await eventually('AlertRulesReady True', async () => {
      const m = await getMonitor(team, 'capital');
      return condition(m, 'AlertRulesReady')?.status === 'True' ? m : undefined;
    }, 30_000);
    const rules = await kubectlOk(['-n', team, 'get', 'prometheusrules', '-l', 'release=rbac-e2e', '-o', 'name']);

    expect(condition(monitor, 'AlertRulesReady')?.reason).toBe('RulesApplied');
    expect(rules.trim().split('\n')).toHaveLength(1);
    expect(operator.logs()).not.toMatch(/forbidden|"status":403/i);
  });

  it('deletes the PrometheusRule with the chart permissions', async () => {
    await applyYaml(keyedMonitor({ alerting: { enabled: false } }));

    await eventually('AlertingDisabled', async () => (condition(await getMonitor(team, 'capital'), 'AlertRulesReady')?.reason === 'AlertingDisabled' ? true : undefined), 30_000);
    const rules = await kubectlOk(['-n', team, 'get', 'prometheusrules', '-o', 'name']);

    expect(rules.trim()).toBe('');
    expect(operator.logs()).not.toMatch(/forbidden|"status":403/i);
  });

  it('records and updates Events with the chart permissions', async () => {
    const unhealthy = { rules: [{ match: { prompt: '^Paris' }, reply: 'Lyon' }], apiKey };
    const healthyState = async (status: 'True' | 'False') =>
      eventually(`Healthy ${status}`, async () => (condition(await getMonitor(team, 'capital'), 'Healthy')?.status === status ? true : undefined), 30_000);

    simulator.setScenario(unhealthy);
    await healthyState('False');
    simulator.setScenario({ apiKey });
    await healthyState('True');
    simulator.setScenario(unhealthy);
    await healthyState('False');

    // The second identical Warning within ten minutes is a PATCH of the first Event's count.
    const warning = await eventually('a Warning Event with count 2', async () => (await eventsOf('capital')).find((e) => e.type === 'Warning' && e.count === 2));
    expect(warning.reason).toBe('PassRateBelowMinimum');
    expect(operator.logs()).not.toMatch(/forbidden|"status":403/i);
    simulator.setScenario({ apiKey });
  });

  it('holds its leader Lease in the release namespace', async () => {
    const lease = JSON.parse(await kubectlOk(['-n', system, 'get', 'lease', `${namespacedRelease}-llm-monitor-leader`, '-o', 'json'])) as { spec: { holderIdentity: string } };

    expect(lease.spec.holderIdentity).toMatch(/^rbac-e2e-operator-0-[0-9a-f]{6}$/);
  });

  it('gets 403 for Secrets in a namespace it does not watch', async () => {
    const config = new KubeConfig();
    config.loadFromFile(installed.kubeconfigPath);
    const client = new KubeClient(config);

    const error = await client.request({ method: 'GET', path: `/api/v1/namespaces/${other}/secrets` }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ status: 403, reason: 'Forbidden' });
    expect((error as Error).message).toContain(`cannot list resource "secrets" in API group "" in the namespace "${other}"`);
  });

  it('cannot become ready watching a namespace outside its role', async () => {
    const outsider = await startOperator(installed.kubeconfigPath, [...deploymentArgs(installed.objects), '--namespace', other, '--no-leader-elect']);
    try {
      await eventually('a list that fails with 403', async () => (/"status":403[^\n]*list failed, retrying/.test(outsider.logs()) ? true : undefined), 20_000);

      const readiness = await fetch(outsider.metricsUrl.replace(/\/metrics$/, '/readyz'));

      expect(readiness.status).toBe(503);
    } finally {
      await outsider.stop();
    }
  });

  it.each([
    { request: `list secrets -n ${team}`, allowed: true },
    { request: `watch llmmonitors.llmmonitor.dev -n ${team}`, allowed: true },
    { request: `patch llmmonitors.llmmonitor.dev --subresource=status -n ${team}`, allowed: true },
    { request: `create events -n ${team}`, allowed: true },
    { request: `delete prometheusrules.monitoring.coreos.com -n ${team}`, allowed: true },
    { request: `update leases.coordination.k8s.io/rbac-e2e-llm-monitor-leader -n ${system}`, allowed: true },
    { request: `list secrets -n ${other}`, allowed: false },
    { request: 'list secrets --all-namespaces', allowed: false },
    { request: `create secrets -n ${team}`, allowed: false },
    { request: `update llmmonitors.llmmonitor.dev -n ${team}`, allowed: false },
    { request: `delete llmmonitors.llmmonitor.dev -n ${team}`, allowed: false },
    { request: `update leases.coordination.k8s.io/another-lease -n ${system}`, allowed: false },
    { request: `create leases.coordination.k8s.io -n ${team}`, allowed: false },
    { request: `create pods -n ${system}`, allowed: false },
  ])('can-i $request: $allowed', async ({ request, allowed }) => {
    expect(await canI(installed.kubeconfigPath, request.split(' '))).toBe(allowed);
  });

  it('releases its Lease on shutdown', async () => {
    await operator.stop();

    const lease = JSON.parse(await kubectlOk(['-n', system, 'get', 'lease', `${namespacedRelease}-llm-monitor-leader`, '-o', 'json'])) as { spec: { holderIdentity?: string } };

    expect(lease.spec.holderIdentity ?? '').toBe('');
    expect(operator.logs()).toContain('released leader lease');
  });
});

describe('chart RBAC in cluster-wide mode', () => {
  let installed: Installed;

  beforeAll(async () => {
    installed = await installRbac(clusterRelease, {});
  });

  it.each([
    { request: 'list secrets --all-namespaces', allowed: true },
    { request: 'watch llmmonitors.llmmonitor.dev --all-namespaces', allowed: true },
    { request: `patch llmmonitors.llmmonitor.dev --subresource=status -n ${other}`, allowed: true },
    { request: `patch events -n ${other}`, allowed: true },
    { request: `create prometheusrules.monitoring.coreos.com -n ${other}`, allowed: true },
    { request: `get leases.coordination.k8s.io/rbac-e2e-cluster-llm-monitor-leader -n ${system}`, allowed: true },
    { request: `create leases.coordination.k8s.io -n ${other}`, allowed: false },
    { request: `update secrets -n ${other}`, allowed: false },
    { request: `update llmmonitors.llmmonitor.dev -n ${other}`, allowed: false },
    { request: 'list configmaps --all-namespaces', allowed: false },
    { request: `patch configmaps -n ${other}`, allowed: true },
  ])('can-i $request: $allowed', async ({ request, allowed }) => {
    expect(await canI(installed.kubeconfigPath, request.split(' '))).toBe(allowed);
  });

  it('lists Secrets of any namespace with its token', async () => {
    const config = new KubeConfig();
    config.loadFromFile(installed.kubeconfigPath);

    const list = await new KubeClient(config).request<{ items: { metadata: { name: string } }[] }>({ method: 'GET', path: `/api/v1/namespaces/${other}/secrets` });

    expect(list.items.map((secret) => secret.metadata.name)).toContain('simulator-key');
  });
});
