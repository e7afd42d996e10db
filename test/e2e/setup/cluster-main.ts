/**
 * Entry point of `scripts/cluster.sh up`, compiled with tsc because Node.js 20
 * cannot run TypeScript. It starts a ControlPlane, copies its kubeconfig to
 * `<state folder>/kubeconfig`, writes `<state folder>/cluster.json` once the
 * control plane is ready, and stops it on SIGTERM or SIGINT.
 *
 * Usage: node cluster-main.js <state folder>
 */
import { copyFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ControlPlane } from './control-plane.js';

/** Contents of cluster.json, read by scripts/cluster.sh. */
export interface ClusterState {
  pid: number;
  server: string;
  kubeconfigPath: string;
  folder: string;
}

async function main(stateFolder: string): Promise<void> {
  const controlPlane = new ControlPlane();
  const kubeconfigPath = join(stateFolder, 'kubeconfig');
  const statePath = join(stateFolder, 'cluster.json');
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal} received, stopping the control plane\n`);
    await controlPlane.stop();
    await rm(kubeconfigPath, { force: true });
    await rm(statePath, { force: true });
    process.stdout.write('control plane stopped\n');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
  // The launcher runs in the background, so a closed terminal must not stop it.
  process.on('SIGHUP', () => undefined);

  const startedAt = Date.now();
  await controlPlane.start();
  await copyFile(controlPlane.kubeconfigPath, kubeconfigPath);
  const state: ClusterState = {
    pid: process.pid,
    server: controlPlane.server,
    kubeconfigPath,
    folder: controlPlane.folder,
  };
  await writeFile(statePath, `${JSON.stringify(state, null, 2)}\n`);
  process.stdout.write(`control plane ready at ${controlPlane.server} after ${Date.now() - startedAt} ms\n`);
}

const stateFolder = process.argv[2];
if (stateFolder === undefined) {
  process.stderr.write('usage: cluster-main.js <state folder>\n');
  process.exit(2);
}
main(stateFolder).catch((error: unknown) => {
  process.stderr.write(`failed to start the control plane: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
