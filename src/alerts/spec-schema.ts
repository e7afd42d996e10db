/**
 * The schema of spec.alerting, which src/api/schema.ts includes in the one
 * LLMMonitor schema. It lives beside the alert generation so that the
 * defaults in its descriptions come from the same constants as the rules.
 */
import { type JSONSchema, bool, obj, str } from '../api/schema-helpers.js';
import { urlPattern } from '../api/pattern-messages.js';
import { alertSeverities } from '../api/types.js';
import { durationPattern, formatDuration } from '../util/duration.js';
import { alertKindNames, type AlertKindName } from './alert-kind.js';
import { minFeedbackRatings } from './kinds/feedback.js';
import { alertDefaults, minimumWindowMs, windowRuns } from './settings.js';
import { alertLabelRules, ruleLabelRules, type LabelMapRule } from './validation.js';

const duration = (description: string): JSONSchema => str(description, { pattern: durationPattern, maxLength: 64 });

/** Maps bound their size, which also bounds the cost that the API server estimates for their CEL rules. */
const maxLabels = 32;

function labelMap(description: string, values: JSONSchema, rules: readonly LabelMapRule[]): JSONSchema {
  return {
    type: 'object',
    description,
    additionalProperties: values,
    maxProperties: maxLabels,
    'x-kubernetes-validations': rules.map((rule) => ({ rule: rule.cel, message: rule.message })),
  };
}

function alertSettings(kind: AlertKindName, what: string): JSONSchema {
  const defaults = alertDefaults[kind];
  return obj(`The alert raised when ${what}.`, {
    severity: str(`Value of the alert's severity label. Default ${defaults.severity}.`, { enum: [...alertSeverities] }),
    for: duration(`How long the condition must hold before the alert fires, for example 10m. Default ${defaults.for}.`),
  });
}

/** The default window, and the age of the latest run after which a monitor counts as not running. */
const runsSpan = `max(${windowRuns} × the schedule's interval, ${formatDuration(minimumWindowMs)}), where a cron schedule's longest gap between runs counts as its interval`;

/** When each alert kind fires, completing "The alert raised when ...". */
const raisedWhen: Record<AlertKindName, string> = {
  passRate: 'the share of samples that pass is below thresholds.minPassRate',
  latency: 'the 95th percentile latency is above thresholds.maxLatencyP95',
  errorRate: 'the share of failed requests is above thresholds.maxErrorRate; one alert per failure reason',
  notRunning: `the latest completed run started longer ago than ${runsSpan}, or Prometheus has no series of the monitor's runs. Not raised while suspend is true`,
  drift: 'a drift score of a probe passes the limits of spec.drift: a p-value below minPValue, a PSI at or above maxPsi, or an embedding distance above its threshold; one alert per target, probe and method. Only with spec.drift',
  cost: 'the mean cost of a run over the window, times the runs planned in 30 days, exceeds spec.budget.monthlyDollars. Only with spec.budget',
  feedback: `the share of negative ratings among the positive and negative ratings of a target over the window is above thresholds.maxNegativeFeedback, with at least ${minFeedbackRatings} such ratings`,
};

export const alertingSchema: JSONSchema = obj(
  'Prometheus alerts generated from the thresholds. The operator applies them as a PrometheusRule (monitoring.coreos.com/v1) named llmmonitor-NAME in the monitor\'s namespace; `llm-monitor rules` prints them.',
  {
    enabled: bool('Generate the alerts. Default true; false deletes the PrometheusRule.'),
    labels: labelMap(
      'Extra labels on every alert, for Alertmanager routing, for example team: search.',
      str('Label value.', { maxLength: 1024 }),
      alertLabelRules,
    ),
    ruleLabels: labelMap(
      'Extra labels on the PrometheusRule object, for a Prometheus ruleSelector: kube-prometheus-stack loads only rules labelled release: RELEASE-NAME by default.',
      str('Label value.', { maxLength: 63 }),
      ruleLabelRules,
    ),
    runbookURL: str('URL of the runbook, set as the runbook_url annotation of every alert.', { pattern: urlPattern, maxLength: 2048 }),
    window: duration(
      `Range over which the alerts count samples and errors, for example 30m. Default ${runsSpan}. It must be at least the time between runs.`,
    ),
    ...Object.fromEntries(alertKindNames.map((kind) => [kind, alertSettings(kind, raisedWhen[kind])])),
  },
);
