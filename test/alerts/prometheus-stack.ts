/**
 * A real Prometheus and Alertmanager for the alerting tests, as Debian
 * packages them (prometheus 2.42, prometheus-alertmanager 0.25; see
 * scripts/install-prometheus.sh), each on a free port of 127.0.0.1 with its
 * data in a temporary folder. Prometheus scrapes the given targets, evaluates
 * the given rule file and sends alerts to the Alertmanager.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePorts } from '../e2e/setup/free-port.js';

export interface StackOptions {
  /** host:port of each /metrics endpoint to scrape. */
  scrapeTargets: string[];
  /** Text of a Prometheus rule file. */
  rules: string;
  /** Scrape and rule evaluation interval, as a Prometheus duration. */
  interval: string;
}

/** An alert as Alertmanager's API v2 returns it. */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: string };
}

interface QueryResult {
  metric: Record<string, string>;
  value: [number, string];
}

const readyTimeoutMs = 60_000;

export class PrometheusStack {
  private readonly children: ChildProcess[] = [];
  prometheusUrl = '';
  alertmanagerUrl = '';

  private constructor(readonly folder: string) {}

  static async start(options: StackOptions): Promise<PrometheusStack> {
    const stack = new PrometheusStack(await mkdtemp(join(tmpdir(), 'llm-monitor-prometheus-')));
    try {
      await stack.startAlertmanager();
      await stack.startPrometheus(options);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** Stops both processes and removes the temporary folder. */
  async stop(): Promise<void> {
    await Promise.all(this.children.map((child) => stopChild(child)));
    await rm(this.folder, { recursive: true, force: true });
  }

  /** Runs an instant query and returns its vector. */
  async query(expr: string): Promise<QueryResult[]> {
    const url = `${this.prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`;
    const body = (await (await fetch(url)).json()) as { status: string; error?: string; data: { resultType: string; result: QueryResult[] } };
    if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error ?? body.status}`);
    return body.data.result;
  }

  /** Returns the series that match a selector, as /api/v1/series lists them. */
  async series(selector: string): Promise<Record<string, string>[]> {
    const body = (await (await fetch(`${this.prometheusUrl}/api/v1/series?match[]=${encodeURIComponent(selector)}`)).json()) as { data: Record<string, string>[] };
    return body.data;
  }

  /** Returns the names of the alerting rules that Prometheus loaded. */
  async ruleNames(): Promise<string[]> {
    const body = (await (await fetch(`${this.prometheusUrl}/api/v1/rules?type=alert`)).json()) as { data: { groups: { rules: { name: string }[] }[] } };
    return body.data.groups.flatMap((g) => g.rules.map((r) => r.name));
  }

  /** Returns the alerts that Alertmanager has now. Resolved alerts are not listed. */
  async alerts(): Promise<AlertmanagerAlert[]> {
    return (await (await fetch(`${this.alertmanagerUrl}/api/v2/alerts`)).json()) as AlertmanagerAlert[];
  }

  /** Logs of both processes, for failure messages. */
  logs(): string {
    return ['alertmanager', 'prometheus'].map((name) => `--- ${name}\n${readTail(join(this.folder, `${name}.log`))}`).join('\n');
  }

  private async startAlertmanager(): Promise<void> {
    const [port] = await freePorts(1);
    const config = {
      route: { receiver: 'discard', group_wait: '1s', group_interval: '1s', repeat_interval: '1h' },
      receivers: [{ name: 'discard' }],
    };
    await writeFile(join(this.folder, 'alertmanager.yml'), stringify(config));
    await mkdir(join(this.folder, 'alertmanager-data'));
    this.alertmanagerUrl = `http://127.0.0.1:${port}`;
    this.spawn('alertmanager', 'prometheus-alertmanager', [
      `--config.file=${join(this.folder, 'alertmanager.yml')}`,
      `--storage.path=${join(this.folder, 'alertmanager-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // An empty address turns clustering off, which would otherwise listen on 0.0.0.0:9094.
      '--cluster.listen-address=',
    ]);
    await this.waitReady(this.alertmanagerUrl, 'alertmanager');
  }

  private async startPrometheus(options: StackOptions): Promise<void> {
    const [port] = await freePorts(1);
    const config = {
      global: { scrape_interval: options.interval, evaluation_interval: options.interval },
      rule_files: [join(this.folder, 'rules.yaml')],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [this.alertmanagerUrl.replace('http://', '')] }] }] },
      // honor_labels keeps llm-monitor's namespace label, as the README recommends for ServiceMonitors.
      scrape_configs: [{ job_name: 'llm-monitor', honor_labels: true, static_configs: [{ targets: options.scrapeTargets }] }],
    };
    await writeFile(join(this.folder, 'rules.yaml'), options.rules);
    await writeFile(join(this.folder, 'prometheus.yml'), stringify(config));
    this.prometheusUrl = `http://127.0.0.1:${port}`;
    this.spawn('prometheus', 'prometheus', [
      `--config.file=${join(this.folder, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(this.folder, 'prometheus-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Prometheus 2.42 sends a firing alert again only after the resend delay (1m by default), and drops
      // the first notification when it comes before the Alertmanager is discovered.
      '--rules.alert.resend-delay=1s',
    ]);
    await this.waitReady(this.prometheusUrl, 'prometheus');
  }

  private spawn(name: string, command: string, args: string[]): void {
    const log = openSync(join(this.folder, `${name}.log`), 'a');
    const child = spawn(command, args, { stdio: ['ignore', log, log] });
    closeSync(log);
    child.once('error', () => undefined);
    this.children.push(child);
  }

  private async waitReady(url: string, name: string): Promise<void> {
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${url}/-/ready`)).ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${name} was not ready at ${url} within ${readyTimeoutMs} ms (is it installed? run \`bash scripts/install-prometheus.sh\`):\n${this.logs()}`);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function readTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}
