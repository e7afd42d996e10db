/**
 * spec.alerting with its defaults applied. The schema's descriptions quote
 * the defaults from here, so the documentation and the code cannot drift.
 */
import type { AlertSettings, AlertSeverity, LLMMonitorSpec } from '../api/types.js';
import { durationMs } from '../util/duration.js';
import { alertKindNames, type AlertKindName } from './alert-kind.js';
import { scheduleGapMs } from './schedule-gap.js';

/** Severity and pending time of each alert kind when the spec sets none. */
export const alertDefaults: Readonly<Record<AlertKindName, { severity: AlertSeverity; for: string }>> = {
  passRate: { severity: 'critical', for: '5m' },
  latency: { severity: 'warning', for: '5m' },
  errorRate: { severity: 'warning', for: '5m' },
  notRunning: { severity: 'warning', for: '5m' },
  drift: { severity: 'warning', for: '5m' },
  cost: { severity: 'warning', for: '5m' },
  feedback: { severity: 'warning', for: '5m' },
};

/** Runs that a default window spans, and that a monitor may miss before it counts as not running. */
export const windowRuns = 3;

/**
 * The shortest default window, in ms. Prometheus commonly scrapes every 15 s
 * to 1 min, and increase() needs at least two scrapes inside its range, so a
 * monitor that runs every 10 s still gets a window of several scrapes.
 */
export const minimumWindowMs = 5 * 60_000;

export interface ResolvedAlertSettings {
  severity: AlertSeverity;
  forMs: number;
}

export interface ResolvedAlerting {
  enabled: boolean;
  labels: Record<string, string>;
  ruleLabels: Record<string, string>;
  /** Empty when the spec sets none; the annotation is still emitted. */
  runbookURL: string;
  windowMs: number;
  /** A monitor whose latest run started longer ago than this counts as not running. */
  staleAfterMs: number;
  kinds: Record<AlertKindName, ResolvedAlertSettings>;
}

/** Applies the defaults to spec.alerting. Expects a validated spec: throws on an invalid schedule or duration. */
export function resolveAlerting(spec: LLMMonitorSpec): ResolvedAlerting {
  const alerting = spec.alerting ?? {};
  const defaultWindowMs = Math.max(windowRuns * scheduleGapMs(spec.schedule), minimumWindowMs);
  return {
    enabled: alerting.enabled ?? true,
    labels: { ...alerting.labels },
    ruleLabels: { ...alerting.ruleLabels },
    runbookURL: alerting.runbookURL ?? '',
    windowMs: alerting.window === undefined ? defaultWindowMs : durationMs(alerting.window),
    staleAfterMs: defaultWindowMs,
    kinds: Object.fromEntries(alertKindNames.map((kind) => [kind, resolveSettings(alerting[kind], kind)])) as Record<AlertKindName, ResolvedAlertSettings>,
  };
}

function resolveSettings(settings: AlertSettings | undefined, kind: AlertKindName): ResolvedAlertSettings {
  const defaults = alertDefaults[kind];
  return { severity: settings?.severity ?? defaults.severity, forMs: durationMs(settings?.for ?? defaults.for) };
}
