/**
 * Worker: sends the bench probe through the pipeline as fast as the target's
 * concurrency allows, for a given time, and reports probes per second and
 * CPU time per probe.
 */
import { cpuSince, cpuSnapshot, peakRssMiB } from '../cpu.js';
import { createPipeline } from '../pipeline.js';
import { benchMonitor } from '../probe.js';
import { runWorker, workerInput } from '../worker-process.js';

export interface ThroughputInput {
  simulatorUrl: string;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
}

export interface ThroughputResult {
  probes: number;
  passed: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

runWorker(async () => {
  const input = await workerInput<ThroughputInput>();
  const { runner } = createPipeline();
  // Runs of 50 requests per slot of concurrency keep the slots full; only the last requests of a run wait for each other.
  const monitor = benchMonitor({ name: 'throughput', simulatorUrl: input.simulatorUrl, concurrency: input.concurrency, samples: input.concurrency * 50, stream: false });

  await runFor(input.warmupMs, async () => runner.runNow(monitor));
  const cpu = cpuSnapshot();
  const counts = await runFor(input.durationMs, async () => runner.runNow(monitor));
  const spent = cpuSince(cpu);
  const result: ThroughputResult = { ...counts, seconds: spent.wallSeconds, cpuSeconds: spent.cpuSeconds, peakRssMiB: peakRssMiB() };
  return { ...result };
});

async function runFor(durationMs: number, run: () => Promise<Awaited<ReturnType<ReturnType<typeof createPipeline>['runner']['runNow']>>>): Promise<{ probes: number; passed: number }> {
  const deadline = performance.now() + durationMs;
  let probes = 0;
  let passed = 0;
  while (performance.now() < deadline) {
    const result = await run();
    if (result === undefined) throw new Error('the bench run did not start');
    for (const target of result.targets) {
      probes += target.sampleCount;
      passed += target.probes.reduce((n, p) => n + p.samples.filter((s) => s.passed).length, 0);
    }
  }
  return { probes, passed };
}
