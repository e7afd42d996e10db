/**
 * Error rate above spec.thresholds.maxErrorRate, per target, with one alert
 * per failure reason seen in the window, so that each alert names what failed
 * (RateLimited, Timeout, ...). The total over all reasons decides whether the
 * alerts fire, and each alert's value is its reason's share of the samples.
 */
import type { AlertKind } from '../alert-kind.js';
import { formatNumber, formatShare, group, increaseInWindow, monitorSelector, binary, sumBy } from '../promql.js';
import { samplesMetric } from './pass-rate.js';

export const errorRateAlertName = 'LLMMonitorErrorRateAboveMaximum';
export const errorsMetric = 'llm_monitor_probe_errors_total';

export const errorRateAlert: AlertKind = {
  rules(context) {
    const maximum = context.thresholds.maxErrorRate;
    if (maximum === undefined) return [];

    const { namespace, monitor, window } = context;
    const all = sumBy(['target'], increaseInWindow(samplesMetric, monitorSelector(namespace, monitor), window));
    const failed = sumBy(['target'], increaseInWindow(samplesMetric, monitorSelector(namespace, monitor, { result: 'error' }), window));
    const byReason = sumBy(['target', 'reason'], increaseInWindow(errorsMetric, monitorSelector(namespace, monitor), window));
    const reasonShare = `${group(binary(byReason, '/ on (target) group_left', all))} > 0`;
    const totalShare = `${group(binary(failed, '/', all))} > ${formatNumber(maximum)}`;
    return [
      {
        alert: errorRateAlertName,
        expr: `${reasonShare}\nand on (target)\n${totalShare}`,
        for: context.for,
        labels: context.labels,
        annotations: {
          summary: `LLMMonitor ${namespace}/${monitor}: target {{ $labels.target }} fails with {{ $labels.reason }} and its error rate is above ${formatShare(maximum)}`,
          description:
            `Over the last ${window}, {{ $value | humanizePercentage }} of the probe requests to target {{ $labels.target }} failed with reason {{ $labels.reason }}, ` +
            `and the requests that failed for any reason exceed the maximum error rate of ${formatShare(maximum)} (spec.thresholds.maxErrorRate). ` +
            'llm_monitor_probe_errors_total counts the failures by reason.',
          runbook_url: context.runbookURL,
        },
      },
    ];
  },
};
