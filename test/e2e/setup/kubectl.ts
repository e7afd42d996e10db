import { spawn } from 'node:child_process';

/** Output and exit code of one kubectl run. */
export interface KubectlResult {
  stdout: string;
  stderr: string;
  /** Exit code, or -1 when kubectl was killed by a signal or the timeout. */
  code: number;
}

export interface KubectlOptions {
  /** Text written to kubectl's standard input, e.g. a manifest for `apply -f -`. */
  input?: string;
  /** Kills kubectl after this many milliseconds (60 s by default). */
  timeoutMs?: number;
  /** Environment of kubectl (this process's environment by default). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs kubectl against the cluster in `kubeconfigPath`, or against kubectl's
 * own default (KUBECONFIG, then ~/.kube/config) when it is undefined. It
 * resolves with a non-zero code instead of rejecting, so tests can assert on
 * failures. It rejects only when kubectl cannot be started.
 */
export async function runKubectl(
  kubectlPath: string,
  kubeconfigPath: string | undefined,
  args: string[],
  options: KubectlOptions = {},
): Promise<KubectlResult> {
  const kubeconfigArgs = kubeconfigPath === undefined ? [] : ['--kubeconfig', kubeconfigPath];
  const child = spawn(kubectlPath, [...kubeconfigArgs, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 60_000,
    env: options.env ?? process.env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // kubectl may exit before it reads its input, and its exit code and stderr report why.
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.input ?? '');

  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`failed to start kubectl at ${kubectlPath}`, { cause: error })));
    child.once('close', (exitCode) => resolve(exitCode ?? -1));
  });
  return { stdout, stderr, code };
}
