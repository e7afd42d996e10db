import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ControlPlane } from './setup/control-plane.js';
import { installCrds } from './setup/crds.js';
import { runKubectl } from './setup/kubectl.js';

const kubeconfigPath = inject('kubeconfigPath');
const kubectlPath = inject('kubectlPath');
const usesExistingCluster = process.env.USE_EXISTING_CLUSTER === 'true';
const llmMonitorCrdFile = join(import.meta.dirname, '..', '..', 'deploy', 'crds', 'llmmonitor.dev_llmmonitors.yaml');

function kubectl(args: string[], input?: string) {
  return runKubectl(kubectlPath, kubeconfigPath, args, input === undefined ? {} : { input });
}

/** Random suffix so reruns against a kept or existing cluster never collide. */
function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

/** GET on the API server with the credentials of the shared kubeconfig. */
async function getJson(path: string): Promise<{ status: number | undefined; body: unknown }> {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  const server = config.getCurrentCluster()?.server ?? '';
  const options: Parameters<typeof request>[1] = {};
  await config.applyToHTTPSOptions(options);

  return new Promise((resolve, reject) => {
    const req = request(new URL(path, server), options, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: JSON.parse(text) as unknown }));
    });
    req.once('error', reject);
    req.end();
  });
}

/** Polls `kubectl get` until the object is gone, and returns the last stderr. */
async function waitUntilNotFound(args: string[], timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let stderr = '';
  while (Date.now() < deadline) {
    const result = await kubectl(['get', ...args]);
    stderr = result.stderr;
    if (result.code !== 0 && stderr.includes('NotFound')) return stderr;
    await sleep(250);
  }
  return stderr;
}

describe('shared control plane', () => {
  it.skipIf(usesExistingCluster)('serves /version v1.35.4', async () => {
    const { status, body } = await getJson('/version');

    expect(status).toBe(200);
    expect(body).toMatchObject({ gitVersion: 'v1.35.4', major: '1', minor: '35' });
  });

  it('kubectl lists the built-in namespaces', async () => {
    const result = await kubectl(['get', 'namespaces', '-o', 'name']);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual(expect.arrayContaining(['namespace/default', 'namespace/kube-system']));
  });

  it('KUBECONFIG names the shared kubeconfig', () => {
    expect(process.env.KUBECONFIG).toBe(kubeconfigPath);
  });

  it('kubectl client is v1.35.4', async () => {
    const result = await kubectl(['version', '-o', 'json']);
    const versions = JSON.parse(result.stdout) as { clientVersion: { gitVersion: string } };

    expect(result.code).toBe(0);
    expect(versions.clientVersion.gitVersion).toBe('v1.35.4');
  });

  it.skipIf(!existsSync(llmMonitorCrdFile))('LLMMonitor CRD is Established', async () => {
    const result = await kubectl([
      'get',
      'crd',
      'llmmonitors.llmmonitor.dev',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Established")].status}',
    ]);

    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('True');
  });

  it.skipIf(!inject('hasControllerManager'))('namespace deletion completes', async () => {
    const namespace = uniqueName('e2e-delete');
    expect((await kubectl(['create', 'namespace', namespace])).code).toBe(0);
    const created = await kubectl(['-n', namespace, 'create', 'configmap', 'content', '--from-literal=key=value']);
    expect(created.code).toBe(0);

    const deleted = await kubectl(['delete', 'namespace', namespace, '--wait=false']);
    const stderr = await waitUntilNotFound(['namespace', namespace], 60_000);

    expect(deleted.code).toBe(0);
    expect(stderr).toContain(`namespaces "${namespace}" not found`);
  });

  it.skipIf(!inject('hasControllerManager'))('owner deletion cascades to its ConfigMap', async () => {
    const parent = uniqueName('e2e-parent');
    const child = uniqueName('e2e-child');
    expect((await kubectl(['-n', 'default', 'create', 'configmap', parent])).code).toBe(0);
    const uid = (await kubectl(['-n', 'default', 'get', 'configmap', parent, '-o', 'jsonpath={.metadata.uid}'])).stdout;
    const childManifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: child,
        namespace: 'default',
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: parent, uid }],
      },
    });
    expect((await kubectl(['apply', '-f', '-'], childManifest)).code).toBe(0);

    const deleted = await kubectl(['-n', 'default', 'delete', 'configmap', parent]);
    const stderr = await waitUntilNotFound(['-n', 'default', 'configmap', child], 60_000);

    expect(uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(deleted.code).toBe(0);
    expect(stderr).toContain(`configmaps "${child}" not found`);
  });
});

