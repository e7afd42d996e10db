/**
 * The result of `check`, as one plain object that every output format renders.
 * Its JSON form is the `--output json` contract, so field names are stable.
 */
import type { RunResult } from '../../engine/result.js';

export interface CheckReport {
  healthy: boolean;
  monitors: MonitorReport[];
}

export interface MonitorReport {
  namespace: string;
  name: string;
  source: string;
  healthy: boolean;
  passRate: number;
  errorRate: number;
  latencyP95Seconds?: number;
  durationSeconds: number;
  targets: RunResult['targets'];
}

export function buildReport(runs: { source: string; result: RunResult }[]): CheckReport {
  const monitors = runs.map(({ source, result }) => {
    const report: MonitorReport = {
      namespace: result.namespace,
      name: result.name,
      source,
      healthy: result.healthy,
      passRate: result.passRate,
      errorRate: result.errorRate,
      durationSeconds: result.durationSeconds,
      targets: result.targets,
    };
    if (result.latencyP95Seconds !== undefined) report.latencyP95Seconds = result.latencyP95Seconds;
    return report;
  });
  return { healthy: monitors.every((m) => m.healthy), monitors };
}
