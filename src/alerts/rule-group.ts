/**
 * The Prometheus rule group of one monitor: every alert kind's rules, with
 * the labels and annotations that all of them share.
 */
import { resolveMonitor } from '../api/defaults.js';
import { defaultNamespace, type LLMMonitor, type ScheduleSpec } from '../api/types.js';
import { formatDuration } from '../util/duration.js';
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
  const shared: SharedContext = {
    namespace,
    monitor: name,
    thresholds: resolveMonitor(monitor).thresholds,
    window: formatDuration(alerting.windowMs),
    staleAfterSeconds: alerting.staleAfterMs / 1000,
    scheduleText: scheduleText(monitor.spec.schedule),
    suspended: monitor.spec.suspend ?? false,
    runbookURL: alerting.runbookURL,
  };
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

type SharedContext = Omit<AlertContext, 'severity' | 'for' | 'labels'>;

function scheduleText(schedule: ScheduleSpec): string {
  return schedule.interval !== undefined ? `every ${schedule.interval}` : `on cron "${schedule.cron ?? ''}"`;
}
