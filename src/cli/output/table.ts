import { formatPercent, formatSeconds } from '../../engine/format.js';
import { quantile } from '../../engine/statistics.js';
import type { CheckReport } from './report.js';

/** Renders a check report as aligned columns for people, then the failures, then one summary line. */
export function renderTable(report: CheckReport): string {
  const rows: string[][] = [['MONITOR', 'TARGET', 'PROBE', 'PASSED', 'ERRORS', 'P50', 'P95', 'TTFT P95', 'TOKENS IN/OUT']];
  const failures: string[] = [];

  for (const monitor of report.monitors) {
    const monitorName = `${monitor.namespace}/${monitor.name}`;
    for (const target of monitor.targets) {
      for (const probe of target.probes) {
        const passed = probe.samples.filter((s) => s.passed).length;
        const errors = probe.samples.filter((s) => s.error !== undefined).length;
        const latencies = probe.samples.flatMap((s) => (s.error === undefined && s.latencySeconds !== undefined ? [s.latencySeconds] : []));
        const ttfts = probe.samples.flatMap((s) => (s.timeToFirstTokenSeconds === undefined ? [] : [s.timeToFirstTokenSeconds]));
        const tokensIn = probe.samples.reduce((sum, s) => sum + (s.usage?.inputTokens ?? 0), 0);
        const tokensOut = probe.samples.reduce((sum, s) => sum + (s.usage?.outputTokens ?? 0), 0);
        rows.push([
          monitorName,
          target.target,
          probe.probe,
          `${passed}/${probe.samples.length}`,
          String(errors),
          optionalSeconds(quantile(latencies, 0.5)),
          optionalSeconds(quantile(latencies, 0.95)),
          optionalSeconds(quantile(ttfts, 0.95)),
          `${tokensIn}/${tokensOut}`,
        ]);
        probe.samples.forEach((sample, index) => {
          const where = `${monitorName} ${target.target}/${probe.probe} sample ${index + 1}`;
          if (sample.error !== undefined) failures.push(`${where}: ${sample.error.reason}: ${sample.error.message}`);
          for (const assertion of sample.assertions) {
            if (assertion.passed) continue;
            // An assertion that could not be evaluated does not fail the sample, so it is named as such.
            const label = assertion.error === undefined ? assertion.kind : `${assertion.kind} not evaluated (${assertion.error.reason})`;
            failures.push(`${where}: ${label}: ${assertion.message}`);
          }
        });
      }
      rows.push([
        monitorName,
        target.target,
        '(all)',
        formatPercent(target.passRate),
        formatPercent(target.errorRate),
        optionalSeconds(target.latencyP50Seconds),
        optionalSeconds(target.latencyP95Seconds),
        optionalSeconds(target.timeToFirstTokenP95Seconds),
        `${target.inputTokens}/${target.outputTokens}`,
      ]);
      for (const violation of target.violations) failures.push(`${monitorName} ${target.target}: ${violation.reason}: ${violation.message}`);
    }
  }

  const unhealthy = report.monitors.filter((m) => !m.healthy).map((m) => `${m.namespace}/${m.name}`);
  const summary =
    unhealthy.length === 0
      ? `${report.monitors.length} monitor(s) checked: all thresholds met`
      : `${report.monitors.length} monitor(s) checked: thresholds not met by ${unhealthy.join(', ')}`;
  const sections = [alignColumns(rows)];
  if (failures.length > 0) sections.push(['Failures:', ...failures.map((f) => `  ${f}`)].join('\n'));
  sections.push(summary);
  return sections.join('\n\n') + '\n';
}

function optionalSeconds(seconds: number | undefined): string {
  return seconds === undefined ? '-' : formatSeconds(seconds);
}

function alignColumns(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
