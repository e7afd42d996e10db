/**
 * Checks of spec.alerting that a JSON schema cannot state. The label rules
 * are written once in CEL, for the CRD, and once in TypeScript, for the
 * standalone runner, with one message, like the rules in src/api/rules.ts.
 * The window check needs code (a cron schedule's gaps), so in a cluster it
 * shows as Ready=False with reason InvalidSpec.
 */
import type { LLMMonitorSpec } from '../api/types.js';
import type { ValidationIssue } from '../api/validate.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { reservedAlertLabels } from './alert-kind.js';
import { scheduleGapMs } from './schedule-gap.js';

/** A rule on a map of labels, in CEL (where `self` is the map) and in TypeScript. */
export interface LabelMapRule {
  cel: string;
  message: string;
  holds(labels: Readonly<Record<string, string>>): boolean;
}

/** Prometheus label names; names that start with "__" are reserved for Prometheus itself. */
const prometheusLabelName = '^[a-zA-Z_][a-zA-Z0-9_]*$';
/** Kubernetes label keys: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
const kubernetesLabelKey = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$';
/** Kubernetes label values, whose length of at most 63 characters the schema checks. */
const kubernetesLabelValue = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';

const prometheusLabelNameRegExp = new RegExp(prometheusLabelName);
const kubernetesLabelKeyRegExp = new RegExp(kubernetesLabelKey);
const kubernetesLabelValueRegExp = new RegExp(kubernetesLabelValue);

export function isPrometheusLabelName(name: string): boolean {
  return prometheusLabelNameRegExp.test(name) && !name.startsWith('__');
}

export function isKubernetesLabelKey(key: string): boolean {
  return kubernetesLabelKeyRegExp.test(key);
}

export function isKubernetesLabelValue(value: string): boolean {
  return value.length <= 63 && kubernetesLabelValueRegExp.test(value);
}

/** Rules of spec.alerting.labels. */
export const alertLabelRules: LabelMapRule[] = [
  {
    cel: `self.all(k, k.matches(r'${prometheusLabelName}') && !k.startsWith('__'))`,
    message: 'keys must be Prometheus label names: letters, digits and "_", not starting with a digit or "__"',
    holds: (labels) => Object.keys(labels).every(isPrometheusLabelName),
  },
  {
    cel: `self.all(k, !(k in [${reservedAlertLabels.map((name) => `'${name}'`).join(', ')}]))`,
    message: `must not set ${listWords(reservedAlertLabels)}: the generated alerts set them`,
    holds: (labels) => Object.keys(labels).every((key) => !(reservedAlertLabels as readonly string[]).includes(key)),
  },
];

/** Rules of spec.alerting.ruleLabels. */
export const ruleLabelRules: LabelMapRule[] = [
  {
    cel: `self.all(k, k.matches(r'${kubernetesLabelKey}'))`,
    message: 'keys must be Kubernetes label keys such as release or example.com/team',
    holds: (labels) => Object.keys(labels).every(isKubernetesLabelKey),
  },
  {
    cel: `self.all(k, self[k].matches(r'${kubernetesLabelValue}'))`,
    message: 'values must be Kubernetes label values: letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
    holds: (labels) => Object.values(labels).every((value) => kubernetesLabelValueRegExp.test(value)),
  },
];

/** Returns the issues of spec.alerting that the schema does not catch; empty when there are none. */
export function alertingIssues(spec: LLMMonitorSpec): ValidationIssue[] {
  const alerting = spec.alerting;
  if (alerting === undefined) return [];

  const issues: ValidationIssue[] = [];
  const apply = (rules: LabelMapRule[], labels: Record<string, string> | undefined, path: string): void => {
    if (labels === undefined) return;
    for (const rule of rules) if (!rule.holds(labels)) issues.push({ path, message: rule.message });
  };
  apply(alertLabelRules, alerting.labels, 'spec.alerting.labels');
  apply(ruleLabelRules, alerting.ruleLabels, 'spec.alerting.ruleLabels');

  const windowIssue = windowTooShort(spec);
  if (windowIssue !== undefined) issues.push({ path: 'spec.alerting.window', message: windowIssue });
  return issues;
}

/** Returns why the window is too short, if it is: a window shorter than the time between runs may contain no run, so its ratios would judge nothing. */
function windowTooShort(spec: LLMMonitorSpec): string | undefined {
  const windowMs = spec.alerting?.window === undefined ? undefined : parseDuration(spec.alerting.window);
  if (windowMs === undefined) return undefined;

  let gapMs: number;
  try {
    gapMs = scheduleGapMs(spec.schedule);
  } catch {
    // An invalid schedule has its own issue.
    return undefined;
  }
  if (windowMs >= gapMs) return undefined;
  return spec.schedule.interval !== undefined
    ? `must be at least the schedule's interval of ${spec.schedule.interval}, so that every window holds a run`
    : `must be at least ${formatDuration(gapMs)}, the longest gap between the cron schedule's runs, so that every window holds a run`;
}

function listWords(words: readonly string[]): string {
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1] ?? ''}`;
}
