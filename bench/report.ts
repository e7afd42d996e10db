/** Turns the figures of one benchmark run into Markdown tables and a list of targets met or missed. */
import type { MachineInfo } from './load.js';
import type { ScaleFigures } from './measure-scale.js';
import type { OperatorFigures } from './measure-operator.js';
import type { PromptfooFigures } from './measure-promptfoo.js';
import type { ThroughputFigures } from './measure-throughput.js';
import { scrapeSummary } from './scrape.js';

export interface BenchResults {
  mode: 'quick' | 'full';
  command: string;
  startedAt: string;
  machine: MachineInfo;
  load: { beforeRun: number; quiet: boolean; during: { min: number; max: number; mean: number } };
  throughput: ThroughputFigures[];
  promptfoo?: PromptfooFigures & { pipelineRequestsPerSecond: number; pipelineCpuMsPerProbe: number };
  scale: ScaleFigures[];
  operator?: OperatorFigures;
  errors: string[];
}

export interface TargetCheck {
  name: string;
  value: string;
  met: boolean;
}

export function targetChecks(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const t of results.throughput) {
    checks.push({ name: `pipeline ≥ 90% of autocannon, latency ${t.latency}, concurrency ${t.concurrency}`, value: percent(t.ratio), met: (t.ratio ?? 0) >= 0.9 });
  }
  if (results.promptfoo !== undefined) {
    const times = results.promptfoo.pipelineRequestsPerSecond / results.promptfoo.requestsPerSecond;
    checks.push({ name: 'pipeline ≥ 5× promptfoo throughput', value: `${fixed(times, 1)}×`, met: times >= 5 });
  }
  for (const largest of results.scale.filter((s) => s.monitors === 10_000 && s.compression === 1)) {
    const at = `10,000 monitors, jitter ${largest.jitter}`;
    checks.push({ name: `${at}: schedule lateness p99 < 1 s`, value: seconds(largest.run.latenessP99Seconds), met: (largest.run.latenessP99Seconds ?? Infinity) < 1 });
    checks.push({ name: `${at}: < 1 CPU core`, value: `${fixed(largest.run.cores, 2)} cores`, met: largest.run.cores < 1 });
    checks.push({ name: `${at}: peak RSS < 512 MiB`, value: `${fixed(largest.run.peakRssMiB, 0)} MiB`, met: largest.run.peakRssMiB < 512 });
    // Prometheus scrapes every 15 to 60 s, so the target is the median of the scrapes after the first, which renders every series.
    const scrape = scrapeSummary(largest.scrape);
    checks.push({
      name: `${at}: /metrics scrape < 250 ms`,
      value: `${fixed(scrape.laterMedianMs, 0)} ms (median of scrapes ${largest.scrape.spacingMs / 1000} s apart; the first took ${fixed(scrape.firstMs, 0)} ms)`,
      met: (scrape.laterMedianMs ?? Infinity) < 250,
    });
  }
  if (results.operator !== undefined) {
    const o = results.operator;
    // kubectl creates the monitors one by one, so each monitor's own apply is its creation. The figure from the start of the command is shown too.
    checks.push({
      name: 'operator: apply to first status p95 < 2 s',
      value: `${seconds(o.createToStatusP95Seconds)} from each monitor's creation; ${seconds(o.applyToStatusP95Seconds)} from the start of the kubectl apply, which took ${seconds(o.applySeconds)}`,
      met: o.createToStatusP95Seconds < 2,
    });
    checks.push({ name: 'operator: ≤ 1 API write per monitor per run', value: fixed(o.writesPerRun, 2), met: o.writesPerRun <= 1 });
    checks.push({ name: 'operator: no API writes while nothing changes', value: String(o.writesWhileIdle), met: o.writesWhileIdle === 0 });
  }
  return checks;
}

