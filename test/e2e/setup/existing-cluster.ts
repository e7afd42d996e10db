import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveKubectl } from './binaries.js';
import { readCurrentContext } from './kubeconfig.js';
import { runKubectl } from './kubectl.js';

/** How tests reach a cluster that this setup did not start. */
export interface ExistingCluster {
  kubeconfigPath: string;
  server: string;
  /** Undefined when the current user authenticates another way (client certificate, exec plugin). */
  token: string | undefined;
  kubectlPath: string;
}

/**
 * Connects to the cluster of the current kubeconfig (KUBECONFIG, which may
 * list several files, or ~/.kube/config). The current context is flattened
 * into one file in `folder` because `kubectl --kubeconfig` takes one file.
 */
export async function connectToExistingCluster(folder: string, env: NodeJS.ProcessEnv): Promise<ExistingCluster> {
  const kubectlPath = resolveKubectl(env);
  const view = await runKubectl(kubectlPath, undefined, ['config', 'view', '--minify', '--flatten', '--raw'], { env });
  if (view.code !== 0) {
    throw new Error(`USE_EXISTING_CLUSTER=true but the current kubeconfig cannot be read: ${view.stderr.trim()}`);
  }

  const kubeconfigPath = join(folder, 'kubeconfig');
  await writeFile(kubeconfigPath, view.stdout, { mode: 0o600 });
  const { server, token } = readCurrentContext(kubeconfigPath);
  return { kubeconfigPath, server, token, kubectlPath };
}
