/** CPU time and memory of the current process, in the units the report uses. */

export interface CpuSnapshot {
  /** process.cpuUsage(): user and system microseconds since the process started. */
  usage: NodeJS.CpuUsage;
  /** performance.now() in ms when the snapshot was taken. */
  atMs: number;
}

export function cpuSnapshot(): CpuSnapshot {
  return { usage: process.cpuUsage(), atMs: performance.now() };
}

export interface CpuSpent {
  /** User plus system CPU seconds between the snapshots. */
  cpuSeconds: number;
  /** Wall-clock seconds between the snapshots. */
  wallSeconds: number;
  /** cpuSeconds / wallSeconds: 1 means one core busy all the time. */
  cores: number;
}

export function cpuSince(start: CpuSnapshot, end: CpuSnapshot = cpuSnapshot()): CpuSpent {
  const cpuSeconds = (end.usage.user - start.usage.user + end.usage.system - start.usage.system) / 1e6;
  const wallSeconds = (end.atMs - start.atMs) / 1000;
  return { cpuSeconds, wallSeconds, cores: wallSeconds > 0 ? cpuSeconds / wallSeconds : 0 };
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  // resourceUsage().maxRSS is in KiB.
  return process.resourceUsage().maxRSS / 1024;
}
