/**
 * The monitor has not completed a run for several scheduled intervals, or
 * Prometheus has no series of its runs at all: the operator is down, the
 * monitor is invalid or its Secret is missing, or Prometheus does not scrape
 * llm-monitor. A suspended monitor gets no such alert.
 */
import { formatDuration } from '../../util/duration.js';
import type { AlertKind } from '../alert-kind.js';
import { monitorSelector } from '../promql.js';

export const notRunningAlertName = 'LLMMonitorNotRunning';
export const lastRunMetric = 'llm_monitor_last_run_timestamp_seconds';

export const notRunningAlert: AlertKind = {
  rules(context) {
    if (context.suspended) return [];

    const { namespace, monitor } = context;
    const series = `${lastRunMetric}${monitorSelector(namespace, monitor)}`;
    const staleAfter = formatDuration(context.staleAfterSeconds * 1000);
    // The value is the age of the latest run in seconds, always above staleAfterSeconds (at least 300),
    // or 1 from absent(). The description picks its text by that value.
    const stale =
      `The latest completed run of LLMMonitor ${namespace}/${monitor} started {{ $value | humanizeDuration }} ago, ` +
      `but it is scheduled ${context.scheduleText}, and after ${staleAfter} without a run it counts as not running.`;
    const absent =
      `Prometheus has no ${lastRunMetric} series of LLMMonitor ${namespace}/${monitor}: ` +
      'it has not completed a run since llm-monitor started, or Prometheus does not scrape llm-monitor.';
    return [
      {
        alert: notRunningAlertName,
        // max() keeps the latest run when several llm-monitor replicas export the series, as after a change of
        // leader. sum() drops the labels that absent() copies from the selector, so both branches have the same labels.
        expr: `time() - max(${series}) > ${context.staleAfterSeconds}\nor\nsum(absent(${series}))`,
        for: context.for,
        labels: context.labels,
        annotations: {
          summary: `LLMMonitor ${namespace}/${monitor} is not running`,
          description: `{{ if lt $value 2.0 }}${absent}{{ else }}${stale}{{ end }} Check the monitor's Ready condition and the operator's logs.`,
          runbook_url: context.runbookURL,
        },
      },
    ];
  },
};
