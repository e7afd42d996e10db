/**
 * A queue of keys to reconcile, one at a time. A key added while it waits is
 * merged into the waiting entry. A key added while it is being reconciled is
 * reconciled once more afterwards, so the latest state always gets a turn.
 * A failed reconcile is retried with exponential backoff.
 */
import type { Logger } from '../logging.js';

const initialRetryMs = 500;
const maxRetryMs = 60_000;

export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly handle: (key: string) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    if (!this.running) void this.drain();
  }

  /** Resolves when nothing is pending or running. Retries that wait on a timer do not count. */
  idle(): Promise<void> {
    if (!this.running && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.pending.clear();
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.pending.size > 0) {
      const key = this.pending.values().next().value as string;
      this.pending.delete(key);
      try {
        await this.handle(key);
        this.failures.delete(key);
      } catch {
        this.scheduleRetry(key);
      }
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private scheduleRetry(key: string): void {
    const attempts = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, attempts);
    const delay = Math.min(maxRetryMs, initialRetryMs * 2 ** (attempts - 1));
    this.logger.debug({ key, attempts, retry_in_ms: delay }, 'reconcile will be retried');
    clearTimeout(this.retryTimers.get(key));
    const timer = setTimeout(() => {
      this.retryTimers.delete(key);
      this.add(key);
    }, delay);
    timer.unref();
    this.retryTimers.set(key, timer);
  }
}
