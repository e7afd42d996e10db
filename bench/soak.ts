/**
 * The soak: `npm run soak` (10 minutes) or `npm run soak:quick` (60 s, the
 * CI variant). Runs MonitorRunner with many monitors at a short interval
 * against the simulator, samples heap used and RSS after a warm-up, fits a
 * least-squares line through the samples, and exits 1 when memory grows
 * faster than the bounds. Prints one JSON line with the figures last.
 *
 * Run with `node --expose-gc` so that each sample follows a full garbage
 * collection. Without it, the heap figures also move with the collector's
 * timing, and the soak prints a note saying so.
 */
import { parseArgs } from 'node:util';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { machineInfo } from './load.js';
import { createPipeline } from './pipeline.js';
import { benchMonitor } from './probe.js';
import { judgeGrowth, type GrowthBounds, type GrowthVerdict, type MemorySample } from './soak-fit.js';
import { startWorker } from './worker-process.js';
import type { SoakSimulatorInput } from './workers/soak-simulator.js';

const simulatorScript = resolve(dirname(fileURLToPath(import.meta.url)), 'workers/soak-simulator.js');

export interface SoakPlan {
  monitors: number;
  /** Schedule interval of every monitor, such as "1s". */
  interval: string;
  /** Simulated model latency. */
  latency: string;
  warmupSeconds: number;
  /** Sampled time after the warm-up. */
  durationSeconds: number;
  sampleEverySeconds: number;
  bounds: GrowthBounds;
  /** Bytes kept alive per completed run on purpose, to check that the soak detects a leak; 0 in normal runs. */
  leakBytesPerRun: number;
}

/**
 * The bounds. 200 monitors every second make about 720,000 runs an hour, so
 * 64 MiB of heap per hour is about 93 bytes per run: a leak of one small
 * object per run exceeds it. RSS also follows the allocator and V8's heap
 * sizing, so its bound is looser. Heap used after a forced collection
 * still moves by up to 8 MiB between samples, so a 60 s run cannot resolve
 * a slope that small and the quick run has a heap bound 8 times looser.
 * Its RSS slope moved between -3,700 and -850 MiB per hour in three quick
 * runs without an injected leak, a spread of about 2,800, so its RSS bound
 * is 4,096 MiB per hour. In one
 * quick run each, a leak of 1 KiB per run (--leak-bytes-per-run 1024)
 * measured 456 MiB per hour and passed, and one of 2 KiB measured 1,463 MiB
 * per hour and failed.
 */
const fullPlan: SoakPlan = {
  monitors: 200,
  interval: '1s',
  latency: '20ms',
  warmupSeconds: 60,
  durationSeconds: 600,
  sampleEverySeconds: 5,
  bounds: { heapMiBPerHour: 64, rssMiBPerHour: 256 },
  leakBytesPerRun: 0,
};

const quickPlan: SoakPlan = {
  ...fullPlan,
  warmupSeconds: 15,
  durationSeconds: 45,
  sampleEverySeconds: 2,
  bounds: { heapMiBPerHour: 512, rssMiBPerHour: 4096 },
};

export interface SoakReport {
  plan: SoakPlan;
  gcForced: boolean;
  runs: number;
  /** Probe samples that failed, by failure reason or "assertion". Reported, not judged: on an overloaded machine requests time out. */
  failedSamples: Record<string, number>;
  startedAt: string;
  machine: ReturnType<typeof machineInfo>;
  samples: MemorySample[];
  verdict: GrowthVerdict;
}

function parsePlan(argv: string[]): SoakPlan {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      monitors: { type: 'string' },
      interval: { type: 'string' },
      'sample-every': { type: 'string' },
      'leak-bytes-per-run': { type: 'string' },
    },
    strict: true,
  });
  const plan: SoakPlan = structuredClone(values.quick ? quickPlan : fullPlan);
  if (values.duration !== undefined) plan.durationSeconds = positive('--duration', values.duration);
  if (values.warmup !== undefined) plan.warmupSeconds = positive('--warmup', values.warmup);
  if (values.monitors !== undefined) plan.monitors = positive('--monitors', values.monitors);
  if (values['sample-every'] !== undefined) plan.sampleEverySeconds = positive('--sample-every', values['sample-every']);
  if (values.interval !== undefined) plan.interval = values.interval;
  if (values['leak-bytes-per-run'] !== undefined) plan.leakBytesPerRun = positive('--leak-bytes-per-run', values['leak-bytes-per-run']);
  return plan;
}