export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const lines = [
    `Run ${results.startedAt}, mode ${results.mode}: \`${results.command}\``,
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), ${fixed(m.memoryGiB, 1)} GiB memory, Node ${m.node}. ` +
      `1-minute load average: ${fixed(results.load.beforeRun, 2)} at the start${results.load.quiet ? '' : ' (above the limit: figures are not for the record)'}, ` +
      `${fixed(results.load.during.min, 2)} to ${fixed(results.load.during.max, 2)} during the run.`,
    '',
  ];
  if (results.throughput.length > 0) {
    lines.push(
      '| latency | concurrency | pipeline probes/s | autocannon req/s | ratio | pipeline CPU ms/probe | pipeline cores | failed probes |',
      '|---|---|---|---|---|---|---|---|',
      ...results.throughput.map(
        (t) =>
          `| ${t.latency} | ${t.concurrency} | ${fixed(t.pipeline.probesPerSecond, 0)} | ${fixed(t.autocannon.requestsPerSecond, 0)} | ${percent(t.ratio)} | ${fixed(t.pipeline.cpuMsPerProbe, 3)} | ${fixed(t.pipeline.cores, 2)} | ${t.pipeline.failed} |`,
      ),
      '',
      'The same request from a bare client, with nothing of the pipeline around it:',
      '',
      '| latency | concurrency | client | req/s | of autocannon | pipeline of it | CPU ms/request | cores | failed |',
      '|---|---|---|---|---|---|---|---|---|',
      ...results.throughput.flatMap((t) =>
        (['sdk', 'fetch'] as const).map((name) => {
          const c = t.clients[name];
          const label = name === 'sdk' ? 'OpenAI SDK' : 'Node fetch';
          return `| ${t.latency} | ${t.concurrency} | ${label} | ${fixed(c.requestsPerSecond, 0)} | ${percent(c.ratio)} | ${percent(t.pipeline.probesPerSecond / c.requestsPerSecond)} | ${fixed(c.cpuMsPerRequest, 3)} | ${fixed(c.cores, 2)} | ${c.failed} |`;
        }),
      ),
      '',
    );
  }
  if (results.promptfoo !== undefined) {
    const p = results.promptfoo;
    lines.push(
      '| promptfoo | requests | wall s | req/s | req/s after start-up | CPU ms/request | pipeline req/s | pipeline CPU ms/probe | throughput ratio | CPU ratio |',
      '|---|---|---|---|---|---|---|---|---|---|',
      `| latency ${p.latency}, concurrency ${p.concurrency} | ${p.requests} (${p.run.answered} answered, ${p.run.passed ?? 'n/a'} passed) | ${fixed(p.run.wallSeconds, 1)} | ${fixed(p.requestsPerSecond, 0)} | ${fixed(p.requestsPerSecondAfterStartup, 0)} | ${fixed(p.cpuMsPerRequest, 2)} | ${fixed(p.pipelineRequestsPerSecond, 0)} | ${fixed(p.pipelineCpuMsPerProbe, 3)} | ${fixed(p.pipelineRequestsPerSecond / p.requestsPerSecond, 1)}× | ${fixed(p.cpuMsPerRequest / p.pipelineCpuMsPerProbe, 1)}× |`,
      '',
    );
  }
  if (results.scale.length > 0) {
    lines.push(
      '| monitors | interval | jitter | window s | runs started / probes done (expected) | CPU ms/probe | cores | peak RSS MiB | lateness p50 | lateness p99 | first-run lateness max | scrape ms: first / median of later (n, spacing) | /metrics size | series |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...results.scale.map(
        (s) =>
          `| ${s.monitors.toLocaleString('en-US')} | ${s.interval}${s.compression === 1 ? '' : ` (${s.compression}× compressed)`} | ${s.jitter} | ${s.windowSeconds} | ${s.run.runsStarted} / ${s.run.probes} (${s.run.expectedProbes}) | ${fixed(s.run.cpuMsPerProbe, 3)} | ${fixed(s.run.cores, 3)} | ${fixed(s.run.peakRssMiB, 0)} | ${seconds(s.run.latenessP50Seconds)} | ${seconds(s.run.latenessP99Seconds)} | ${seconds(s.run.firstRunsLatenessMaxSeconds)} | ${fixed(scrapeSummary(s.scrape).firstMs, 0)} / ${fixed(scrapeSummary(s.scrape).laterMedianMs, 0)} (${s.scrape.timesMs.length}, ${s.scrape.spacingMs / 1000} s) | ${mib(s.scrape.bytes)} | ${s.scrape.series.toLocaleString('en-US')} |`,
      ),
      '',
      `Scale workers ran as \`node ${[...new Set(results.scale.map((s) => s.nodeArgs.join(' ')))].join('; ') || '(no flags)'}\`${results.scale.some((s) => s.nodeArgs.length > 0) ? ', the heap limit the Helm chart gives the operator (maxHeapMiB)' : ''}.`,
      '',
    );
  }
  if (results.operator !== undefined) {
    const o = results.operator;
    lines.push(
      '| operator | creation → first status p50 / p95 / max | start of kubectl apply → first status p50 / p95 / max (apply took) | runs | status writes | writes per run | writes without a new run | writes in idle window |',
      '|---|---|---|---|---|---|',
      `| ${o.monitors} monitors | ${seconds(o.createToStatusP50Seconds)} / ${seconds(o.createToStatusP95Seconds)} / ${seconds(o.createToStatusMaxSeconds)} | ${seconds(o.applyToStatusP50Seconds)} / ${seconds(o.applyToStatusP95Seconds)} / ${seconds(o.applyToStatusMaxSeconds)} (${seconds(o.applySeconds)}) | ${o.runs} | ${o.statusWrites} | ${fixed(o.writesPerRun, 2)} | ${o.writesWithoutRun}${o.fieldsWrittenWithoutRun.length > 0 ? ` (${o.fieldsWrittenWithoutRun.join(', ')})` : ''} | ${o.writesWhileIdle} in ${o.idleSeconds} s |`,
      '',
    );
  }
  const checks = targetChecks(results);
  if (checks.length > 0) lines.push('Targets:', '', ...checks.map((c) => `- ${c.met ? 'met' : 'NOT met'}: ${c.name}: ${c.value}`), '');
  if (results.errors.length > 0) lines.push('Errors:', '', ...results.errors.map((e) => `- ${e.split('\n')[0] ?? ''}`), '');
  return lines.join('\n');
}

export function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

function percent(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${(value * 100).toFixed(1)}%`;
}

function seconds(value: number | undefined): string {
  if (value === undefined) return 'n/a';
  return value < 1 ? `${(value * 1000).toFixed(1)} ms` : `${value.toFixed(2)} s`;
}

function mib(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`;
}
