/**
 * Starts `llm-monitor simulate` from dist/cli/main.js as its own process on
 * 127.0.0.1 and a free port, so that the simulator's CPU is not counted in
 * the process being measured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SimulatorProcess {
  /** Base URL, such as http://127.0.0.1:41234 (OpenAI clients append /v1). */
  url: string;
  pid: number;
  /** Counts of requests to model APIs since start or the last reset. */
  stats(): Promise<{ total: number; byOutcome: Record<string, number> }>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

const listeningPattern = /simulator listening on (http:\/\/127\.0\.0\.1:\d+)/;

export async function startSimulatorProcess(options: { latency: string; root: string; timeoutMs?: number }): Promise<SimulatorProcess> {
  const main = resolve(options.root, 'dist/cli/main.js');
  const child = spawn(process.execPath, [main, 'simulate', '--host', '127.0.0.1', '--port', '0', '--latency', options.latency, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await readUrl(child, options.timeoutMs ?? 30_000);
  return {
    url,
    pid: child.pid ?? -1,
    stats: async () => (await (await fetch(`${url}/_simulator/stats`)).json()) as { total: number; byOutcome: Record<string, number> },
    resetStats: async () => {
      await fetch(`${url}/_simulator/stats`, { method: 'DELETE' });
    },
    close: () => stopChild(child),
  };
}

/** Resolves with the URL from the simulator's first line, or rejects if it exits or says nothing in time. */
function readUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the simulator did not print its URL within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      text += chunk;
      const match = listeningPattern.exec(text);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited with code ${code} before listening; is dist/ built (npm run build)?`));
    });
  });
}

/** Sends SIGTERM, and SIGKILL after 5 s, and resolves when the process has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const killed = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}
