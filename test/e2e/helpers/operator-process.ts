import { spawn, type ChildProcess } from 'node:child_process';
import { cliPath } from '../../integration/cli.js';

export interface OperatorProcess {
  child: ChildProcess;
  /** URL of its /metrics, known once it serves. */
  metricsUrl: string;
  /** Every log line so far. */
  logs(): string;
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<number | null>;
  /** Sends SIGKILL, as a crashed Pod would be. */
  kill(): Promise<void>;
  scrape(): Promise<string>;
}

/** Starts `llm-monitor operator` from the build, with short lease timings suited to tests. */
export async function startOperator(kubeconfigPath: string, args: string[]): Promise<OperatorProcess> {
  const child = spawn(
    process.execPath,
    [cliPath, 'operator', '--kubeconfig', kubeconfigPath, '--metrics-address', '127.0.0.1', '--metrics-port', '0', '--log-level', 'debug', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let logs = '';
  child.stdout?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (logs += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const metricsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /"url":"(http:\/\/[^"]+\/metrics)"/.exec(logs);
      if (match?.[1] !== undefined) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`operator exited with ${code}:\n${logs}`));
    });
  });

  return {
    child,
    metricsUrl,
    logs: () => logs,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    scrape: async () => (await fetch(metricsUrl)).text(),
  };
}

/** Polls until check returns a value other than undefined, or fails with the last value described. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError === undefined ? '' : `: ${(lastError as Error).message}`}`);
}
