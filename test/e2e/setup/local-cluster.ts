import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ControlPlaneBinaries } from './binaries.js';
import {
  apiServerArgs,
  apiServerCertificatePath,
  apiServerUrl,
  controllerManagerArgs,
  etcdArgs,
  etcdUrl,
  type ControlPlaneLayout,
} from './component-flags.js';
import { writeCredentials, type Credentials } from './credentials.js';
import { freePorts } from './free-port.js';
import { readGeneratedCa, writeKubeconfig } from './kubeconfig.js';
import { ManagedProcess } from './managed-process.js';
import type { OrphanGuard } from './orphan-guard.js';
import { probeStatus, waitUntilReady } from './readiness.js';

/** Start and stop timeouts of each process, in milliseconds. */
export interface Timeouts {
  startMs: number;
  stopMs: number;
}

/**
 * etcd, kube-apiserver and kube-controller-manager on 127.0.0.1, with their
 * data, certificates, credentials and logs in one folder. Restarts keep the
 * ports and the folder, so clients and stored objects survive them.
 */
export class LocalCluster {
  readonly server: string;
  /** PEM CA of kube-apiserver's serving certificate, known once it has started. */
  private ca: string | undefined;
  private readonly etcd: ManagedProcess;
  private readonly apiServer: ManagedProcess;
  private readonly controllerManager: ManagedProcess | undefined;

  private constructor(
    readonly layout: ControlPlaneLayout,
    readonly credentials: Credentials,
    binaries: ControlPlaneBinaries,
    guard: OrphanGuard,
    private readonly timeouts: Timeouts,
  ) {
    this.server = apiServerUrl(layout);
    const logPath = (name: string) => join(layout.folder, `${name}.log`);
    this.etcd = new ManagedProcess(
      { name: 'etcd', command: binaries.etcd, args: etcdArgs(layout), logPath: logPath('etcd') },
      guard,
    );
    this.apiServer = new ManagedProcess(
      {
        name: 'kube-apiserver',
        command: binaries.kubeApiServer,
        args: apiServerArgs(layout, credentials),
        logPath: logPath('kube-apiserver'),
      },
      guard,
    );
    this.controllerManager =
      binaries.kubeControllerManager === undefined
        ? undefined
        : new ManagedProcess(
            {
              name: 'kube-controller-manager',
              command: binaries.kubeControllerManager,
              args: controllerManagerArgs(layout, credentials),
              logPath: logPath('kube-controller-manager'),
            },
            guard,
          );
  }

  /** Picks free ports and writes the credentials, but starts nothing yet. */
  static async prepare(
    folder: string,
    binaries: ControlPlaneBinaries,
    guard: OrphanGuard,
    timeouts: Timeouts,
  ): Promise<LocalCluster> {
    const [etcdClientPort = 0, etcdPeerPort = 0, apiServerPort = 0, controllerManagerPort = 0] = await freePorts(4);
    const layout: ControlPlaneLayout = {
      folder,
      etcdClientPort,
      etcdPeerPort,
      apiServerPort,
      controllerManagerPort,
      etcdDataDir: join(folder, 'etcd-data'),
      apiServerCertDir: join(folder, 'kube-apiserver-certs'),
      controllerManagerCertDir: join(folder, 'kube-controller-manager-certs'),
      kubeconfigPath: join(folder, 'kubeconfig'),
      caPath: join(folder, 'ca.crt'),
    };
    await mkdir(layout.apiServerCertDir, { recursive: true });
    await mkdir(layout.controllerManagerCertDir, { recursive: true });
    const credentials = await writeCredentials(folder);
    return new LocalCluster(layout, credentials, binaries, guard, timeouts);
  }

  get hasControllerManager(): boolean {
    return this.controllerManager !== undefined;
  }

  /** Process ids of the running processes, for tests of the cleanup. */
  get pids(): number[] {
    const processes = [this.etcd, this.apiServer, this.controllerManager];
    return processes.flatMap((component) => (component?.exitStatus === undefined && component?.pid ? [component.pid] : []));
  }

  /** Starts etcd, then kube-apiserver, writes the kubeconfig, then starts kube-controller-manager. */
  async start(): Promise<void> {
    await this.startEtcd();

    const ca = await this.startApiServer();
    this.ca = ca;
    await writeFile(this.layout.caPath, ca);
    await writeKubeconfig(this.layout.kubeconfigPath, { server: this.server, caPem: ca, token: this.credentials.token });

    await this.startControllerManager();
  }

  /** Stops the processes in the reverse order of starting them. */
  async stop(): Promise<void> {
    await this.controllerManager?.stop(this.timeouts.stopMs);
    await this.apiServer.stop(this.timeouts.stopMs);
    await this.etcd.stop(this.timeouts.stopMs);
  }

  /** Kills every process at once, for a synchronous 'exit' handler. */
  kill(): void {
    this.controllerManager?.kill();
    this.apiServer.kill();
    this.etcd.kill();
  }

  async restartApiServer(): Promise<void> {
    await this.apiServer.stop(this.timeouts.stopMs);
    await this.startApiServer();
  }

  /** Restarts etcd on the same data dir and waits until kube-apiserver is ready again. */
  async restartEtcd(): Promise<void> {
    await this.etcd.stop(this.timeouts.stopMs);
    await this.startEtcd();
    await waitUntilReady('kube-apiserver is ready again after the etcd restart', this.apiServer, this.timeouts.startMs, () =>
      this.isApiServerReady(this.ca),
    );
  }

  private async startEtcd(): Promise<void> {
    await this.etcd.start();
    const healthUrl = `${etcdUrl(this.layout)}/health`;
    await waitUntilReady('etcd /health returns 200', this.etcd, this.timeouts.startMs, async () => {
      return (await probeStatus(healthUrl)) === 200;
    });
  }

  /** Starts kube-apiserver and returns the CA of the serving certificate it generated. */
  private async startApiServer(): Promise<string> {
    await this.apiServer.start();
    let ca: string | undefined;
    await waitUntilReady('kube-apiserver /readyz returns 200', this.apiServer, this.timeouts.startMs, async () => {
      ca ??= await readGeneratedCa(apiServerCertificatePath(this.layout));
      return this.isApiServerReady(ca);
    });
    if (ca === undefined) throw new Error('kube-apiserver became ready without a CA certificate');
    return ca;
  }

  private async isApiServerReady(ca: string | undefined): Promise<boolean> {
    if (ca === undefined) return false;
    const status = await probeStatus(`${this.server}/readyz`, { ca, token: this.credentials.token });
    return status === 200;
  }

  private async startControllerManager(): Promise<void> {
    const controllerManager = this.controllerManager;
    if (controllerManager === undefined) return;
    await controllerManager.start();
    const healthUrl = `https://127.0.0.1:${this.layout.controllerManagerPort}/healthz`;
    await waitUntilReady('kube-controller-manager /healthz returns 200', controllerManager, this.timeouts.startMs, async () => {
      return (await probeStatus(healthUrl)) === 200;
    });
  }
}