describe('installCrds', () => {
  const group = 'e2e.llmmonitor.dev';
  const crdName = `widgets.${group}`;
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'llm-monitor-crds-'));
  });

  afterAll(async () => {
    await kubectl(['delete', 'crd', crdName, '--ignore-not-found']);
    await rm(folder, { recursive: true, force: true });
  });

  it('waits until a CRD serves its resources', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: crdName },
      spec: {
        group,
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
              },
            },
          },
        ],
      },
    };
    await writeFile(join(folder, 'widgets.json'), JSON.stringify(crd));
    await writeFile(join(folder, 'README.md'), 'not a manifest');
    const widget = { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'first', namespace: 'default' }, spec: { size: 3 } };

    const names = await installCrds((args) => kubectl(args), [folder, join(folder, 'missing')], 60_000);
    const created = await kubectl(['create', '-f', '-'], JSON.stringify(widget));

    expect(names).toEqual([`customresourcedefinition.apiextensions.k8s.io/${crdName}`]);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
  });
});

describe.skipIf(usesExistingCluster)('ControlPlane of its own', () => {
  const controlPlane = new ControlPlane({ crdFolders: [] });

  beforeAll(async () => {
    await controlPlane.start();
  });

  afterAll(async () => {
    await controlPlane.stop();
  });

  it('keeps objects across etcd and API server restarts', async () => {
    const created = await controlPlane.kubectl(['-n', 'default', 'create', 'configmap', 'survivor']);

    await controlPlane.restartEtcd();
    const afterEtcd = await controlPlane.kubectl(['-n', 'default', 'get', 'configmap', 'survivor', '-o', 'name']);
    await controlPlane.restartApiServer();
    const afterApiServer = await controlPlane.kubectl(['-n', 'default', 'get', 'configmap', 'survivor', '-o', 'name']);

    expect(created.code).toBe(0);
    expect(afterEtcd.stdout.trim()).toBe('configmap/survivor');
    expect(afterApiServer.stdout.trim()).toBe('configmap/survivor');
  });

  it('serves the same server URL and token after a restart', async () => {
    const before = { server: controlPlane.server, token: controlPlane.token };

    await controlPlane.restartApiServer();
    const whoami = await controlPlane.kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);

    expect({ server: controlPlane.server, token: controlPlane.token }).toEqual(before);
    expect(whoami.stdout).toBe('admin');
  });

  it('USE_EXISTING_CLUSTER connects without starting processes', async () => {
    const existing = new ControlPlane({
      crdFolders: [],
      env: { ...process.env, USE_EXISTING_CLUSTER: 'true', KUBECONFIG: controlPlane.kubeconfigPath },
    });

    await existing.start();
    const namespaces = await existing.kubectl(['get', 'namespace', 'default', '-o', 'name']);
    const connection = { server: existing.server, token: existing.token, pids: existing.pids };
    const restartError: unknown = await existing.restartApiServer().catch((error: unknown) => error);
    const folder = existing.folder;
    await existing.stop();

    expect(connection).toEqual({ server: controlPlane.server, token: controlPlane.token, pids: [] });
    expect(namespaces.stdout.trim()).toBe('namespace/default');
    expect(restartError).toBeInstanceOf(Error);
    expect((restartError as Error).message).toContain('cannot restart kube-apiserver of an existing cluster');
    expect(existsSync(folder)).toBe(false);
  });

  it('stop kills the processes and removes the folder', async () => {
    const pids = controlPlane.pids;
    const expectedCount = controlPlane.hasControllerManager ? 3 : 2;
    const folder = controlPlane.folder;

    await controlPlane.stop();

    expect(pids).toHaveLength(expectedCount);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(existsSync(folder)).toBe(false);
  });
});

describe.skipIf(usesExistingCluster)('ControlPlane.start', () => {
  it('fails after the start timeout', async () => {
    const controlPlane = new ControlPlane({
      crdFolders: [],
      env: { ...process.env, KUBEBUILDER_CONTROLPLANE_START_TIMEOUT: '1ms' },
    });

    const error: unknown = await controlPlane.start().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^timed out after 0\.001 s waiting until etcd \/health returns 200/);
    expect((error as Error).message).toContain('Last lines of ');
    expect(() => controlPlane.folder).toThrow('control plane is not started');
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