function positive(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${flag} must be a positive number, got "${value}"`);
  return number;
}

function sampleMemory(atSeconds: number): MemorySample {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return { atSeconds, heapUsedMiB: usage.heapUsed / 2 ** 20, rssMiB: usage.rss / 2 ** 20 };
}

export async function soak(plan: SoakPlan, log: (line: string) => void): Promise<SoakReport> {
  const simulatorInput: SoakSimulatorInput = { latency: plan.latency };
  const simulator = startWorker<Record<string, unknown>>(simulatorScript, simulatorInput);
  const ready = await Promise.race([simulator.next('ready'), simulator.result]);
  const simulatorUrl = String((ready as { url?: unknown }).url);
  let runs = 0;
  const failedSamples: Record<string, number> = {};
  const leaked: number[][] = [];
  const { runner, registry } = createPipeline({
    onRunComplete: (_monitor, result) => {
      runs += 1;
      // An array of small integers lives on the V8 heap at about 8 bytes each; a Buffer would not count as heap used.
      if (plan.leakBytesPerRun > 0) leaked.push(new Array<number>(Math.ceil(plan.leakBytesPerRun / 8)).fill(1));
      for (const sample of result.targets.flatMap((t) => t.probes.flatMap((p) => p.samples))) {
        if (sample.passed) continue;
        const reason = sample.error?.reason ?? 'assertion';
        failedSamples[reason] = (failedSamples[reason] ?? 0) + 1;
      }
    },
  });
  const startedAt = new Date().toISOString();

  try {
    for (let i = 0; i < plan.monitors; i++) {
      runner.upsert(benchMonitor({ name: `soak-${i}`, simulatorUrl, concurrency: 1, samples: 1, stream: true, interval: plan.interval }));
    }
    log(`${plan.monitors} monitors every ${plan.interval}; warm-up ${plan.warmupSeconds} s, then ${plan.durationSeconds} s sampled every ${plan.sampleEverySeconds} s`);
    await sleep(plan.warmupSeconds * 1000);

    const samples: MemorySample[] = [];
    const start = performance.now();
    for (;;) {
      // Rendering /metrics is part of every production process, so each sample exercises it too.
      await registry.metrics();
      const sample = sampleMemory((performance.now() - start) / 1000);
      samples.push(sample);
      log(`t=${sample.atSeconds.toFixed(0)} s heap ${sample.heapUsedMiB.toFixed(1)} MiB, RSS ${sample.rssMiB.toFixed(1)} MiB, ${runs} runs`);
      if (sample.atSeconds >= plan.durationSeconds) break;
      await sleep(plan.sampleEverySeconds * 1000);
    }

    return { plan, gcForced: globalThis.gc !== undefined, runs, failedSamples, startedAt, machine: machineInfo(), samples, verdict: judgeGrowth(samples, plan.bounds) };
  } finally {
    await runner.stop(1_000);
    simulator.send({ type: 'stop' });
    await simulator.result;
  }
}

async function main(): Promise<void> {
  const plan = parsePlan(process.argv.slice(2));
  const log = (line: string): void => void process.stderr.write(`[soak] ${line}\n`);
  if (globalThis.gc === undefined) log('run with node --expose-gc for heap figures after full collections; these include garbage');

  const report = await soak(plan, log);
  const { verdict } = report;
  log(`heap ${verdict.heapMiBPerHour.toFixed(1)} MiB/h (bound ${plan.bounds.heapMiBPerHour}), RSS ${verdict.rssMiBPerHour.toFixed(1)} MiB/h (bound ${plan.bounds.rssMiBPerHour}), ${report.runs} runs, failed samples ${JSON.stringify(report.failedSamples)}`);
  for (const failure of verdict.failures) log(`FAIL: ${failure}`);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  if (verdict.failures.length > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`[soak] ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  });
}
