/**
 * 95th percentile latency above spec.thresholds.maxLatencyP95, per target,
 * estimated by histogram_quantile() from the requests of the window that got a response.
 *
 * NOTE: histogram_quantile() interpolates linearly inside a bucket of
 * llm_monitor_probe_duration_seconds (bounds 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
 * 10, 20, 30, 60 and 120 s), so a maximum between two bounds is judged
 * approximately: with a maximum of 2s, responses of 1.5s fall in the 1 to 2.5 s
 * bucket and can fire the alert. A maximum on a bucket bound is judged exactly.
 */
import { formatSeconds } from '../../engine/format.js';
import type { AlertKind } from '../alert-kind.js';
import { formatNumber, increaseInWindow, indent, monitorSelector, sumBy } from '../promql.js';

export const latencyAlertName = 'LLMMonitorLatencyAboveMaximum';
export const durationBucketMetric = 'llm_monitor_probe_duration_seconds_bucket';

export const latencyAlert: AlertKind = {
  rules(context) {
    const maximum = context.thresholds.maxLatencyP95Seconds;
    if (maximum === undefined) return [];

    const { namespace, monitor, window } = context;
    const buckets = sumBy(['target', 'le'], increaseInWindow(durationBucketMetric, monitorSelector(namespace, monitor), window));
    return [
      {
        alert: latencyAlertName,
        expr: `histogram_quantile(\n  0.95,\n${indent(buckets, 2)}\n) > ${formatNumber(maximum)}`,
        for: context.for,
        labels: context.labels,
        annotations: {
          summary: `LLMMonitor ${namespace}/${monitor}: p95 latency of target {{ $labels.target }} is above ${formatSeconds(maximum)}`,
          description:
            `Over the last ${window}, the 95th percentile latency of the answers from target {{ $labels.target }} was about {{ $value | humanizeDuration }}, ` +
            `above the maximum of ${formatSeconds(maximum)} (spec.thresholds.maxLatencyP95). ` +
            'The value is estimated from the buckets of llm_monitor_probe_duration_seconds.',
          runbook_url: context.runbookURL,
        },
      },
    ];
  },
};
