/**
 * A queue of keys to reconcile by a fixed number of workers, never one key by
 * two workers at once. A key added while it waits is merged into the waiting
 * entry. A key added while it is being reconciled is reconciled once more
 * afterwards, so the latest state always gets a turn. A failed reconcile is
 * retried with exponential backoff.
 */
import type { Logger } from '../logging.js';

const initialRetryMs = 500;
const maxRetryMs = 60_000;

export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  /** Keys being reconciled now. */
  private readonly processing = new Set<string>();
  private activeWorkers = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly handle: (key: string) => Promise<void>,
    private readonly logger: Logger,
    /** Keys reconciled at the same time, at least 1. */
    private readonly workers = 1,
  ) {
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers must be an integer of 1 or more, not ${workers}`);
  }

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    this.startWorkers();
  }

  /** Resolves when nothing is pending or running. Retries that wait on a timer do not count. */
  idle(): Promise<void> {
    if (this.activeWorkers === 0 && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.pending.clear();
  }

  private startWorkers(): void {
    while (this.activeWorkers < this.workers && this.nextKey() !== undefined) {
      this.activeWorkers++;
      void this.work();
    }
  }

  /** Returns the oldest pending key that no worker holds. */
  private nextKey(): string | undefined {
    for (const key of this.pending) {
      if (!this.processing.has(key)) return key;
    }
    return undefined;
  }

  /** Reconciles keys until none is free; a key held by another worker is left to that worker, which takes it again when done. */
  private async work(): Promise<void> {
    for (let key = this.nextKey(); key !== undefined; key = this.nextKey()) {
      this.pending.delete(key);
      this.processing.add(key);
      try {
        await this.handle(key);
        this.failures.delete(key);
      } catch {
        this.scheduleRetry(key);
      } finally {
        this.processing.delete(key);
      }
    }
    this.activeWorkers--;
    if (this.activeWorkers > 0 || this.pending.size > 0) return;
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
