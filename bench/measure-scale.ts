/** N monitors on their schedules in one worker process, and GET /metrics from this process during the measured window. */
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScaleCase } from './plan.js';
import { scrapeMetrics, type ScrapeResult } from './scrape.js';
import { startSimulatorProcess } from './simulator-process.js';
import { startWorker } from './worker-process.js';
import type { ScaleInput, ScaleResult } from './workers/scale.js';

export interface ScaleFigures extends ScaleCase {
  run: ScaleResult & { cpuMsPerProbe: number | undefined; expectedProbes: number };
  scrape: ScrapeResult;
  /** Flags of the worker's node process, such as the chart's heap limit. */
  nodeArgs: string[];
}

/** Simulated model latency for the scale runs. */
export const scaleLatency = '100ms';

export async function measureScale(root: string, distDir: string, testCase: ScaleCase, nodeArgs: string[] = []): Promise<ScaleFigures> {
  const simulator = await startSimulatorProcess({ latency: scaleLatency, root });
  try {
    const input: ScaleInput = {
      simulatorUrl: simulator.url,
      monitors: testCase.monitors,
      interval: testCase.interval,
      jitter: testCase.jitter,
      settleMs: testCase.settleSeconds * 1000,
      windowMs: testCase.windowSeconds * 1000,
    };
    const worker = startWorker<ScaleResult>(resolve(distDir, 'bench/workers/scale.js'), input, { nodeArgs });
    const ready = await Promise.race([worker.next('ready'), worker.result]);
    const metricsUrl = String((ready as { metricsUrl?: unknown }).metricsUrl);
    await sleep(testCase.settleSeconds * 1000);
    const scrape = await scrapeMetrics(metricsUrl, testCase.scrapes, testCase.scrapeSpacingSeconds * 1000);
    worker.send({ type: 'stop' });
    const run = await worker.result;
    const intervalSeconds = 60 / testCase.compression;
    return {
      ...testCase,
      run: {
        ...run,
        cpuMsPerProbe: run.probes > 0 ? (run.cpuSeconds * 1000) / run.probes : undefined,
        expectedProbes: Math.round((testCase.monitors * testCase.windowSeconds) / intervalSeconds),
      },
      scrape,
      nodeArgs,
    };
  } finally {
    await simulator.close();
  }
}
