import type { TestProject } from 'vitest/node';
import { ControlPlane } from './control-plane.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Kubeconfig of the shared control plane, also in process.env.KUBECONFIG of the tests. */
    kubeconfigPath: string;
    /** kube-apiserver URL. */
    server: string;
    /** Bearer token of a system:masters user, undefined only for an existing cluster without one. */
    token: string | undefined;
    /** kubectl that matches the control plane's version. */
    kubectlPath: string;
    /** False when the control plane runs without kube-controller-manager. */
    hasControllerManager: boolean;
  }
}

let controlPlane: ControlPlane | undefined;
let previousKubeconfig: string | undefined;

/**
 * Starts the control plane that all e2e test files share. Files that restart
 * kube-apiserver or etcd start a ControlPlane of their own instead.
 */
export async function setup(project: TestProject): Promise<void> {
  controlPlane = new ControlPlane();
  await controlPlane.start();

  project.provide('kubeconfigPath', controlPlane.kubeconfigPath);
  project.provide('server', controlPlane.server);
  project.provide('token', controlPlane.token);
  project.provide('kubectlPath', controlPlane.kubectlPath);
  project.provide('hasControllerManager', controlPlane.hasControllerManager);
  // Test workers inherit this, so KubeConfig.loadFromDefault() and kubectl
  // without flags reach the shared control plane too.
  previousKubeconfig = process.env.KUBECONFIG;
  process.env.KUBECONFIG = controlPlane.kubeconfigPath;
}

export async function teardown(): Promise<void> {
  await controlPlane?.stop();
  controlPlane = undefined;
  if (previousKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = previousKubeconfig;
}
