/**
 * The one probe every part of the benchmark sends: llm-monitor's pipeline,
 * autocannon and promptfoo all ask the simulator the same question with the
 * same request body and check the answer with the same assertions. The
 * simulator answers with the last user message, so the answer contains
 * "Paris" and every assertion passes.
 */
import { resolveMonitor, type ResolvedMonitor } from '../src/api/defaults.js';
import { apiVersion, kind, type LLMMonitor } from '../src/api/types.js';

export const benchModel = 'bench-model';
export const benchQuestion = 'What is the capital of France? Answer in one word: Paris';
export const benchExpected = 'Paris';
/** maxLatency of the probe; generous, so that it checks the answer arrived and never fails on a loaded machine. */
export const benchMaxLatencySeconds = 30;
export const benchMaxTokens = 16;

export interface BenchMonitorOptions {
  name: string;
  /** The simulator's URL, without /v1. */
  simulatorUrl: string;
  /** Requests in flight at once. */
  concurrency: number;
  /** Requests per run. */
  samples: number;
  /** Streaming is the product's default; the throughput comparison turns it off because promptfoo does not stream. */
  stream: boolean;
  /** Interval between runs, such as "1m". */
  interval?: string;
  /** Schedule jitter; default the product's 10%. */
  jitter?: string;
}

export function benchManifest(options: BenchMonitorOptions): LLMMonitor {
  return {
    apiVersion,
    kind,
    metadata: { name: options.name, namespace: 'bench' },
    spec: {
      schedule: { interval: options.interval ?? '1m', ...(options.jitter === undefined ? {} : { jitter: options.jitter }) },
      targets: [
        {
          name: 'simulator',
          provider: 'openai',
          model: benchModel,
          baseURL: `${options.simulatorUrl}/v1`,
          concurrency: options.concurrency,
          timeout: '60s',
          parameters: { temperature: '0', maxTokens: benchMaxTokens },
        },
      ],
      probes: [
        {
          name: 'capital',
          messages: [{ role: 'user', content: benchQuestion }],
          samples: options.samples,
          stream: options.stream,
          expect: [{ contains: benchExpected }, { maxLatency: `${benchMaxLatencySeconds}s` }],
        },
      ],
    },
  } as LLMMonitor;
}

export function benchMonitor(options: BenchMonitorOptions): ResolvedMonitor {
  return resolveMonitor(benchManifest(options));
}

/** The JSON body the OpenAI provider sends for the non-streaming bench probe; autocannon sends exactly this. */
export function benchChatBody(): string {
  return JSON.stringify({
    model: benchModel,
    messages: [{ role: 'user', content: benchQuestion }],
    temperature: 0,
    max_completion_tokens: benchMaxTokens,
    stream: false,
  });
}
