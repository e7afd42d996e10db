/**
 * The machine's load, so that figures are taken when other work does not
 * compete for the CPU. The benchmark waits for a quiet machine and records
 * the load it ran under.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
}

export function machineInfo(): MachineInfo {
  return { cores: cpus().length, cpuModel: cpuModel(), memoryGiB: totalmem() / 2 ** 30, node: process.version };
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

/** The 1-minute load average. */
export function loadOneMinute(): number {
  return loadavg()[0] ?? 0;
}

/**
 * Waits until the 1-minute load average is below `maxLoad`, checking every
 * `pollMs`, for at most `timeoutMs`. Resolves with the load last seen and
 * whether it was below the limit.
 */
export async function waitForQuietMachine(options: { maxLoad: number; timeoutMs: number; pollMs?: number; onWait?: (load: number) => void }): Promise<{ load: number; quiet: boolean }> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const load = loadOneMinute();
    if (load < options.maxLoad) return { load, quiet: true };
    if (Date.now() >= deadline) return { load, quiet: false };
    options.onWait?.(load);
    await sleep(options.pollMs ?? 15_000);
  }
}

/** Records the 1-minute load average every `everyMs` until stopped, for the report. */
export class LoadSampler {
  private readonly samples: number[] = [];
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(everyMs = 5_000) {
    this.samples.push(loadOneMinute());
    this.timer = setInterval(() => this.samples.push(loadOneMinute()), everyMs);
    this.timer.unref();
  }

  stop(): { min: number; max: number; mean: number } {
    clearInterval(this.timer);
    this.samples.push(loadOneMinute());
    const sum = this.samples.reduce((a, b) => a + b, 0);
    return { min: Math.min(...this.samples), max: Math.max(...this.samples), mean: sum / this.samples.length };
  }
}
