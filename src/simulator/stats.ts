import { apiNames, faultKinds, type ApiName, type FaultKind } from './scenario.js';

/** The kind of response the simulator sent to a request to a model API. */
export type Outcome = 'ok' | 'error' | 'fault' | 'invalidRequest' | 'authFailed' | 'notFound';
export const outcomes: readonly Outcome[] = ['ok', 'error', 'fault', 'invalidRequest', 'authFailed', 'notFound'];

export interface ApiStats {
  total: number;
  byOutcome: Record<Outcome, number>;
}

/** Counts since the simulator started or since the stats were last reset. */
export interface SimulatorStats {
  /** Requests to the model APIs; control and health endpoints are not counted. */
  total: number;
  byOutcome: Record<Outcome, number>;
  byApi: Record<ApiName, ApiStats>;
  /** Chat requests that got each fault. */
  byFault: Record<FaultKind, number>;
  /** HTTP statuses sent by the model APIs, keyed by the status as a string. */
  byStatus: Record<string, number>;
  /** Chat requests matched by each rule, keyed by rule name. */
  byRule: Record<string, number>;
  /** Requests that followed a `redirect` fault to its location. */
  redirectsFollowed: number;
  /** Requests in progress, stalled streams included. */
  inFlight: number;
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

export function emptyStats(): SimulatorStats {
  return {
    total: 0,
    byOutcome: zeroes(outcomes),
    byApi: Object.fromEntries(apiNames.map((api) => [api, { total: 0, byOutcome: zeroes(outcomes) }])) as Record<ApiName, ApiStats>,
    byFault: zeroes(faultKinds),
    byStatus: {},
    byRule: {},
    redirectsFollowed: 0,
    inFlight: 0,
  };
}

/** Mutable counters behind `RunningSimulator.stats()`. */
export class StatsRecorder {
  private stats = emptyStats();

  recordOutcome(api: ApiName, outcome: Outcome): void {
    this.stats.total += 1;
    this.stats.byOutcome[outcome] += 1;
    const perApi = this.stats.byApi[api];
    perApi.total += 1;
    perApi.byOutcome[outcome] += 1;
  }

  recordFault(kind: FaultKind): void {
    this.stats.byFault[kind] += 1;
  }

  recordRule(name: string): void {
    this.stats.byRule[name] = (this.stats.byRule[name] ?? 0) + 1;
  }

  recordStatus(status: number): void {
    const key = String(status);
    this.stats.byStatus[key] = (this.stats.byStatus[key] ?? 0) + 1;
  }

  recordRedirectFollowed(): void {
    this.stats.redirectsFollowed += 1;
  }

  requestStarted(): void {
    this.stats.inFlight += 1;
  }

  requestEnded(): void {
    this.stats.inFlight -= 1;
  }

  /** Returns a copy that later requests do not change. */
  snapshot(): SimulatorStats {
    return structuredClone(this.stats);
  }

  /** Zeroes every counter except the requests in flight. */
  reset(): void {
    const inFlight = this.stats.inFlight;
    this.stats = emptyStats();
    this.stats.inFlight = inFlight;
  }
}
