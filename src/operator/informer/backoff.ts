/** Delays between attempts, in milliseconds. */
export interface BackoffOptions {
  /** Upper bound of the first delay. */
  initialMs: number;
  /** Upper bound of every delay. */
  maxMs: number;
}

/** Keeps the 2^n factor finite, because 2^64 × any sane initialMs is far above any maxMs. */
const maxExponent = 64;

/**
 * Exponential backoff with jitter. Each delay is random between half and all
 * of min(maxMs, initialMs × 2^failures), so clients that failed together do
 * not retry together, not even once they reach maxMs.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {
    if (!(options.initialMs > 0) || !(options.maxMs >= options.initialMs)) {
      throw new Error(`invalid backoff ${options.initialMs} ms to ${options.maxMs} ms: use 0 < initialMs <= maxMs`);
    }
  }

  /**
   * Counts one more failure and returns the delay before the next attempt.
   * A server's Retry-After (`minimumMs`) raises the delay, even above maxMs.
   */
  next(minimumMs = 0): number {
    const ceiling = Math.min(this.options.maxMs, this.options.initialMs * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, maxExponent);
    const delay = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    return Math.max(delay, minimumMs);
  }

  /** Starts again from initialMs, after a period without failures. */
  reset(): void {
    this.failures = 0;
  }
}
