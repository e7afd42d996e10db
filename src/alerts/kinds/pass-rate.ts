/**
 * Pass rate below spec.thresholds.minPassRate, per target: the share of
 * samples that passed all their assertions, over every sample of the window.
 * Summing counts before dividing weighs each sample once, so a run with one
 * sample cannot outweigh a run with many, and a window without samples gives
 * no ratio (0/0) instead of a false alert.
 */
import type { AlertKind } from '../alert-kind.js';
import { formatNumber, formatShare, group, increaseInWindow, monitorSelector, binary, sumBy } from '../promql.js';

export const passRateAlertName = 'LLMMonitorPassRateBelowMinimum';
export const samplesMetric = 'llm_monitor_probe_samples_total';

export const passRateAlert: AlertKind = {
  rules(context) {
    const minimum = context.thresholds.minPassRate;
    if (minimum === undefined) return [];

    const { namespace, monitor, window } = context;
    const passed = sumBy(['target'], increaseInWindow(samplesMetric, monitorSelector(namespace, monitor, { result: 'pass' }), window));
    const all = sumBy(['target'], increaseInWindow(samplesMetric, monitorSelector(namespace, monitor), window));
    return [
      {
        alert: passRateAlertName,
        expr: `${group(binary(passed, '/', all))} < ${formatNumber(minimum)}`,
        for: context.for,
        labels: context.labels,
        annotations: {
          summary: `LLMMonitor ${namespace}/${monitor}: pass rate of target {{ $labels.target }} is below ${formatShare(minimum)}`,
          description:
            `Over the last ${window}, {{ $value | humanizePercentage }} of the probe samples sent to target {{ $labels.target }} passed all their assertions, ` +
            `below the minimum of ${formatShare(minimum)} (spec.thresholds.minPassRate). ` +
            `\`kubectl -n ${namespace} describe llmmonitor ${monitor}\` shows the latest results.`,
          runbook_url: context.runbookURL,
        },
      },
    ];
  },
};
