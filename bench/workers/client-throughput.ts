/**
 * Worker: sends the bench request as fast as the concurrency allows with a
 * bare client and nothing else: no scheduler, assertions, metrics or logs.
 * "sdk" is the OpenAI SDK with its defaults, "fetch" is Node's fetch. They
 * show how much of the gap between the pipeline and autocannon the HTTP
 * client alone accounts for.
 */
import OpenAI from 'openai';
import { cpuSince, cpuSnapshot, peakRssMiB } from '../cpu.js';
import { benchChatBody, benchExpected, benchMaxTokens, benchModel, benchQuestion } from '../probe.js';
import { runWorker, workerInput } from '../worker-process.js';

export type BareClient = 'sdk' | 'fetch';

export interface ClientThroughputInput {
  client: BareClient;
  simulatorUrl: string;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
}

export interface ClientThroughputResult {
  requests: number;
  /** Responses whose content contains the expected word, as the probe's contains assertion checks. */
  answered: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

runWorker(async () => {
  const input = await workerInput<ClientThroughputInput>();
  const send = input.client === 'sdk' ? sdkSender(input.simulatorUrl) : fetchSender(input.simulatorUrl);

  await loadFor(input.warmupMs, input.concurrency, send);
  const cpu = cpuSnapshot();
  const counts = await loadFor(input.durationMs, input.concurrency, send);
  const spent = cpuSince(cpu);
  const result: ClientThroughputResult = { ...counts, seconds: spent.wallSeconds, cpuSeconds: spent.cpuSeconds, peakRssMiB: peakRssMiB() };
  return { ...result };
});

/** Sends the request and returns the content of the response's message. */
type Sender = () => Promise<string>;

function sdkSender(simulatorUrl: string): Sender {
  // The simulator accepts any key; no request leaves 127.0.0.1.
  const client = new OpenAI({ apiKey: 'bench', baseURL: `${simulatorUrl}/v1`, maxRetries: 0 });
  return async () => {
    const completion = await client.chat.completions.create({
      model: benchModel,
      messages: [{ role: 'user', content: benchQuestion }],
      temperature: 0,
      max_completion_tokens: benchMaxTokens,
      stream: false,
    });
    return completion.choices[0]?.message.content ?? '';
  };
}

function fetchSender(simulatorUrl: string): Sender {
  const url = `${simulatorUrl}/v1/chat/completions`;
  const body = benchChatBody();
  return async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench' }, body });
    const completion = (await response.json()) as { choices?: { message?: { content?: string } }[] };
    return completion.choices?.[0]?.message?.content ?? '';
  };
}

async function loadFor(durationMs: number, concurrency: number, send: Sender): Promise<{ requests: number; answered: number }> {
  const deadline = performance.now() + durationMs;
  let requests = 0;
  let answered = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        requests += 1;
        const text = await send().catch(() => '');
        if (text.includes(benchExpected)) answered += 1;
      }
    }),
  );
  return { requests, answered };
}
