import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot, resolveBinaries } from './binaries.js';
import { installCrds } from './crds.js';
import { connectToExistingCluster } from './existing-cluster.js';
import { runKubectl, type KubectlOptions, type KubectlResult } from './kubectl.js';
import { LocalCluster } from './local-cluster.js';
import { OrphanGuard } from './orphan-guard.js';
import { startTimeoutMs, stopTimeoutMs } from './timeouts.js';

export interface ControlPlaneOptions {
  /** Folders whose manifests are applied after the start (deploy/crds by default). */
  crdFolders?: string[];
  /** Environment that the conventions below are read from (process.env by default). */
  env?: NodeJS.ProcessEnv;
}

/** Access to a started control plane. */
interface Connection {
  folder: string;
  kubeconfigPath: string;
  server: string;
  token: string | undefined;
  kubectlPath: string;
  /** Undefined when USE_EXISTING_CLUSTER=true. */
  local: LocalCluster | undefined;
  guard: OrphanGuard | undefined;
  onExit: (() => void) | undefined;
}

/**
 * A real Kubernetes control plane for end-to-end tests, started the way
 * controller-runtime's envtest does, plus kube-controller-manager so that
 * namespaces finish deleting and ownerReferences cascade.
 *
 * Environment conventions (read by start()):
 * - KUBEBUILDER_ASSETS: folder with kube-apiserver, etcd, kubectl and
 *   optionally kube-controller-manager, so nothing is built. Otherwise
 *   scripts/build-control-plane.sh builds them into .cache/kube/bin once.
 * - USE_EXISTING_CLUSTER=true: starts nothing and uses the current
 *   kubeconfig, but still installs the CRDs.
 * - KUBEBUILDER_CONTROLPLANE_START_TIMEOUT / _STOP_TIMEOUT: per process, 60 s / 20 s.
 * - KEEP_CONTROL_PLANE=1: stop() leaves the temporary folder (data, logs, kubeconfig).
 */
export class ControlPlane {
  private connection: Connection | undefined;
  private readonly env: NodeJS.ProcessEnv;
  private readonly crdFolders: string[];

  constructor(options: ControlPlaneOptions = {}) {
    this.env = options.env ?? process.env;
    this.crdFolders = options.crdFolders ?? [join(repositoryRoot(), 'deploy', 'crds')];
  }

  get kubeconfigPath(): string {
    return this.started.kubeconfigPath;
  }

  /** URL of kube-apiserver, e.g. https://127.0.0.1:40123. */
  get server(): string {
    return this.started.server;
  }

  /**
   * Bearer token of user admin in group system:masters. Undefined only with
   * USE_EXISTING_CLUSTER=true when the current user has no token.
   */
  get token(): string | undefined {
    return this.started.token;
  }

  get kubectlPath(): string {
    return this.started.kubectlPath;
  }

  /** Temporary folder with the data, logs and kubeconfig. */
  get folder(): string {
    return this.started.folder;
  }

  /** False when a KUBEBUILDER_ASSETS folder has no kube-controller-manager. */
  get hasControllerManager(): boolean {
    const local = this.started.local;
    return local === undefined || local.hasControllerManager;
  }

  get usesExistingCluster(): boolean {
    return this.started.local === undefined;
  }

  /** Process ids of the running control plane processes, none for an existing cluster. */
  get pids(): number[] {
    return this.started.local?.pids ?? [];
  }

  /** Starts the control plane (or connects to the existing cluster) and installs the CRDs. */
  async start(): Promise<void> {
    if (this.connection !== undefined) throw new Error('control plane is already started');
    const folder = await mkdtemp(join(tmpdir(), 'llm-monitor-control-plane-'));
    try {
      this.connection = this.useExistingCluster ? await this.connectExisting(folder) : await this.startLocal(folder);
      await installCrds((args) => this.kubectl(args), this.crdFolders, startTimeoutMs(this.env));
    } catch (error) {
      if (this.connection === undefined) await rm(folder, { recursive: true, force: true });
      await this.stop();
      throw error;
    }
  }

  /** Stops every process and removes the temporary folder unless KEEP_CONTROL_PLANE=1. */
  async stop(): Promise<void> {
    const connection = this.connection;
    if (connection === undefined) return;
    this.connection = undefined;

    await connection.local?.stop();
    if (connection.onExit !== undefined) process.off('exit', connection.onExit);
    await connection.guard?.close();

    if (this.keepFiles) {
      process.stderr.write(`control plane files kept in ${connection.folder}\n`);
    } else {
      await rm(connection.folder, { recursive: true, force: true });
    }
  }

  /** Stops kube-apiserver and starts it again on the same port, certificates and etcd. */
  async restartApiServer(): Promise<void> {
    await this.localCluster('restart kube-apiserver').restartApiServer();
  }

  /**
   * Stops etcd and starts it again on the same ports and data dir, then waits
   * until kube-apiserver is ready. etcd's graceful stop waits about 7 s for
   * kube-apiserver's open watch streams.
   */
  async restartEtcd(): Promise<void> {
    await this.localCluster('restart etcd').restartEtcd();
  }

  /** Runs the control plane's kubectl with its kubeconfig, as runKubectl does. */
  async kubectl(args: string[], options?: KubectlOptions): Promise<KubectlResult> {
    const { kubectlPath, kubeconfigPath } = this.started;
    return runKubectl(kubectlPath, kubeconfigPath, args, options);
  }

  private get useExistingCluster(): boolean {
    return this.env.USE_EXISTING_CLUSTER === 'true';
  }

  private get keepFiles(): boolean {
    return this.env.KEEP_CONTROL_PLANE === '1';
  }

  private get started(): Connection {
    if (this.connection === undefined) throw new Error('control plane is not started: call start() first');
    return this.connection;
  }

  private localCluster(action: string): LocalCluster {
    const local = this.started.local;
    if (local === undefined) throw new Error(`cannot ${action} of an existing cluster (USE_EXISTING_CLUSTER=true)`);
    return local;
  }

  private async connectExisting(folder: string): Promise<Connection> {
    const cluster = await connectToExistingCluster(folder, this.env);
    return { ...cluster, folder, local: undefined, guard: undefined, onExit: undefined };
  }

  private async startLocal(folder: string): Promise<Connection> {
    const binaries = await resolveBinaries(this.env);
    const guard = new OrphanGuard(this.keepFiles ? undefined : folder);
    const timeouts = { startMs: startTimeoutMs(this.env), stopMs: stopTimeoutMs(this.env) };
    let local: LocalCluster;
    try {
      local = await LocalCluster.prepare(folder, binaries, guard, timeouts);
    } catch (error) {
      await guard.close();
      throw error;
    }
    // Kills the processes when the test process exits without stop(). The
    // guard covers deaths that run no exit handler.
    const onExit = () => local.kill();
    process.on('exit', onExit);
    this.connection = {
      folder,
      kubeconfigPath: local.layout.kubeconfigPath,
      server: local.server,
      token: local.credentials.token,
      kubectlPath: binaries.kubectl,
      local,
      guard,
      onExit,
    };

    await local.start();
    return this.connection;
  }
}
