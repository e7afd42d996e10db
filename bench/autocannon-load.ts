/** autocannon sending the bench probe's request body: the ceiling a minimal HTTP client reaches against the same simulator. */
import autocannon from 'autocannon';
import { benchChatBody } from './probe.js';

export interface LoadResult {
  /** Answered requests (2xx) per second. */
  requestsPerSecond: number;
  requests: number;
  failed: number;
  seconds: number;
}

export async function autocannonLoad(options: { simulatorUrl: string; concurrency: number; durationSeconds: number }): Promise<LoadResult> {
  const result = await autocannon({
    url: `${options.simulatorUrl}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: benchChatBody(),
    connections: options.concurrency,
    duration: options.durationSeconds,
  });
  const ok = result['2xx'];
  return { requestsPerSecond: ok / result.duration, requests: ok, failed: result.non2xx + result.errors + result.timeouts, seconds: result.duration };
}
