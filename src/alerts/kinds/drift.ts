/**
 * A drift score of a probe passes the limits of spec.drift, per target, probe
 * and method: a Kolmogorov–Smirnov or categorical p-value below minPValue, a
 * PSI at or above maxPsi, or the mean answer embedding farther from the
 * baseline's than its bootstrap threshold. The scores are gauges of the
 * latest run, so the alert follows the latest comparison with the baseline.
 * max() and min() fold the series of several llm-monitor replicas into one.
 *
 * NOTE: PSI counts only for probes whose baseline plans at least 50 answers
 * (baselineRuns × samples). When requests fail, the detector may compare
 * fewer answers and ignore a PSI that this alert still judges.
 */
import type { AlertKind, AlertContext } from '../alert-kind.js';
import { aggregateBy, binary, formatNumber, monitorSelector, withRegexMatcher } from '../promql.js';

export const driftAlertName = 'LLMMonitorDriftDetected';
export const driftScoreMetric = 'llm_monitor_drift_score';

const seriesLabels = ['target', 'probe', 'method'];

export const driftAlert: AlertKind = {
  rules(context) {
    const drift = context.drift;
    if (drift === undefined) return [];

    const branches = [pValueBranch(context, drift.minPValue), ...psiBranch(context, drift.maxPsi), ...embeddingBranch(context)];
    const { namespace, monitor } = context;
    return [
      {
        alert: driftAlertName,
        expr: branches.join('\nor\n'),
        for: context.for,
        labels: context.labels,
        annotations: {
          summary: `LLMMonitor ${namespace}/${monitor}: answers of probe {{ $labels.probe }} on target {{ $labels.target }} drifted from the baseline`,
          description:
            'In the latest runs, the drift score {{ $labels.method }} of probe {{ $labels.probe }} on target {{ $labels.target }} is {{ $value | printf "%.4g" }}, ' +
            `past its limit in spec.drift: p-values below ${formatNumber(drift.minPValue)}, PSI at or above ${formatNumber(drift.maxPsi)}, or an embedding distance above its bootstrap threshold. ` +
            `\`kubectl -n ${namespace} describe llmmonitor ${monitor}\` shows the Drifted condition; the annotation llmmonitor.dev/reset-baseline starts the baseline again.`,
          runbook_url: context.runbookURL,
        },
      },
    ];
  },
};

/** Low p-values mean drift, so the lowest score of the replicas counts. */
function pValueBranch(context: AlertContext, minPValue: number): string {
  const scores = score(context, { method: 'ks_p_value|categorical_p_value' });
  return `${aggregateBy('min', seriesLabels, scores)} < ${formatNumber(minPValue)}`;
}

function psiBranch(context: AlertContext, maxPsi: number): string[] {
  if (context.psiProbes.length === 0) return [];
  const scores = score(context, { method: 'psi', probe: context.psiProbes.join('|') });
  return [`${aggregateBy('max', seriesLabels, scores)} >= ${formatNumber(maxPsi)}`];
}

/**
 * Compares the distance with the threshold of the same target and probe, both
 * computed in the same run. group_left keeps the distance's method label.
 */
function embeddingBranch(context: AlertContext): string[] {
  if (context.drift?.embedding === undefined) return [];
  const distance = aggregateBy('max', seriesLabels, score(context, { method: 'embedding_distance' }));
  const threshold = aggregateBy('max', ['target', 'probe'], score(context, { method: 'embedding_threshold' }));
  return [binary(distance, '> on (target, probe) group_left', threshold)];
}

/** Selects the monitor's drift score series. Each matcher is a regular expression of names, such as "psi" or "a|b". */
function score(context: AlertContext, matchers: Record<string, string>): string {
  let selector = monitorSelector(context.namespace, context.monitor);
  for (const [name, pattern] of Object.entries(matchers)) selector = withRegexMatcher(selector, name, pattern);
  return `${driftScoreMetric}${selector}`;
}
