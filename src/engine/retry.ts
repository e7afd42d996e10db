/**
 * Retries of a probe's request. Off by default, because a retry hides the
 * latency and the errors that users of the model feel. When a target sets
 * `retries`, only failures that a later attempt can clear are retried, and the
 * sample keeps the latency of the attempt that returned the answer.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { FailureReason } from '../reasons.js';
import { ProbeError, type ChatRequest, type ChatResponse, type Provider } from '../providers/provider.js';

export interface RetryPolicy {
  /** Attempts in all, the first included; 1 means no retry. */
  maxAttempts: number;
  /** Wait before the second attempt, doubled before each later one. */
  backoffMs: number;
}

/** Failures that clear with time. A used-up quota, a wrong key or a refused request fail the same way again. */
export const retriedReasons: ReadonlySet<FailureReason> = new Set([
  FailureReason.RateLimited,
  FailureReason.Overloaded,
  FailureReason.ServerError,
  FailureReason.NetworkError,
  FailureReason.Timeout,
]);

/** A Retry-After longer than this ends the retries: the sample fails with the provider's error instead of stalling the run. */
export const maxRetryWaitMs = 60_000;

/**
 * Sends the request up to `policy.maxAttempts` times and resolves with the
 * first answer. It rejects with the last attempt's ProbeError when every
 * attempt failed or a failure is not one to retry. `onRetry` is called with
 * the reason of each failure that is retried, so the attempts made are the
 * retries plus one.
 */
export async function chatWithRetries(
  provider: Provider,
  request: ChatRequest,
  policy: RetryPolicy | undefined,
  onRetry: (reason: FailureReason) => void = () => {},
): Promise<ChatResponse> {
  const maxAttempts = policy?.maxAttempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await provider.chat(request);
    } catch (error) {
      if (!(error instanceof ProbeError)) throw error;
      const waitMs = policy === undefined ? undefined : retryWaitMs(error, attempt, maxAttempts, policy.backoffMs);
      if (waitMs === undefined || request.signal?.aborted === true) throw error;
      onRetry(error.reason);
      try {
        await sleep(waitMs, undefined, request.signal === undefined ? {} : { signal: request.signal });
      } catch {
        // The run was canceled during the wait, so the last failure is the sample's result.
        throw error;
      }
    }
  }
}

/** Returns how long to wait before the next attempt, or undefined when there is none. */
export function retryWaitMs(error: ProbeError, attempt: number, maxAttempts: number, backoffMs: number): number | undefined {
  if (attempt >= maxAttempts || !retriedReasons.has(error.reason)) return undefined;
  const backoff = backoffMs * 2 ** (attempt - 1);
  const waitMs = Math.max(backoff, (error.retryAfterSeconds ?? 0) * 1000);
  return waitMs > maxRetryWaitMs ? undefined : waitMs;
}
