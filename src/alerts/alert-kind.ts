/**
 * The signature that every alert kind implements. Each kind lives in its own
 * file under kinds/ and turns a monitor's thresholds into Prometheus alerting
 * rules; registry.ts maps the kind names to them.
 */
import type { ResolvedDrift, ResolvedThresholds } from '../api/defaults.js';
import type { AlertSeverity } from '../api/types.js';

/** The alert kinds, named like their settings in spec.alerting. */
export const alertKindNames = ['passRate', 'latency', 'errorRate', 'notRunning', 'drift', 'cost', 'feedback'] as const;
export type AlertKindName = (typeof alertKindNames)[number];

/** Label names that the generated alerts set themselves; spec.alerting.labels may not set them. */
export const reservedAlertLabels = ['alertname', 'severity', 'namespace', 'llmmonitor', 'target', 'reason', 'probe', 'method'] as const;

/** Annotations of every generated alert. */
export interface AlertAnnotations {
  summary: string;
  description: string;
  runbook_url: string;
}

/** One Prometheus alerting rule, in the shape of both a rule file and PrometheusRule's spec.groups[].rules[]. */
export interface AlertingRule {
  alert: string;
  expr: string;
  /** Prometheus duration such as 5m. */
  for: string;
  labels: Record<string, string>;
  annotations: AlertAnnotations;
}

/** Everything a kind needs to build its rules, with every default applied. */
export interface AlertContext {
  namespace: string;
  monitor: string;
  thresholds: ResolvedThresholds;
  /** Range of the increase() windows, as a Prometheus duration such as 15m. */
  window: string;
  /** The not-running alert's limit on the age of the latest run, in seconds. */
  staleAfterSeconds: number;
  /** The schedule as a phrase for descriptions, such as "every 5m" or "on cron \"0 * * * *\"". */
  scheduleText: string;
  suspended: boolean;
  /** Drift settings; undefined when spec.drift is not set. */
  drift?: ResolvedDrift;
  /** Names of the probes whose baseline contains enough planned values for PSI to count as drift. */
  psiProbes: string[];
  /** spec.budget.monthlyDollars as a number; undefined without a budget. */
  monthlyBudgetDollars?: number;
  /** Runs planned in 30 days, the factor from the mean cost of a run to a monthly spend. */
  runsPerMonth: number;
  /** spec.thresholds.maxNegativeFeedback as a share between 0 and 1. */
  maxNegativeFeedback?: number;
  severity: AlertSeverity;
  /** Prometheus duration such as 5m. */
  for: string;
  /** Labels of every alert of the monitor: severity, namespace, llmmonitor, then spec.alerting.labels. */
  labels: Record<string, string>;
  runbookURL: string;
}

export interface AlertKind {
  /** Builds the kind's rules; returns none when the monitor sets no threshold for this kind. */
  rules(context: AlertContext): AlertingRule[];
}
