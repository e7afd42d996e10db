/**
 * Worker: runs N bench monitors on their schedules through the pipeline,
 * serving /metrics as `llm-monitor run` does, and reports CPU per probe,
 * peak RSS and schedule lateness over a steady-state window that starts
 * after the first runs (which all start at once) have passed.
 */
import { startHttpServer } from '../../src/server/http-server.js';
import { cpuSince, cpuSnapshot, peakRssMiB } from '../cpu.js';
import { createPipeline } from '../pipeline.js';
import { benchMonitor } from '../probe.js';
import { nearestRank } from '../stats.js';
import { parentMessage, runWorker, workerInput } from '../worker-process.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ScaleInput {
  simulatorUrl: string;
  monitors: number;
  /** Schedule interval of every monitor, such as "1m". */
  interval: string;
  jitter: string;
  /** Time from adding the monitors to the start of the measured window, ms. */
  settleMs: number;
  /** Length of the measured window, ms. */
  windowMs: number;
}

export interface ScaleResult {
  probes: number;
  failedProbes: number;
  runsStarted: number;
  /** Most runs any one monitor started in the window: 1 for a window of one interval. */
  maxStartsPerMonitor: number;
  cpuSeconds: number;
  seconds: number;
  cores: number;
  latenessP50Seconds: number | undefined;
  latenessP99Seconds: number | undefined;
  latenessMaxSeconds: number | undefined;
  /** Lateness of the first runs, which the scheduler starts all at once. */
  firstRunsLatenessMaxSeconds: number | undefined;
  peakRssMiBAtWindowEnd: number;
  peakRssMiB: number;
}

runWorker(async () => {
  const input = await workerInput<ScaleInput>();
  let lateness: number[] = [];
  let startsByMonitor = new Map<string, number>();
  let probes = 0;
  let failedProbes = 0;
  const { runner, registry } = createPipeline({
    schedulerOptions: {
      onLateness: (key, seconds) => {
        lateness.push(seconds);
        startsByMonitor.set(key, (startsByMonitor.get(key) ?? 0) + 1);
      },
    },
    onRunComplete: (_monitor, result) => {
      for (const target of result.targets) {
        probes += target.sampleCount;
        failedProbes += target.probes.reduce((n, p) => n + p.samples.filter((s) => !s.passed).length, 0);
      }
    },
  });
  const server = await startHttpServer({ registry, host: '127.0.0.1', port: 0 });
  const stopped = parentMessage('stop');

  for (let i = 0; i < input.monitors; i++) {
    runner.upsert(benchMonitor({ name: `m-${i}`, simulatorUrl: input.simulatorUrl, concurrency: 1, samples: 1, stream: true, interval: input.interval, jitter: input.jitter }));
  }
  // The parent scrapes /metrics during the window, as Prometheus would, so the window's CPU, lateness and RSS include serving them.
  process.send?.({ type: 'ready', metricsUrl: `${server.url}/metrics` });
  await sleep(input.settleMs);
  const firstRuns = lateness;
  lateness = [];
  startsByMonitor = new Map();
  probes = 0;
  failedProbes = 0;
  const cpu = cpuSnapshot();
  await sleep(input.windowMs);
  const spent = cpuSince(cpu);
  const window = { lateness, probes, failedProbes, maxStartsPerMonitor: Math.max(0, ...startsByMonitor.values()) };
  const rssAtWindowEnd = peakRssMiB();

  await stopped;
  await runner.stop(1_000);
  await server.close();

  const result: ScaleResult = {
    probes: window.probes,
    failedProbes: window.failedProbes,
    runsStarted: window.lateness.length,
    maxStartsPerMonitor: window.maxStartsPerMonitor,
    cpuSeconds: spent.cpuSeconds,
    seconds: spent.wallSeconds,
    cores: spent.cores,
    latenessP50Seconds: nearestRank(window.lateness, 0.5),
    latenessP99Seconds: nearestRank(window.lateness, 0.99),
    latenessMaxSeconds: nearestRank(window.lateness, 1),
    firstRunsLatenessMaxSeconds: nearestRank(firstRuns, 1),
    peakRssMiBAtWindowEnd: rssAtWindowEnd,
    peakRssMiB: peakRssMiB(),
  };
  return { ...result };
});
