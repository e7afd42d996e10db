/**
 * The recent failures of every monitor that `llm-monitor run` probes, in
 * memory, for GET /v1/failures. The operator keeps the same list in each
 * LLMMonitor's status instead.
 */
import type { RecentFailure } from '../api/types.js';
import { mergeRecentFailures, type Redact } from './recent-failures.js';
import type { RunResult } from './result.js';

export interface MonitorFailures {
  namespace: string;
  monitor: string;
  /** Newest run first; bounded as in status.recentFailures. */
  recentFailures: RecentFailure[];
}

export class RecentFailureStore {
  readonly #byKey = new Map<string, MonitorFailures>();
  readonly #redact: Redact;

  constructor(redact: Redact) {
    this.#redact = redact;
  }

  /** Adds the failures of a completed run. A canceled run is incomplete and changes nothing. */
  record(run: RunResult): void {
    if (run.canceled) return;
    const previous = this.#byKey.get(run.key)?.recentFailures;
    this.#byKey.set(run.key, { namespace: run.namespace, monitor: run.name, recentFailures: mergeRecentFailures(previous, run, this.#redact) });
  }

  remove(key: string): void {
    this.#byKey.delete(key);
  }

  /** Returns every monitor's list, ordered by namespace and name. */
  list(): MonitorFailures[] {
    const keys = [...this.#byKey.keys()].sort();
    return keys.flatMap((key) => this.#byKey.get(key) ?? []);
  }
}
