/**
 * What one benchmark run measures, for full and quick mode. Quick mode is
 * the CI smoke run of about 2 minutes: shorter windows, 100 and 1,000
 * monitors with time compressed 6 times (10 s intervals), no promptfoo and
 * no operator part. Full mode measures everything at one probe a minute.
 */
import { parseArgs } from 'node:util';

export interface ThroughputCase {
  /** Simulated model latency, as `llm-monitor simulate --latency` takes it. */
  latency: string;
  concurrency: number;
  durationSeconds: number;
}

export interface ScaleCase {
  monitors: number;
  interval: string;
  /** How many times faster than one probe a minute the interval runs; 1 is real time. */
  compression: number;
  /** Schedule jitter; the product's default is 10%. */
  jitter: string;
  /** From adding the monitors to the window: one and a half intervals, so the window holds one whole slot. */
  settleSeconds: number;
  windowSeconds: number;
  /** Scrapes of /metrics in the window, scrapeSpacingSeconds apart, the first at its start. */
  scrapes: number;
  scrapeSpacingSeconds: number;
}

export interface PromptfooCase {
  concurrency: number;
  /** Requests: the test repeated this many times. */
  requests: number;
  latency: string;
}

export interface BenchPlan {
  mode: 'quick' | 'full';
  throughput: ThroughputCase[];
  scale: ScaleCase[];
  promptfoo: PromptfooCase | undefined;
  operator: boolean;
  /** Run the scale workers with the V8 old-space limit that the Helm chart gives the operator (maxHeapMiB), as in a Pod; off with --no-heap-cap. */
  chartHeapCap: boolean;
  /** Wait at most this long for the 1-minute load average to drop below maxLoad. */
  waitForQuietSeconds: number;
  maxLoad: number;
  warmupSeconds: number;
}

export interface BenchArgs {
  plan: BenchPlan;
  /** Where the JSON and Markdown results are written. */
  outDir: string;
}

export function quickPlan(): BenchPlan {
  return {
    mode: 'quick',
    throughput: [
      { latency: '100ms', concurrency: 50, durationSeconds: 8 },
      { latency: '0ms', concurrency: 16, durationSeconds: 8 },
    ],
    scale: [
      { monitors: 100, interval: '10s', compression: 6, jitter: '10%', settleSeconds: 15, windowSeconds: 10, scrapes: 4, scrapeSpacingSeconds: 2.5 },
      { monitors: 1_000, interval: '10s', compression: 6, jitter: '10%', settleSeconds: 15, windowSeconds: 10, scrapes: 4, scrapeSpacingSeconds: 2.5 },
    ],
    promptfoo: undefined,
    operator: false,
    chartHeapCap: true,
    waitForQuietSeconds: 0,
    maxLoad: 2,
    warmupSeconds: 2,
  };
}

export function fullPlan(): BenchPlan {
  return {
    mode: 'full',
    throughput: [
      { latency: '100ms', concurrency: 50, durationSeconds: 20 },
      { latency: '0ms', concurrency: 16, durationSeconds: 20 },
    ],
    scale: [
      ...[100, 1_000, 10_000].map((monitors) => ({ monitors, interval: '1m', compression: 1, jitter: '10%', settleSeconds: 90, windowSeconds: 60, scrapes: 4, scrapeSpacingSeconds: 15 })),
      // Monitors added together run in step; full jitter spreads them over the interval.
      { monitors: 10_000, interval: '1m', compression: 1, jitter: '100%', settleSeconds: 90, windowSeconds: 60, scrapes: 4, scrapeSpacingSeconds: 15 },
    ],
    promptfoo: { concurrency: 16, requests: 3_000, latency: '0ms' },
    operator: true,
    chartHeapCap: true,
    waitForQuietSeconds: 20 * 60,
    maxLoad: 2,
    warmupSeconds: 3,
  };
}

/** Reads the command line: --quick, --no-wait, --no-heap-cap, --skip-throughput, --skip-promptfoo, --skip-operator, --skip-scale, --scale MONITORS (only the cases with that many monitors), --out DIR. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
      'no-heap-cap': { type: 'boolean', default: false },
      'skip-promptfoo': { type: 'boolean', default: false },
      'skip-operator': { type: 'boolean', default: false },
      'skip-scale': { type: 'boolean', default: false },
      'skip-throughput': { type: 'boolean', default: false },
      out: { type: 'string', default: '.cache/bench' },
      scale: { type: 'string' },
    },
    strict: true,
  });
  const plan = values.quick ? quickPlan() : fullPlan();
  if (values['no-wait']) plan.waitForQuietSeconds = 0;
  if (values['no-heap-cap']) plan.chartHeapCap = false;
  if (values['skip-promptfoo']) plan.promptfoo = undefined;
  if (values['skip-operator']) plan.operator = false;
  if (values['skip-scale']) plan.scale = [];
  if (values['skip-throughput']) plan.throughput = [];
  if (values.scale !== undefined) plan.scale = plan.scale.filter((testCase) => testCase.monitors === Number(values.scale));
  return { plan, outDir: values.out };
}
