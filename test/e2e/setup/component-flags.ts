import { join } from 'node:path';
import type { Credentials } from './credentials.js';

/** Ports and folders of one control plane, which stay the same across restarts. */
export interface ControlPlaneLayout {
  /** Temporary folder that holds everything below. */
  folder: string;
  etcdClientPort: number;
  etcdPeerPort: number;
  apiServerPort: number;
  controllerManagerPort: number;
  etcdDataDir: string;
  apiServerCertDir: string;
  controllerManagerCertDir: string;
  kubeconfigPath: string;
  /** PEM CA of kube-apiserver's serving certificate, copied out of its cert dir. */
  caPath: string;
}

/** Service account issuer that in-cluster clients of a default cluster expect. */
export const serviceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';

export function etcdUrl(layout: ControlPlaneLayout): string {
  return `http://127.0.0.1:${layout.etcdClientPort}`;
}

export function apiServerUrl(layout: ControlPlaneLayout): string {
  return `https://127.0.0.1:${layout.apiServerPort}`;
}

/** The serving certificate (followed by its CA) that kube-apiserver generates in its cert dir. */
export function apiServerCertificatePath(layout: ControlPlaneLayout): string {
  return join(layout.apiServerCertDir, 'apiserver.crt');
}

const etcdMemberName = 'llm-monitor-test';

/** A single-member etcd cluster on 127.0.0.1. */
export function etcdArgs(layout: ControlPlaneLayout): string[] {
  const peerUrl = `http://127.0.0.1:${layout.etcdPeerPort}`;
  return [
    `--name=${etcdMemberName}`,
    `--data-dir=${layout.etcdDataDir}`,
    `--listen-client-urls=${etcdUrl(layout)}`,
    `--advertise-client-urls=${etcdUrl(layout)}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=${etcdMemberName}=${peerUrl}`,
    // Test data is thrown away, so durability is traded for speed.
    '--unsafe-no-fsync',
  ];
}

/** The flags that envtest uses, plus token authentication for the test clients. */
export function apiServerArgs(layout: ControlPlaneLayout, credentials: Credentials): string[] {
  return [
    `--etcd-servers=${etcdUrl(layout)}`,
    '--bind-address=127.0.0.1',
    // Without a default route kube-apiserver cannot pick an address to advertise.
    '--advertise-address=127.0.0.1',
    // The endpoints of the "kubernetes" Service may not be a loopback address,
    // so the reconciler would log a validation error every 10 s. No pod uses them.
    '--endpoint-reconciler-type=none',
    // Stops within about 2 s of SIGTERM: otherwise open watches, such as
    // kube-controller-manager's, hold the shutdown for the 60 s request timeout.
    '--shutdown-send-retry-after=true',
    `--secure-port=${layout.apiServerPort}`,
    `--cert-dir=${layout.apiServerCertDir}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    '--authorization-mode=RBAC',
    // Pods need no service account token volume: there is no kubelet to run them.
    '--disable-admission-plugins=ServiceAccount',
    `--service-account-issuer=${serviceAccountIssuer}`,
    `--service-account-key-file=${credentials.serviceAccountPublicKeyFile}`,
    `--service-account-signing-key-file=${credentials.serviceAccountPrivateKeyFile}`,
    `--token-auth-file=${credentials.tokenFile}`,
  ];
}

/**
 * kube-controller-manager with every controller enabled by default, among
 * them the garbage collector and the namespace controller, which envtest
 * lacks: without them ownerReferences never cascade and namespaces stay
 * Terminating.
 */
export function controllerManagerArgs(layout: ControlPlaneLayout, credentials: Credentials): string[] {
  return [
    `--kubeconfig=${layout.kubeconfigPath}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${layout.controllerManagerPort}`,
    `--cert-dir=${layout.controllerManagerCertDir}`,
    '--controllers=*',
    `--service-account-private-key-file=${credentials.serviceAccountPrivateKeyFile}`,
    `--root-ca-file=${layout.caPath}`,
  ];
}
