import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Paths of the control plane binaries. */
export interface ControlPlaneBinaries {
  etcd: string;
  kubeApiServer: string;
  kubectl: string;
  /** Undefined when a `KUBEBUILDER_ASSETS` folder has none, so nothing garbage-collects. */
  kubeControllerManager: string | undefined;
}

const buildScript = join('scripts', 'build-control-plane.sh');
const requiredNames = ['etcd', 'kube-apiserver', 'kubectl'] as const;

/**
 * Finds the repository root by walking up from this file, so that the same
 * code works from test/e2e/setup and when compiled into .cache/kube.
 */
export function repositoryRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, buildScript))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no ${buildScript} above ${fileURLToPath(import.meta.url)}`);
    folder = parent;
  }
  return folder;
}

/** Folder that scripts/build-control-plane.sh fills when KUBEBUILDER_ASSETS is not set. */
export function defaultBinariesFolder(): string {
  return join(repositoryRoot(), '.cache', 'kube', 'bin');
}

/**
 * Returns the binaries from `KUBEBUILDER_ASSETS` when it is set, else from
 * `buildFolder`, building them there first when any is missing.
 */
export async function resolveBinaries(
  env: NodeJS.ProcessEnv = process.env,
  buildFolder: string = defaultBinariesFolder(),
): Promise<ControlPlaneBinaries> {
  const assets = env.KUBEBUILDER_ASSETS;
  if (assets !== undefined && assets !== '') return binariesIn(assets, 'KUBEBUILDER_ASSETS');

  if (missingIn(buildFolder).length > 0 || !isExecutable(join(buildFolder, 'kube-controller-manager'))) {
    await buildBinaries(env, buildFolder);
  }
  return binariesIn(buildFolder, 'scripts/build-control-plane.sh');
}

/**
 * Returns a kubectl for a cluster this setup did not start: the one in
 * `KUBEBUILDER_ASSETS` or .cache/kube/bin, else the first on PATH.
 */
export function resolveKubectl(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env.KUBEBUILDER_ASSETS, defaultBinariesFolder(), ...(env.PATH ?? '').split(delimiter)];
  for (const folder of candidates) {
    if (folder === undefined || folder === '') continue;
    const path = join(folder, 'kubectl');
    if (isExecutable(path)) return path;
  }
  throw new Error(
    'kubectl not found in KUBEBUILDER_ASSETS, .cache/kube/bin or PATH: install kubectl ' +
      'or run scripts/build-control-plane.sh',
  );
}

function binariesIn(folder: string, source: string): ControlPlaneBinaries {
  const missing = missingIn(folder);
  if (missing.length > 0) {
    throw new Error(
      `missing ${missing.join(', ')} in ${folder} (from ${source}): put the Kubernetes v1.35 binaries there, ` +
        'or unset KUBEBUILDER_ASSETS to build them with scripts/build-control-plane.sh',
    );
  }
  const controllerManager = join(folder, 'kube-controller-manager');
  return {
    etcd: join(folder, 'etcd'),
    kubeApiServer: join(folder, 'kube-apiserver'),
    kubectl: join(folder, 'kubectl'),
    kubeControllerManager: isExecutable(controllerManager) ? controllerManager : undefined,
  };
}

function missingIn(folder: string): string[] {
  return requiredNames.filter((name) => !isExecutable(join(folder, name)));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs scripts/build-control-plane.sh into `folder`, with its output in .cache/kube/build.log. */
async function buildBinaries(env: NodeJS.ProcessEnv, folder: string): Promise<void> {
  const root = repositoryRoot();
  if (!isOnPath('go', env)) {
    throw new Error(
      'Go is not installed, so the Kubernetes control plane for the e2e tests cannot be built. ' +
        'Install Go 1.25 or later (https://go.dev/dl/), or set KUBEBUILDER_ASSETS to a folder with ' +
        'kube-apiserver, kube-controller-manager, kubectl and etcd, or set USE_EXISTING_CLUSTER=true ' +
        'to test against the cluster of your current kubeconfig.',
    );
  }

  const logPath = join(root, '.cache', 'kube', 'build.log');
  // A cold build compiles Kubernetes for many minutes, so this line explains the wait.
  process.stderr.write(`building kube-apiserver, kube-controller-manager, kubectl and etcd; log: ${logPath}\n`);
  // The script builds into KUBEBUILDER_ASSETS when set, which is unset on this path.
  const code = await runLogged('bash', [join(root, buildScript)], root, logPath, { ...env, KUBEBUILDER_ASSETS: folder });
  if (code !== 0) {
    const tail = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
    throw new Error(`${buildScript} failed with code ${code}. Last lines of ${logPath}:\n${tail}`);
  }
}

async function runLogged(
  command: string,
  args: string[],
  cwd: string,
  logPath: string,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  mkdirSync(dirname(logPath), { recursive: true });
  const log = openSync(logPath, 'w');
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', log, log] });
  closeSync(log);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? -1));
  });
}

function isOnPath(name: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((folder) => folder !== '' && isExecutable(join(folder, name)));
}
