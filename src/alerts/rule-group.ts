/**
 * The Prometheus rule group of one monitor: every alert kind's rules, with
 * the labels and annotations that all of them share.
 */
import { resolveMonitor, type ResolvedMonitor } from '../api/defaults.js';
import { defaultNamespace, type LLMMonitor, type ScheduleSpec } from '../api/types.js';
import { runsPerMonth } from '../signals/budget.js';
import { minPsiSampleSize } from '../signals/drift.js';
import { formatDuration, parsePercent } from '../util/duration.js';
import { alertKindNames, type AlertContext, type AlertingRule } from './alert-kind.js';
import { alertKinds } from './registry.js';
import { resolveAlerting } from './settings.js';

export interface RuleGroup {
  name: string;
  rules: AlertingRule[];
}

/**
 * Builds the monitor's rule group, or returns undefined when
 * spec.alerting.enabled is false. Expects a validated monitor.
 */
export function buildRuleGroup(monitor: LLMMonitor): RuleGroup | undefined {
  const alerting = resolveAlerting(monitor.spec);
  if (!alerting.enabled) return undefined;

  const namespace = monitor.metadata.namespace ?? defaultNamespace;
  const name = monitor.metadata.name;
  const resolved = resolveMonitor(monitor);
  const shared: SharedContext = {
    namespace,
    monitor: name,
    thresholds: resolved.thresholds,
    window: formatDuration(alerting.windowMs),
    staleAfterSeconds: alerting.staleAfterMs / 1000,
    scheduleText: scheduleText(monitor.spec.schedule),
    suspended: monitor.spec.suspend ?? false,
    psiProbes: psiProbes(resolved),
    // A fixed start keeps a cron schedule's mean gap, and so the rule, the same on every reconcile.
    runsPerMonth: runsPerMonth(monitor.spec.schedule, cronReferenceDate),
    runbookURL: alerting.runbookURL,
  };
  if (resolved.drift !== undefined) shared.drift = resolved.drift;
  if (resolved.monthlyBudgetDollars !== undefined) shared.monthlyBudgetDollars = resolved.monthlyBudgetDollars;
  const maxNegativeFeedback = monitor.spec.thresholds?.maxNegativeFeedback;
  if (maxNegativeFeedback !== undefined) shared.maxNegativeFeedback = parsePercent(maxNegativeFeedback);

  const rules = alertKindNames.flatMap((kind) => {
    const { severity, forMs } = alerting.kinds[kind];
    const labels = { severity, namespace, llmmonitor: name, ...alerting.labels };
    return alertKinds[kind].rules({ ...shared, severity, for: formatDuration(forMs), labels });
  });
  return { name: ruleGroupName(namespace, name), rules };
}

/** Group names are unique per rule file; a rule file may hold the groups of monitors from several namespaces. */
export function ruleGroupName(namespace: string, name: string): string {
  return `llmmonitor.${namespace}.${name}`;
}

/** A Monday at midnight UTC, from which a cron schedule's next runs are planned. */
const cronReferenceDate = new Date('2025-01-06T00:00:00Z');

type SharedContext = Omit<AlertContext, 'severity' | 'for' | 'labels'>;

/**
 * Lists the probes whose baseline plans at least minPsiSampleSize answers, so
 * that their PSI can count as drift, as the drift detector judges it.
 */
function psiProbes(monitor: ResolvedMonitor): string[] {
  const baselineRuns = monitor.drift?.baselineRuns;
  if (baselineRuns === undefined) return [];
  return monitor.probes.filter((probe) => probe.samples * baselineRuns >= minPsiSampleSize).map((probe) => probe.name);
}

function scheduleText(schedule: ScheduleSpec): string {
  return schedule.interval !== undefined ? `every ${schedule.interval}` : `on cron "${schedule.cron ?? ''}"`;
}
