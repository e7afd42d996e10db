import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * Runs in a separate Node.js process. It reads lines `+PGID` and `-PGID` from
 * its standard input, a pipe from the process that started it. When the pipe
 * closes, that process has exited or been killed (even by SIGKILL, which runs
 * no exit handler), so it kills every process group still listed and removes
 * the folder given as its argument.
 */
const guardScript = `
const { createInterface } = require('node:readline');
const { rmSync } = require('node:fs');
const groups = new Set();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const pgid = Number(line.slice(1));
  if (line.startsWith('+')) groups.add(pgid);
  if (line.startsWith('-')) groups.delete(pgid);
});
lines.on('close', () => {
  for (const pgid of groups) {
    try { process.kill(-pgid, 'SIGKILL'); } catch {}
  }
  const folder = process.argv[1];
  if (folder) rmSync(folder, { recursive: true, force: true });
});
`;

/**
 * A watchdog process that kills the control plane's process groups and
 * removes its temporary folder when the test process dies without stopping
 * them. The test process keeps no reference to it, so it never delays exit.
 */
export class OrphanGuard {
  private readonly guard: ChildProcess;
  private readonly input: Socket;

  /** @param folderToRemove removed when the test process dies, or undefined to keep everything on disk. */
  constructor(folderToRemove: string | undefined) {
    // detached: a Ctrl-C in the terminal reaches the test process but not the
    // guard, which must outlive it to clean up.
    this.guard = spawn(process.execPath, ['-e', guardScript, folderToRemove ?? ''], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    this.input = this.guard.stdin as Socket;
    this.input.on('error', () => undefined);
    this.guard.unref();
    this.input.unref();
  }

  /** Adds a process group that the guard kills if the test process dies. */
  track(pgid: number): void {
    this.input.write(`+${pgid}\n`);
  }

  /** Removes a process group that has exited, so the guard never signals a reused id. */
  untrack(pgid: number): void {
    this.input.write(`-${pgid}\n`);
  }

  /**
   * Closes the pipe, which makes the guard kill the groups still tracked and
   * remove its folder, exactly as when the test process dies. Resolves when
   * the guard has exited.
   */
  async close(): Promise<void> {
    if (this.guard.exitCode !== null || this.guard.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.guard.once('exit', () => resolve()));
    // Referenced again so that Node.js waits for the exit instead of ending first.
    this.guard.ref();
    this.input.end();
    await exited;
  }
}
