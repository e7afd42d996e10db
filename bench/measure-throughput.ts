/**
 * Pipeline next to autocannon, one after the other against one simulator
 * process: same request, same concurrency, same duration.
 */
import { resolve } from 'node:path';
import { autocannonLoad, type LoadResult } from './autocannon-load.js';
import type { ThroughputCase } from './plan.js';
import { startSimulatorProcess } from './simulator-process.js';
import { ratio } from './stats.js';
import { startWorker } from './worker-process.js';
import type { ThroughputInput, ThroughputResult } from './workers/throughput.js';

export interface ThroughputFigures extends ThroughputCase {
  pipeline: { probesPerSecond: number; probes: number; failed: number; cpuMsPerProbe: number; cores: number; peakRssMiB: number };
  autocannon: LoadResult;
  /** Pipeline probes per second / autocannon requests per second. */
  ratio: number | undefined;
}

export async function measureThroughput(root: string, distDir: string, testCase: ThroughputCase, warmupSeconds: number): Promise<ThroughputFigures> {
  const simulator = await startSimulatorProcess({ latency: testCase.latency, root });
  try {
    const input: ThroughputInput = {
      simulatorUrl: simulator.url,
      concurrency: testCase.concurrency,
      durationMs: testCase.durationSeconds * 1000,
      warmupMs: warmupSeconds * 1000,
    };
    const worker = startWorker<ThroughputResult>(resolve(distDir, 'bench/workers/throughput.js'), input);
    const run = await worker.result;
    await autocannonLoad({ simulatorUrl: simulator.url, concurrency: testCase.concurrency, durationSeconds: warmupSeconds });
    const load = await autocannonLoad({ simulatorUrl: simulator.url, concurrency: testCase.concurrency, durationSeconds: testCase.durationSeconds });
    const probesPerSecond = run.probes / run.seconds;
    return {
      ...testCase,
      pipeline: {
        probesPerSecond,
        probes: run.probes,
        failed: run.probes - run.passed,
        cpuMsPerProbe: (run.cpuSeconds * 1000) / run.probes,
        cores: run.cpuSeconds / run.seconds,
        peakRssMiB: run.peakRssMiB,
      },
      autocannon: load,
      ratio: ratio(probesPerSecond, load.requestsPerSecond),
    };
  } finally {
    await simulator.close();
  }
}
