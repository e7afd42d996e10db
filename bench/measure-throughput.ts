/**
 * Pipeline next to autocannon, one after the other against one simulator
 * process: same request, same concurrency, same duration. The OpenAI SDK
 * alone and Node's fetch alone run the same way, to show what the HTTP
 * client costs before the pipeline adds anything.
 */
import { resolve } from 'node:path';
import { autocannonLoad, type LoadResult } from './autocannon-load.js';
import type { ThroughputCase } from './plan.js';
import { startSimulatorProcess } from './simulator-process.js';
import { ratio } from './stats.js';
import { startWorker } from './worker-process.js';
import type { BareClient, ClientThroughputInput, ClientThroughputResult } from './workers/client-throughput.js';
import type { ThroughputInput, ThroughputResult } from './workers/throughput.js';

export interface ThroughputFigures extends ThroughputCase {
  pipeline: { probesPerSecond: number; probes: number; failed: number; cpuMsPerProbe: number; cores: number; peakRssMiB: number };
  autocannon: LoadResult;
  /** Pipeline probes per second / autocannon requests per second. */
  ratio: number | undefined;
  /** The bare clients, each against the same simulator: "sdk" is the OpenAI SDK, "fetch" Node's fetch. */
  clients: Record<BareClient, ClientFigures>;
}

export interface ClientFigures {
  requestsPerSecond: number;
  requests: number;
  /** Requests that failed, or whose response content lacks the expected word. */
  failed: number;
  cpuMsPerRequest: number;
  cores: number;
  /** Requests per second / autocannon requests per second. */
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
    const clients = { sdk: await measureClient(distDir, 'sdk', input), fetch: await measureClient(distDir, 'fetch', input) };
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
      clients: {
        sdk: { ...clients.sdk, ratio: ratio(clients.sdk.requestsPerSecond, load.requestsPerSecond) },
        fetch: { ...clients.fetch, ratio: ratio(clients.fetch.requestsPerSecond, load.requestsPerSecond) },
      },
    };
  } finally {
    await simulator.close();
  }
}

async function measureClient(distDir: string, client: BareClient, input: ThroughputInput): Promise<Omit<ClientFigures, 'ratio'>> {
  const clientInput: ClientThroughputInput = { client, ...input };
  const run = await startWorker<ClientThroughputResult>(resolve(distDir, 'bench/workers/client-throughput.js'), clientInput).result;
  return {
    requestsPerSecond: run.requests / run.seconds,
    requests: run.requests,
    failed: run.requests - run.answered,
    cpuMsPerRequest: (run.cpuSeconds * 1000) / run.requests,
    cores: run.cpuSeconds / run.seconds,
  };
}
