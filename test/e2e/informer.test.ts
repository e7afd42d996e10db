import { createServer, Socket, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig, type KubernetesObject, type V1ConfigMap, type V1Secret } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  Informer,
  ListResult,
  WatchRestartReason,
  type InformerEvent,
  type InformerOptions,
} from '../../src/operator/informer.js';
import { ControlPlane } from './setup/control-plane.js';
import { runKubectl, type KubectlResult } from './setup/kubectl.js';

const usesExistingCluster = process.env.USE_EXISTING_CLUSTER === 'true';

/** Random suffix so reruns against a kept or existing cluster never collide. */
function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls until `condition` is true, and fails with `description` after `timeoutMs`. */
async function waitFor(description: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${description}`);
    await sleep(50);
  }
}

/** Creates a pino logger that keeps its lines for assertions. */
function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

/** Events, restarts and list results of one informer. */
class Recorder<T extends KubernetesObject> {
  readonly events: InformerEvent<T>[] = [];
  readonly restarts: WatchRestartReason[] = [];
  readonly lists: ListResult[] = [];

  readonly listener = (event: InformerEvent<T>) => {
    this.events.push(event);
  };

  eventsOf(name: string): InformerEvent<T>[] {
    return this.events.filter((event) => event.object.metadata?.name === name);
  }

  typesOf(name: string): string[] {
    return this.eventsOf(name).map((event) => event.type);
  }

  has(type: InformerEvent<T>['type'], name: string): boolean {
    return this.typesOf(name).includes(type);
  }

  count(reason: WatchRestartReason): number {
    return this.restarts.filter((restart) => restart === reason).length;
  }
}

/**
 * A TCP proxy on 127.0.0.1 in front of kube-apiserver. The serving
 * certificate is for 127.0.0.1, so TLS passes through it unchanged. cut()
 * resets every open connection (the client sees ECONNRESET) and closes the
 * port (connection refused) until resume().
 */
class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
    this.port = address.port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  }

  async resume(): Promise<void> {
    await this.listen();
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private forward(client: Socket): void {
    const upstream = new Socket();
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
    }
    upstream.connect(this.target.port, this.target.host);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}

function loadKubeConfig(kubeconfigPath: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  return kubeConfig;
}

/** Returns a kubeconfig with the same credentials for another server URL. */
function kubeConfigFor(kubeConfig: KubeConfig, server: string): KubeConfig {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error('the kubeconfig has no current cluster');
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: [{ ...cluster, server }],
    users: kubeConfig.getUsers(),
    contexts: kubeConfig.getContexts(),
    currentContext: kubeConfig.getCurrentContext(),
  });
  return copy;
}

function proxyFor(kubeConfig: KubeConfig): TcpProxy {
  const server = new URL(kubeConfig.getCurrentCluster()?.server ?? '');
  return new TcpProxy({ host: server.hostname, port: Number(server.port) });
}

/** Fast retries, so that tests that restart the watch several times stay short. */
const fastBackoff = { initialMs: 50, maxMs: 500 };

/** Starts informers with a Recorder attached and stops them after each test. */
class Informers {
  private readonly started: Informer<KubernetesObject>[] = [];

  constructor(private readonly kubeConfig: () => KubeConfig) {}

  create<T extends KubernetesObject>(options: Partial<InformerOptions<T>> & { path: string }) {
    const recorder = new Recorder<T>();
    const { logger, lines } = recordingLogger();
    const informer = new Informer<T>({
      kubeConfig: this.kubeConfig(),
      logger,
      backoff: fastBackoff,
      onRestart: (reason) => recorder.restarts.push(reason),
      onList: (result) => recorder.lists.push(result),
      ...options,
    });
    informer.on(recorder.listener);
    this.started.push(informer as unknown as Informer<KubernetesObject>);
    return { informer, recorder, lines };
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.splice(0).map((informer) => informer.stop()));
  }
}

function countResources(name: string): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === name).length;
}

function configMap(name: string, labels: Record<string, string> = {}, data?: Record<string, string>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });
}

function expectSuccess(result: KubectlResult): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

describe('Informer on the shared control plane', () => {
  const kubeconfigPath = inject('kubeconfigPath');
  const kubectlPath = inject('kubectlPath');
  const namespace = uniqueName('informer-e2e');
  const configMaps = `/api/v1/namespaces/${namespace}/configmaps`;
  const informers = new Informers(() => loadKubeConfig(kubeconfigPath));
  const kubectl = (args: string[], input?: string) =>
    runKubectl(kubectlPath, kubeconfigPath, ['-n', namespace, ...args], input === undefined ? {} : { input });
  const apply = async (manifest: string) => expectSuccess(await kubectl(['apply', '-f', '-'], manifest));

  beforeAll(async () => {
    expectSuccess(await runKubectl(kubectlPath, kubeconfigPath, ['create', 'namespace', namespace]));
  });

  afterEach(async () => {
    await informers.stopAll();
  });

  afterAll(async () => {
    await runKubectl(kubectlPath, kubeconfigPath, ['delete', 'namespace', namespace, '--wait=false']);
  });

  it('reports add, update and delete', async () => {
    const name = uniqueName('cm');
    const { informer, recorder } = informers.create<V1ConfigMap>({ path: configMaps });
    await informer.start();

    expectSuccess(await kubectl(['create', 'configmap', name, '--from-literal=color=red']));
    await waitFor(`${name} is added`, () => recorder.has('add', name));
    const added = informer.get(namespace, name);
    expectSuccess(await kubectl(['patch', 'configmap', name, '-p', '{"data":{"color":"blue"}}']));
    await waitFor(`${name} is updated`, () => recorder.has('update', name));
    const updated = informer.get(namespace, name);
    expectSuccess(await kubectl(['delete', 'configmap', name]));
    await waitFor(`${name} is deleted`, () => recorder.has('delete', name));

    const update = recorder.eventsOf(name).find((event) => event.type === 'update');
    expect(informer.synced).toBe(true);
    expect(recorder.typesOf(name)).toEqual(['add', 'update', 'delete']);
    expect(added?.data).toEqual({ color: 'red' });
    expect(added?.kind).toBe('ConfigMap');
    expect(updated?.data).toEqual({ color: 'blue' });
    expect(update?.old?.data).toEqual({ color: 'red' });
    expect(informer.get(namespace, name)).toBeUndefined();
  });

  it('emits the first list as add events before start resolves', async () => {
    const label = uniqueName('listed');
    for (const name of ['first', 'second']) await apply(configMap(`${label}-${name}`, { set: label }));
    const { informer, recorder } = informers.create<V1ConfigMap>({ path: configMaps, labelSelector: `set=${label}` });

    await informer.start();

    expect(recorder.events.map((event) => event.type)).toEqual(['add', 'add']);
    expect(recorder.events.map((event) => event.object.kind)).toEqual(['ConfigMap', 'ConfigMap']);
    expect(recorder.lists).toEqual([ListResult.Success]);
  });

  it('lists across pages', async () => {
    const label = uniqueName('paged');
    const names = Array.from({ length: 5 }, (_, index) => `${label}-${index}`);
    for (const name of names) await apply(configMap(name, { set: label }));
    const { informer } = informers.create<V1ConfigMap>({ path: configMaps, labelSelector: `set=${label}`, pageSize: 2 });

    await informer.start();

    const listed = informer.list().map((object) => object.metadata?.name);
    expect(listed.sort()).toEqual(names);
  });

  it('filters by label and field selector', async () => {
    const team = uniqueName('team');
    const [matching, other, named] = ['matching', 'other', 'named'].map((suffix) => `${team}-${suffix}`) as [string, string, string];
    await apply(configMap(matching, { team }));
    await apply(configMap(other));
    const byLabel = informers.create<V1ConfigMap>({ path: configMaps, labelSelector: `team=${team}` });
    const byField = informers.create<V1ConfigMap>({ path: configMaps, fieldSelector: `metadata.name=${named}` });
    await Promise.all([byLabel.informer.start(), byField.informer.start()]);

    expectSuccess(await kubectl(['create', 'configmap', named]));
    expectSuccess(await kubectl(['label', 'configmap', named, `team=${team}`]));
    // The two informers watch on separate streams, so the field informer's update of the label may come after the label informer's add.
    await waitFor(`${named} and its label reach both informers`, () => byLabel.recorder.has('add', named) && byField.recorder.has('update', named));

    const names = (informer: Informer<V1ConfigMap>) => informer.list().map((object) => object.metadata?.name).sort();
    expect(names(byLabel.informer)).toEqual([matching, named].sort());
    expect(names(byField.informer)).toEqual([named]);
    expect(byField.recorder.typesOf(named)).toEqual(['add', 'update']);
  });

  it('transforms Secrets before caching and logging', async () => {
    const name = uniqueName('credentials');
    const leaked = 'do-not-cache-this-value';
    const { informer, recorder, lines } = informers.create<V1Secret>({
      path: `/api/v1/namespaces/${namespace}/secrets`,
      fieldSelector: `metadata.name=${name}`,
      transform: (secret) => ({ ...secret, data: { apiKey: secret.data?.apiKey ?? '' } }),
    });
    await informer.start();

    expectSuccess(await kubectl(['create', 'secret', 'generic', name, '--from-literal=apiKey=kept', `--from-literal=other=${leaked}`]));
    await waitFor(`${name} is added`, () => recorder.has('add', name));

    const cached = informer.get(namespace, name);
    expect(cached?.data).toEqual({ apiKey: Buffer.from('kept').toString('base64') });
    expect(JSON.stringify(recorder.events)).not.toContain(Buffer.from(leaked).toString('base64'));
    expect(lines.join('')).not.toContain(Buffer.from(leaked).toString('base64'));
    expect(lines.join('')).not.toContain(Buffer.from('kept').toString('base64'));
  });

  it('watches LLMMonitor resources', async () => {
    const name = uniqueName('monitor');
    const monitor = {
      apiVersion: 'llmmonitor.dev/v1alpha1',
      kind: 'LLMMonitor',
      metadata: { name, namespace },
      spec: {
        schedule: { interval: '5m' },
        targets: [{ name: 'simulated', provider: 'openai', model: 'gpt-4o-mini', apiKeySecretRef: { name: 'credentials', key: 'apiKey' } }],
        probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Capital of France?' }], expect: [{ contains: 'Paris' }] }],
      },
    };
    const { informer, recorder } = informers.create<KubernetesObject>({ path: '/apis/llmmonitor.dev/v1alpha1/llmmonitors' });
    await informer.start();

    await apply(JSON.stringify(monitor));
    await waitFor(`${name} is added`, () => recorder.has('add', name));

    expect(informer.get(namespace, name)?.kind).toBe('LLMMonitor');
  });

  it('re-emits cached objects on resync', async () => {
    const name = uniqueName('resynced');
    expectSuccess(await kubectl(['create', 'configmap', name]));
    const { informer, recorder } = informers.create<V1ConfigMap>({
      path: configMaps,
      fieldSelector: `metadata.name=${name}`,
      resyncPeriodMs: 200,
    });
    await informer.start();

    await waitFor('two resync events arrive', () => recorder.typesOf(name).filter((type) => type === 'resync').length >= 2);

    const [added, resynced] = recorder.eventsOf(name);
    expect(added?.type).toBe('add');
    expect(resynced?.type).toBe('resync');
    expect(resynced?.object).toBe(informer.get(namespace, name));
    expect(recorder.lists).toEqual([ListResult.Success]);
  });

  it('restarts a watch the server closed', async () => {
    const name = uniqueName('after-rollover');
    const { informer, recorder, lines } = informers.create<V1ConfigMap>({ path: configMaps, watchTimeoutSeconds: 1 });
    await informer.start();

    await waitFor('two watches are closed by the server', () => recorder.count(WatchRestartReason.Closed) >= 2, 10_000);
    expectSuccess(await kubectl(['create', 'configmap', name]));
    await waitFor(`${name} is added`, () => recorder.has('add', name));

    expect(recorder.restarts.filter((reason) => reason !== WatchRestartReason.Closed)).toEqual([]);
    expect(recorder.lists).toEqual([ListResult.Success]);
    expect(lines.some((line) => line.includes('"reason":"Closed"') && line.includes('"delay_ms"'))).toBe(true);
  });

  it('restarts a silent watch', async () => {
    const name = uniqueName('after-silence');
    const { informer, recorder, lines } = informers.create<V1ConfigMap>({
      path: configMaps,
      fieldSelector: `metadata.name=${name}`,
      silenceTimeoutMs: 300,
      watchTimeoutSeconds: 60,
      allowWatchBookmarks: false,
    });
    await informer.start();

    await waitFor('two silent watches are restarted', () => recorder.count(WatchRestartReason.Silent) >= 2, 10_000);
    expectSuccess(await kubectl(['create', 'configmap', name]));
    await waitFor(`${name} is added`, () => recorder.has('add', name));

    const warning = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.reason === 'Silent');
    expect(recorder.restarts.filter((reason) => reason !== WatchRestartReason.Silent)).toEqual([]);
    expect(warning).toMatchObject({ level: 40, msg: 'watch ended, restarting', reason: 'Silent' });
    expect(warning?.delay_ms).toEqual(expect.any(Number));
  });

  it('catches up after a reset connection', async () => {
    const label = uniqueName('reset');
    const [kept, changed, doomed, born] = ['kept', 'changed', 'doomed', 'born'].map((suffix) => `${label}-${suffix}`) as [string, string, string, string];
    for (const name of [kept, changed, doomed]) await apply(configMap(name, { set: label }));
    const proxy = proxyFor(loadKubeConfig(kubeconfigPath));
    await proxy.listen();
    const { informer, recorder } = informers.create<V1ConfigMap>({
      kubeConfig: kubeConfigFor(loadKubeConfig(kubeconfigPath), proxy.url),
      path: configMaps,
      labelSelector: `set=${label}`,
    });
    await informer.start();

    try {
      await proxy.cut();
      await apply(configMap(born, { set: label }));
      expectSuccess(await kubectl(['delete', 'configmap', doomed]));
      await apply(configMap(changed, { set: label }, { state: 'changed' }));
      await waitFor('the watch fails twice', () => recorder.count(WatchRestartReason.Error) >= 2);
      await proxy.resume();
      await waitFor('the changes arrive', () => recorder.has('add', born) && recorder.has('delete', doomed) && recorder.has('update', changed));
    } finally {
      await informer.stop();
      await proxy.close();
    }

    expect(recorder.typesOf(kept)).toEqual(['add']);
    expect(recorder.typesOf(born)).toEqual(['add']);
    expect(recorder.typesOf(doomed)).toEqual(['add', 'delete']);
    expect(recorder.typesOf(changed)).toEqual(['add', 'update']);
    expect(informer.get(namespace, changed)?.data).toEqual({ state: 'changed' });
    expect(recorder.restarts.filter((reason) => reason !== WatchRestartReason.Error)).toEqual([]);
    expect(recorder.lists).toEqual([ListResult.Success]);
  });

  it('retries the first list until the server is reachable', async () => {
    const name = uniqueName('reachable');
    expectSuccess(await kubectl(['create', 'configmap', name]));
    const proxy = proxyFor(loadKubeConfig(kubeconfigPath));
    await proxy.listen();
    const { informer, recorder, lines } = informers.create<V1ConfigMap>({
      kubeConfig: kubeConfigFor(loadKubeConfig(kubeconfigPath), proxy.url),
      path: configMaps,
      fieldSelector: `metadata.name=${name}`,
    });
    await proxy.cut();

    try {
      const started = informer.start();
      await waitFor('the list fails twice', () => recorder.lists.length >= 2);
      const syncedWhileRefused = informer.synced;
      await proxy.resume();
      await started;

      expect(syncedWhileRefused).toBe(false);
      expect(recorder.lists.at(-1)).toBe(ListResult.Success);
      expect(recorder.lists.slice(0, -1).every((result) => result === ListResult.Error)).toBe(true);
      expect(recorder.typesOf(name)).toEqual(['add']);
      expect(lines.some((line) => line.includes('list failed, retrying') && line.includes('ECONNREFUSED'))).toBe(true);
    } finally {
      await informer.stop();
      await proxy.close();
    }
  });

  it('emits nothing after stop returns', async () => {
    const label = uniqueName('stopped');
    for (const suffix of ['a', 'b', 'c']) await apply(configMap(`${label}-${suffix}`, { set: label }));
    const { informer, recorder } = informers.create<V1ConfigMap>({ path: configMaps, labelSelector: `set=${label}`, resyncPeriodMs: 50 });
    let eventsWhenStopped = -1;
    informer.on(() => {
      if (eventsWhenStopped !== -1) return;
      eventsWhenStopped = recorder.events.length;
      void informer.stop();
    });

    const started = informer.start();
    await started.catch(() => undefined);
    await apply(configMap(`${label}-d`, { set: label }));
    await sleep(300);

    expect(eventsWhenStopped).toBe(1);
    expect(recorder.events).toHaveLength(1);
    await expect(started).rejects.toThrow('stopped before its first list completed');
  });

  it('stop closes its sockets and timers', async () => {
    const { informer } = informers.create<V1ConfigMap>({ path: configMaps, resyncPeriodMs: 60_000 });
    const socketsBefore = countResources('TCPSocketWrap');

    await informer.start();
    await sleep(100);
    const socketsRunning = countResources('TCPSocketWrap');
    const timersAtStop = countResources('Timeout');
    await informer.stop();
    const timersAfterStop = countResources('Timeout');
    await waitFor('the socket closes', () => countResources('TCPSocketWrap') <= socketsBefore, 2_000);

    // While it runs, the informer keeps the watch's socket, its silence timer and the resync interval open.
    expect(socketsRunning).toBe(socketsBefore + 1);
    expect(countResources('TCPSocketWrap')).toBe(socketsBefore);
    // Timers of the test runner come and go, so only the two informer timers are compared, right at stop().
    expect(timersAfterStop).toBe(timersAtStop - 2);
  });
});

describe.skipIf(usesExistingCluster)('Informer across control plane restarts', () => {
  const controlPlane = new ControlPlane({ crdFolders: [] });
  const informers = new Informers(() => loadKubeConfig(controlPlane.kubeconfigPath));
  const path = '/api/v1/namespaces/default/configmaps';
  const kubectl = (args: string[]) => controlPlane.kubectl(['-n', 'default', ...args]);
  const apply = async (manifest: string) => expectSuccess(await controlPlane.kubectl(['-n', 'default', 'apply', '-f', '-'], { input: manifest }));

  beforeAll(async () => {
    await controlPlane.start();
  });

  afterEach(async () => {
    await informers.stopAll();
  });

  afterAll(async () => {
    await controlPlane.stop();
  });

  it('recovers when the API server restarts', async () => {
    const name = uniqueName('after-restart');
    const { informer, recorder } = informers.create<V1ConfigMap>({ path });
    await informer.start();
    // A write of another kind moves etcd past the informer's resourceVersion, so the new watch cache starts above it.
    expectSuccess(await kubectl(['create', 'secret', 'generic', uniqueName('bump')]));

    await controlPlane.restartApiServer();
    expectSuccess(await kubectl(['create', 'configmap', name]));
    await waitFor(`${name} is added`, () => recorder.has('add', name), 30_000);

    expect(recorder.restarts).toContain(WatchRestartReason.Gone);
    expect(recorder.lists.filter((result) => result === ListResult.Success).length).toBeGreaterThanOrEqual(2);
  });

  it('lists again on 410 Gone and reports what changed meanwhile', async () => {
    const label = uniqueName('gone');
    const [kept, changed, doomed, born] = ['kept', 'changed', 'doomed', 'born'].map((suffix) => `${label}-${suffix}`) as [string, string, string, string];
    for (const name of [kept, changed, doomed]) await apply(configMap(name, { set: label }));
    const proxy = proxyFor(loadKubeConfig(controlPlane.kubeconfigPath));
    await proxy.listen();
    const { informer, recorder } = informers.create<V1ConfigMap>({
      kubeConfig: kubeConfigFor(loadKubeConfig(controlPlane.kubeconfigPath), proxy.url),
      path,
      labelSelector: `set=${label}`,
    });
    await informer.start();

    try {
      await proxy.cut();
      await apply(configMap(born, { set: label }));
      expectSuccess(await kubectl(['delete', 'configmap', doomed]));
      await apply(configMap(changed, { set: label }, { state: 'changed' }));
      // A new watch cache starts at the current resourceVersion, so the informer's is too old.
      await controlPlane.restartApiServer();
      await proxy.resume();
      await waitFor('the changes arrive', () => recorder.has('add', born) && recorder.has('delete', doomed) && recorder.has('update', changed), 30_000);
    } finally {
      await informer.stop();
      await proxy.close();
    }

    expect(recorder.restarts).toContain(WatchRestartReason.Gone);
    expect(recorder.lists.filter((result) => result === ListResult.Success)).toHaveLength(2);
    expect(recorder.typesOf(kept)).toEqual(['add']);
    expect(recorder.typesOf(born)).toEqual(['add']);
    expect(recorder.typesOf(doomed)).toEqual(['add', 'delete']);
    expect(recorder.typesOf(changed)).toEqual(['add', 'update']);
    expect(informer.get('default', changed)?.data).toEqual({ state: 'changed' });
  });

  it('keeps watching across an etcd restart', async () => {
    const name = uniqueName('after-etcd');
    const { informer, recorder } = informers.create<V1ConfigMap>({ path });
    await informer.start();

    await controlPlane.restartEtcd();
    expectSuccess(await kubectl(['create', 'configmap', name]));
    await waitFor(`${name} is added`, () => recorder.has('add', name), 30_000);

    expect(informer.get('default', name)?.metadata?.name).toBe(name);
  });
});
