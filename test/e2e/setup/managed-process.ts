import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import type { OrphanGuard } from './orphan-guard.js';

/** How a control plane binary is started. */
export interface ProcessSpec {
  /** Name used in messages, e.g. `kube-apiserver`. */
  name: string;
  command: string;
  args: string[];
  /** File that receives standard output and standard error, appended to by restarts. */
  logPath: string;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const logTailLines = 40;

/**
 * One control plane binary, run in its own process group so that stopping it
 * also stops anything it started, with its output in a log file instead of
 * the test output.
 */
export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<ExitStatus> | undefined;
  private status: ExitStatus | undefined;

  constructor(
    readonly spec: ProcessSpec,
    private readonly guard: OrphanGuard,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Exit status once the process has exited, undefined while it runs. */
  get exitStatus(): ExitStatus | undefined {
    return this.status;
  }

  /** Starts the process, and rejects when the binary cannot be executed. */
  async start(): Promise<void> {
    if (this.child !== undefined && this.status === undefined) {
      throw new Error(`${this.spec.name} is already running`);
    }
    this.status = undefined;
    const log = openSync(this.spec.logPath, 'a');
    const child = spawn(this.spec.command, this.spec.args, { detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;

    this.exited = new Promise<ExitStatus>((resolve) => {
      child.once('exit', (code, signal) => {
        this.status = { code, signal };
        if (child.pid !== undefined) this.guard.untrack(child.pid);
        resolve(this.status);
      });
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) => {
        this.status = { code: null, signal: null };
        reject(new Error(`failed to start ${this.spec.name} from ${this.spec.command}`, { cause: error }));
      });
    });
    if (child.pid !== undefined) this.guard.track(child.pid);
  }

  /**
   * Sends SIGTERM to the process group, then SIGKILL when it has not exited
   * after `timeoutMs`, and resolves when the process has exited.
   */
  async stop(timeoutMs: number): Promise<void> {
    if (this.child === undefined || this.exited === undefined || this.status !== undefined) return;
    this.signalGroup('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.signalGroup('SIGKILL');
      await this.exited;
    }
  }

  /** Kills the process group at once, so it is safe in a synchronous 'exit' handler. */
  kill(): void {
    if (this.status === undefined) this.signalGroup('SIGKILL');
  }

  /** Reads the last lines of the log file, for error messages. */
  logTail(): string {
    let text: string;
    try {
      text = readFileSync(this.spec.logPath, 'utf8');
    } catch {
      return `(no log at ${this.spec.logPath})`;
    }
    const lines = text.trimEnd().split('\n');
    return lines.slice(-logTailLines).join('\n');
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      // A negative id signals the whole group. detached made the child its leader, so its pid is the group id.
      process.kill(-pid, signal);
    } catch (error) {
      // ESRCH: the group has exited between the check and the signal.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}
