import { performance } from 'node:perf_hooks';

import { FailureReason } from '../reasons.js';
import { formatDuration } from '../util/duration.js';
import { ProbeError } from './provider.js';
import { redactErrorChain, redactSecret } from './redact.js';

/** Node's timers take at most 2^31 - 1 ms (about 24.8 days) and fire at once for longer delays. */
const maxTimerMs = 2 ** 31 - 1;

/** The cause of the call's abort. */
export type AbortCause = 'timeout' | 'idle' | 'canceled' | 'finished';

const abortMessages: Record<AbortCause, string> = {
  timeout: 'provider call timed out',
  idle: 'provider stream stalled',
  canceled: 'provider call canceled',
  finished: 'provider call finished',
};

/** Details of a failure other than its reason and message. */
export interface FailureDetails {
  status?: number;
  retryAfterSeconds?: number;
  requestId?: string;
  cause?: unknown;
}

/**
 * One provider call in progress: its start time and the signal that ends it,
 * which fires at the target's timeout or with the caller's signal, whichever
 * comes first. It is the one place that creates the call's ProbeErrors, so
 * each of them carries the latency and none of them carries the API key.
 */
export class CallContext {
  readonly timeoutMs: number;
  /** The timeout for the SDKs, which take a positive integer of milliseconds. */
  readonly sdkTimeoutMs: number;
  readonly startedAt: number;
  readonly signal: AbortSignal;

  readonly #controller = new AbortController();
  readonly #apiKey: string | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #stopWatchingCaller: () => void;
  readonly #idleTimeoutMs: number | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #abortCause: AbortCause | undefined;

  constructor(request: { timeoutMs: number; idleTimeoutMs?: number; signal?: AbortSignal }, apiKey: string | undefined) {
    this.timeoutMs = request.timeoutMs;
    this.#idleTimeoutMs = request.idleTimeoutMs;
    this.sdkTimeoutMs = Math.min(Math.max(1, Math.round(request.timeoutMs)), maxTimerMs);
    this.#apiKey = apiKey;
    this.signal = this.#controller.signal;
    this.startedAt = performance.now();

    this.#timer = setTimeout(() => this.#abort('timeout'), Math.min(request.timeoutMs, maxTimerMs));
    if (request.signal?.aborted) this.#abort('canceled');
    this.#stopWatchingCaller = request.signal === undefined ? () => undefined : onAbort(request.signal, () => this.#abort('canceled'));
  }

  /**
   * Marks that a piece of a streamed answer arrived: the idle timeout, if
   * any, starts again from now. The first piece starts it, so the wait for
   * the first token is bounded by the total timeout alone.
   */
  received(): void {
    if (this.#idleTimeoutMs === undefined || this.#abortCause !== undefined) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#abort('idle'), Math.min(this.#idleTimeoutMs, maxTimerMs));
  }

  /** Seconds since the call started. */
  elapsedSeconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** The cause of the abort, or undefined while the call runs. */
  get abortCause(): AbortCause | undefined {
    return this.#abortCause;
  }

  /** Creates the ProbeError of this call, with the API key removed from the message and the cause chain. */
  fail(reason: FailureReason, message: string, details: FailureDetails = {}): ProbeError {
    const { cause, ...rest } = details;
    return new ProbeError(reason, redactSecret(message, this.#apiKey), {
      ...rest,
      latencySeconds: this.elapsedSeconds(),
      ...(cause === undefined ? {} : { cause: redactErrorChain(cause, this.#apiKey) }),
    });
  }

  /** Creates the Timeout or Canceled error when the signal fired, otherwise returns undefined. */
  abortFailure(cause?: unknown): ProbeError | undefined {
    if (this.#abortCause === 'timeout') return this.timeoutFailure(cause);
    if (this.#abortCause === 'idle') {
      const limit = formatDuration(this.#idleTimeoutMs ?? 0);
      return this.fail(FailureReason.Timeout, `the stream sent nothing for ${limit}, the idle timeout, after its first piece`, causeDetails(cause));
    }
    if (this.#abortCause === 'canceled') return this.fail(FailureReason.Canceled, 'call canceled before it completed', causeDetails(cause));
    return undefined;
  }

  /** Creates the Timeout error of this call. */
  timeoutFailure(cause?: unknown): ProbeError {
    const limit = formatDuration(this.timeoutMs);
    return this.fail(FailureReason.Timeout, `no complete answer within the timeout of ${limit}`, causeDetails(cause));
  }

  /**
   * Settles like the promise, or rejects with the signal's reason as soon as
   * the signal fires, for SDKs that miss an abort while they prepare a request.
   */
  untilAborted<T>(promise: Promise<T>): Promise<T> {
    if (this.signal.aborted) {
      promise.catch(() => undefined);
      return Promise.reject(this.signal.reason as Error);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(this.signal.reason as Error);
      this.signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => this.signal.removeEventListener('abort', onAbort));
    });
  }

  /** Removes the API key from text built from provider output. */
  redact(text: string): string {
    return redactSecret(text, this.#apiKey);
  }

  /** Stops the timer and releases any response body still open. Call it once the call settled. */
  dispose(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#idleTimer);
    this.#stopWatchingCaller();
    this.#abort('finished');
  }

  #abort(cause: AbortCause): void {
    if (this.#abortCause !== undefined) return;
    this.#abortCause = cause;
    // An AbortError, as fetch itself raises, so that SDK code written for aborts handles it.
    this.#controller.abort(new DOMException(abortMessages[cause], 'AbortError'));
  }
}

/**
 * Callbacks of the calls in progress per caller signal. Each signal gets one
 * abort listener however many calls share it: one listener per call would
 * make Node warn about a listener leak past 10 concurrent calls.
 */
const abortCallbacks = new WeakMap<AbortSignal, Set<() => void>>();

/** Runs the callback when the signal aborts, until the returned function is called. */
function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = abortCallbacks.get(signal);
  if (callbacks === undefined) {
    const created = new Set<() => void>();
    signal.addEventListener('abort', () => created.forEach((run) => run()), { once: true });
    abortCallbacks.set(signal, created);
    callbacks = created;
  }

  const registered = callbacks;
  registered.add(callback);
  return () => registered.delete(callback);
}

function causeDetails(cause: unknown): FailureDetails {
  return cause === undefined ? {} : { cause };
}
