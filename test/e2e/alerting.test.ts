/**
 * A fire drill with real components: `llm-monitor simulate` serves the model,
 * `llm-monitor run` probes it, a real Prometheus scrapes run and evaluates
 * the rules that `llm-monitor rules` generated, and a real Alertmanager
 * receives the alerts. Each degradation of the simulator must raise its
 * alert in Alertmanager within a bound derived from the timings below, and
 * the alert must resolve after recovery. The Grafana dashboard's queries run
 * against the same Prometheus.
 */
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startCli, type CliProcess } from '../alerts/cli-process.js';
import { PrometheusStack, type AlertmanagerAlert } from '../alerts/prometheus-stack.js';
import { runCli } from '../integration/cli.js';
import { eventually } from './helpers/operator-process.js';

const namespace = 'alerting-e2e';
const monitorName = 'fire-drill';

// Timings, in seconds. The bounds below are derived from them.
const runInterval = 2;
const scrapeInterval = 1;
const window = 20;
const pendingFor = 4;
const resendDelay = 1;
/** Room for a busy 2-core machine that other test suites share. */
const slack = 30;

/**
 * The maximum time an alert may take to reach Alertmanager after the
 * simulator degrades. The window fills with degraded runs within one window
 * plus one run, and a scrape later Prometheus has the samples. The next
 * evaluation starts the pending period, the alert fires at the first
 * evaluation after `for`, and Prometheus sends it within the resend delay.
 */
const fireBound = window + runInterval + scrapeInterval + 2 * scrapeInterval + pendingFor + resendDelay + slack;
/** Likewise after recovery, without the pending period: the degraded runs leave the window. */
const resolveBound = window + runInterval + scrapeInterval + 2 * scrapeInterval + resendDelay + slack;

let folder: string;
let simulator: CliProcess;
let runner: CliProcess;
let stack: PrometheusStack;
let simulatorUrl: string;

const monitor = (baseURL: string) => ({
  apiVersion: 'llmmonitor.dev/v1alpha1',
  kind: 'LLMMonitor',
  metadata: { name: monitorName, namespace },
  spec: {
    schedule: { interval: `${runInterval}s`, jitter: '0%' },
    targets: [{ name: 'primary', provider: 'openai', model: 'gpt-4o', baseURL: `${baseURL}/v1`, timeout: '5s' }],
    probes: [{ name: 'capital', messages: [{ role: 'user', content: 'Answer with the word Paris.' }], samples: 4, expect: [{ contains: 'Paris' }] }],
    thresholds: { minPassRate: '90%', maxLatencyP95: '1s', maxErrorRate: '10%' },
    alerting: {
      window: `${window}s`,
      labels: { drill: 'e2e' },
      runbookURL: 'https://runbooks.example.com/fire-drill',
      passRate: { for: `${pendingFor}s` },
      latency: { for: `${pendingFor}s` },
      errorRate: { for: `${pendingFor}s` },
      // Long enough that the absent series before the first scrape does not fire it.
      notRunning: { for: '1m' },
    },
  },
});

async function setScenario(scenario: object): Promise<void> {
  const response = await fetch(`${simulatorUrl}/_simulator/scenario`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(scenario) });
  expect(response.status).toBe(200);
}

async function drillAlerts(): Promise<AlertmanagerAlert[]> {
  return (await stack.alerts()).filter((a) => a.labels.llmmonitor === monitorName);
}

