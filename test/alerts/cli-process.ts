import { spawn, type ChildProcess } from 'node:child_process';
import { cliPath } from '../integration/cli.js';

export interface CliProcess {
  child: ChildProcess;
  /** The first match of the pattern given to startCli. */
  match: RegExpExecArray;
  /** Everything the process printed so far, standard output and error. */
  output(): string;
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts the built CLI, as a user would, and resolves once its output matches
 * `ready`, for example the line that names the port it listens on.
 */
export async function startCli(args: string[], ready: RegExp, timeoutMs = 30_000): Promise<CliProcess> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const timer = setInterval(() => {
      const found = ready.exec(output);
      if (found !== null) {
        clearInterval(timer);
        resolve(found);
      } else if (Date.now() > deadline || child.exitCode !== null) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(new Error(`llm-monitor ${args.join(' ')} did not print ${String(ready)} within ${timeoutMs} ms:\n${output}`));
      }
    }, 50);
  });

  return {
    child,
    match,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
