/**
 * The chart's alerts on the operator's own health, evaluated by promtool
 * against series shaped like the operator's metrics as Prometheus stores them
 * after a ServiceMonitor scrape (job is the Service, namespace and pod come
 * from the target).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseObjects, renderChart } from './helpers/helm.js';

const release = 'alerts';
const namespace = 'llm-monitor';
const job = `${release}-llm-monitor`;
const target = `job="${job}", namespace="${namespace}"`;

let folder: string;
let rulesFile: string;

function promtool(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', args, { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', (error) => reject(new Error('promtool not found: run `bash scripts/install-prometheus.sh`', { cause: error })));
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

interface ExpectedAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}

interface AlertCase {
  name: string;
  series: { series: string; values: string }[];
  alertname: string;
  /** Minutes after the start of the series. */
  evalMinutes: number;
  alerts: ExpectedAlert[];
}

const pod = 'alerts-llm-monitor-5d8f9-abcde';
const podLabels = `${target}, pod="${pod}"`;
const upSeries = { series: `up{${podLabels}}`, values: '1x40' };

const cases: AlertCase[] = [
  {
    name: 'reconcile errors for 15 minutes fire',
    series: [upSeries, { series: `llm_monitor_operator_reconciles_total{result="error", ${podLabels}}`, values: '0+1x40' }],
    alertname: 'LLMMonitorOperatorReconcileErrors',
    evalMinutes: 25,
    alerts: [{
      exp_labels: { severity: 'warning', team: 'platform', namespace, pod },
      exp_annotations: {
        summary: 'The llm-monitor operator fails to reconcile LLMMonitors.',
        description: `Pod ${namespace}/${pod} has failed reconciles for 15 minutes, so some monitors have stale status. Its logs name the monitor and the error.`,
      },
    }],
  },
  {
    name: 'reconcile errors for 10 minutes stay pending',
    series: [upSeries, { series: `llm_monitor_operator_reconciles_total{result="error", ${podLabels}}`, values: '0+1x40' }],
    alertname: 'LLMMonitorOperatorReconcileErrors',
    evalMinutes: 10,
    alerts: [],
  },
  {
    name: 'successful reconciles stay quiet',
    series: [
      upSeries,
      { series: `llm_monitor_operator_reconciles_total{result="success", ${podLabels}}`, values: '0+5x40' },
      { series: `llm_monitor_operator_reconciles_total{result="error", ${podLabels}}`, values: '0x40' },
    ],
    alertname: 'LLMMonitorOperatorReconcileErrors',
    evalMinutes: 30,
    alerts: [],
  },
  {
    name: 'watch restarts after errors fire',
    series: [upSeries, { series: `llm_monitor_operator_watch_restarts_total{resource="secrets", reason="Error", ${podLabels}}`, values: '0+1x40' }],
    alertname: 'LLMMonitorOperatorWatchRestarts',
    evalMinutes: 35,
    alerts: [{
      exp_labels: { severity: 'warning', team: 'platform', namespace, pod, resource: 'secrets' },
      exp_annotations: {
        summary: 'The llm-monitor operator keeps restarting its watches.',
        description: `Pod ${namespace}/${pod} restarted its secrets watch 15 times in 15 minutes after errors, so it may miss changes. Check that it reaches the API server.`,
      },
    }],
  },
  {
    name: 'watches the server closes stay quiet',
    series: [upSeries, { series: `llm_monitor_operator_watch_restarts_total{resource="secrets", reason="Closed", ${podLabels}}`, values: '0+10x40' }],
    alertname: 'LLMMonitorOperatorWatchRestarts',
    evalMinutes: 35,
    alerts: [],
  },
  {
    name: 'replicas that are all standbys fire',
    series: [
      upSeries,
      { series: `llm_monitor_operator_leader{${podLabels}}`, values: '0x40' },
      { series: `llm_monitor_operator_leader{${target}, pod="alerts-llm-monitor-5d8f9-fghij"}`, values: '0x40' },
    ],
    alertname: 'LLMMonitorOperatorNoLeader',
    evalMinutes: 10,
    alerts: [{
      exp_labels: { severity: 'critical', team: 'platform' },
      exp_annotations: {
        summary: 'No llm-monitor operator replica holds the leader Lease, so no model is probed.',
        description: "Every replica has been a standby for 5 minutes. Check the Lease in the operator's namespace and the replicas' logs.",
      },
    }],
  },
  {
    name: 'one leader among replicas stays quiet',
    series: [
      upSeries,
      { series: `llm_monitor_operator_leader{${podLabels}}`, values: '1x40' },
      { series: `llm_monitor_operator_leader{${target}, pod="alerts-llm-monitor-5d8f9-fghij"}`, values: '0x40' },
    ],
    alertname: 'LLMMonitorOperatorNoLeader',
    evalMinutes: 10,
    alerts: [],
  },
  {
    name: 'an operator that is never scraped fires',
    series: [{ series: `up{job="another", namespace="${namespace}", pod="other"}`, values: '1x40' }],
    alertname: 'LLMMonitorOperatorDown',
    evalMinutes: 10,
    alerts: [{
      exp_labels: { severity: 'critical', team: 'platform', job, namespace },
      exp_annotations: {
        summary: 'Prometheus has scraped no llm-monitor operator replica for 5 minutes, so no model is probed.',
        description: "No target of the operator's ServiceMonitor is up. Check the Deployment's Pods and the ServiceMonitor.",
      },
    }],
  },
  {
    name: 'an operator whose scrapes fail fires',
    series: [{ series: `up{${podLabels}}`, values: '0x40' }],
    alertname: 'LLMMonitorOperatorDown',
    evalMinutes: 10,
    alerts: [{
      exp_labels: { severity: 'critical', team: 'platform', job, namespace },
      exp_annotations: {
        summary: 'Prometheus has scraped no llm-monitor operator replica for 5 minutes, so no model is probed.',
        description: "No target of the operator's ServiceMonitor is up. Check the Deployment's Pods and the ServiceMonitor.",
      },
    }],
  },
  {
    name: 'a scraped operator stays quiet',
    series: [upSeries],
    alertname: 'LLMMonitorOperatorDown',
    evalMinutes: 10,
    alerts: [],
  },
];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'llm-monitor-chart-alerts-'));
  const objects = parseObjects(await renderChart(release, namespace, { prometheusRule: { enabled: true, alertLabels: { team: 'platform' } } }));
  const rule = objects.find((object) => object.kind === 'PrometheusRule') as { spec: { groups: unknown[] } } | undefined;
  if (rule === undefined) throw new Error('the chart rendered no PrometheusRule with prometheusRule.enabled');
  rulesFile = join(folder, 'rules.yaml');
  await writeFile(rulesFile, stringify({ groups: rule.spec.groups }));
});

afterAll(async () => {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

describe('chart alerts on the operator', () => {
  it('pass promtool check rules', async () => {
    const result = await promtool(['check', 'rules', rulesFile]);

    expect(result.output).toContain('SUCCESS: 4 rules found');
    expect(result.code).toBe(0);
  });

  it.each(cases)('$name', async ({ name, series, alertname, evalMinutes, alerts }) => {
    const testFile = join(folder, `${name.replace(/\W+/g, '-')}.test.yaml`);
    await writeFile(testFile, stringify({
      rule_files: [rulesFile],
      evaluation_interval: '1m',
      tests: [{ interval: '1m', input_series: series, alert_rule_test: [{ eval_time: `${evalMinutes}m`, alertname, exp_alerts: alerts }] }],
    }));

    const result = await promtool(['test', 'rules', testFile]);

    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });
});