/** Waits until Alertmanager has an alert with these labels and returns it with the seconds it took. */
async function waitForAlert(labels: Record<string, string>, since: number): Promise<{ alert: AlertmanagerAlert; seconds: number }> {
  const alert = await eventually(
    `${labels.alertname} in Alertmanager`,
    async () => (await drillAlerts()).find((a) => Object.entries(labels).every(([k, v]) => a.labels[k] === v)),
    fireBound * 1000,
    250,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}\n${stack.logs()}\n--- run\n${runner.output().slice(-3000)}`, { cause: error });
  });
  return { alert, seconds: (Date.now() - since) / 1000 };
}

async function waitUntilQuiet(what: string, since: number): Promise<number> {
  await eventually(what, async () => ((await drillAlerts()).length === 0 ? true : undefined), resolveBound * 1000, 250);
  return (Date.now() - since) / 1000;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'alerting-e2e-'));
  simulator = await startCli(['simulate', '--port', '0', '--log-level', 'warn'], /simulator listening on (http:\/\/127\.0\.0\.1:\d+)/);
  simulatorUrl = simulator.match[1] ?? '';

  const monitorFile = join(folder, 'monitor.yaml');
  await writeFile(monitorFile, stringify(monitor(simulatorUrl)));
  const rules = await runCli(['rules', '-f', monitorFile, '--output', 'rule-file']);
  expect(rules.code, rules.stderr).toBe(0);

  runner = await startCli(['run', '-f', monitorFile, '--metrics-address', '127.0.0.1', '--metrics-port', '0'], /"url":"http:\/\/(127\.0\.0\.1:\d+)\/metrics"/);
  stack = await PrometheusStack.start({ scrapeTargets: [runner.match[1] ?? ''], rules: rules.stdout, interval: `${scrapeInterval}s` });

  await eventually('rules loaded and the first runs scraped', async () => {
    const loaded = await stack.ruleNames();
    const runs = await stack.query(`llm_monitor_probe_samples_total{monitor="${monitorName}", result="pass"} > 4`);
    return loaded.length === 4 && runs.length > 0 ? true : undefined;
  }, 60_000, 500);
  // A window of healthy runs first, so every drill starts from a steady state.
  await new Promise((resolve) => setTimeout(resolve, window * 1000));
}, 180_000);

afterAll(async () => {
  await runner?.stop();
  await simulator?.stop();
  await stack?.stop();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

const drills: { name: string; scenario: object; labels: Record<string, string> }[] = [
  {
    name: 'wrong answers raise the pass rate alert',
    scenario: { reply: 'Lyon.' },
    labels: { alertname: 'LLMMonitorPassRateBelowMinimum', severity: 'critical' },
  },
  {
    name: 'rate limiting raises the error rate alert for its reason',
    scenario: { errors: { rate: 1, status: 429 } },
    labels: { alertname: 'LLMMonitorErrorRateAboveMaximum', severity: 'warning', reason: 'RateLimited' },
  },
  {
    name: 'slow answers raise the latency alert',
    scenario: { latency: '1500ms' },
    labels: { alertname: 'LLMMonitorLatencyAboveMaximum', severity: 'warning' },
  },
];

describe('alerts from a fire drill', () => {
  it.each(drills)('$name, and it resolves after recovery', async ({ scenario, labels }) => {
    expect(await drillAlerts()).toEqual([]);

    const degradedAt = Date.now();
    await setScenario(scenario);
    const { alert, seconds } = await waitForAlert(labels, degradedAt);
    console.log(`time to fire ${labels.alertname}: ${seconds.toFixed(1)} s (bound ${fireBound} s)`);

    expect(alert.labels).toEqual({ ...labels, namespace, llmmonitor: monitorName, target: 'primary', drill: 'e2e' });
    expect(alert.annotations.summary).toContain(`LLMMonitor ${namespace}/${monitorName}`);
    expect(alert.annotations.summary).toContain('target primary');
    expect(alert.annotations.runbook_url).toBe('https://runbooks.example.com/fire-drill');
    expect(seconds).toBeLessThan(fireBound);

    const recoveredAt = Date.now();
    await setScenario({});
    const resolved = await waitUntilQuiet(`${labels.alertname} resolved`, recoveredAt);
    console.log(`time to resolve ${labels.alertname}: ${resolved.toFixed(1)} s (bound ${resolveBound} s)`);
    expect(resolved).toBeLessThan(resolveBound);
  }, (fireBound + 2 * resolveBound) * 1000);
});

describe('the Grafana dashboard', () => {
  const variables: Record<string, string> = { namespace, monitor: monitorName, target: 'primary', window: '10m' };
  const substitute = (expr: string) => expr.replace(/\$(\w+)/g, (whole, name: string) => variables[name] ?? whole);

  it('has a query for every panel, and each returns data', async () => {
    const dashboard = JSON.parse(await readFile(join(import.meta.dirname, '../../deploy/grafana/llm-monitor.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(6);

    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets) {
        const expr = substitute(target.expr);
        expect(expr, panel.title).not.toContain('$');

        const result = await stack.query(expr);

        const values = result.map((r) => Number(r.value[1])).filter((v) => Number.isFinite(v));
        expect(values.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
      }
    }
  });

  it('offers the drill monitor in its template variables', async () => {
    const dashboard = JSON.parse(await readFile(join(import.meta.dirname, '../../deploy/grafana/llm-monitor.json'), 'utf8')) as {
      templating: { list: { name: string; type: string; definition?: string }[] };
    };
    const queries = dashboard.templating.list.filter((v) => v.type === 'query');
    expect(queries.map((v) => v.name)).toEqual(['namespace', 'monitor', 'target']);

    for (const variable of queries) {
      const match = /^label_values\((.+), (\w+)\)$/.exec(variable.definition ?? '');
      expect(match, variable.name).not.toBeNull();
      const [, selector = '', label = ''] = match ?? [];

      const series = await stack.series(substitute(selector));

      expect(series.map((s) => s[label]), variable.name).toContain(variables[variable.name]);
    }
  });
});
