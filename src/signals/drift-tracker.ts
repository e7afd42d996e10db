/**
 * Keeps the drift state of every monitor with drift detection, loads it
 * from the store on a monitor's first run and saves it after each run.
 */
import type { ResolvedMonitor } from '../api/defaults.js';
import type { RunResult } from '../engine/result.js';
import { addRun, emptyDriftState, type MonitorDriftState, type ProbeDrift, type RunVectors } from './drift-state.js';
import type { DriftStore } from './drift-store.js';

export class DriftTracker {
  private readonly states = new Map<string, MonitorDriftState>();

  constructor(private readonly store: DriftStore) {}

  /**
   * Adds the run to the monitor's state and returns each probe's drift, or
   * undefined when the monitor does not enable drift detection. A changed
   * baselineRuns or reset annotation starts the baseline again.
   */
  async update(monitor: ResolvedMonitor, run: RunResult, vectors?: RunVectors): Promise<ProbeDrift[] | undefined> {
    const settings = monitor.drift;
    if (settings === undefined) return undefined;

    let state = this.states.get(monitor.key) ?? (await this.store.load(monitor.namespace, monitor.name));
    if (state === undefined || state.baselineRuns !== settings.baselineRuns || (state.resetToken ?? '') !== settings.resetToken) {
      state = { ...emptyDriftState(settings.baselineRuns), resetToken: settings.resetToken };
    }
    this.states.set(monitor.key, state);

    const drift = addRun(state, run, { minPValue: settings.minPValue, maxPsi: settings.maxPsi }, vectors);
    await this.store.save(monitor.namespace, monitor.name, state);
    return drift;
  }

  /** Drops the monitor's state from memory only, for a monitor that stops running here but keeps its stored baseline. */
  evict(monitorKey: string): void {
    this.states.delete(monitorKey);
  }

  /** Forgets a removed monitor here and in the store. */
  async forget(monitor: { key: string; namespace: string; name: string }): Promise<void> {
    this.states.delete(monitor.key);
    await this.store.remove(monitor.namespace, monitor.name);
  }
}
