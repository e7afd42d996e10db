import type { RunningSimulator } from '../../../src/simulator/index.js';

/**
 * Records when the simulator's request count grows, by polling its stats
 * every 20 ms. With one sample per run, each increment is one run, so the
 * gaps between them show duplicate or missing schedules.
 */
export class RequestTimes {
  readonly times: number[] = [];
  private last: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly simulator: RunningSimulator) {
    this.last = simulator.stats().total;
    this.timer = setInterval(() => this.poll(), 20);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Milliseconds between consecutive requests. */
  gaps(): number[] {
    return this.times.slice(1).map((t, i) => t - (this.times[i] ?? t));
  }

  private poll(): void {
    const total = this.simulator.stats().total;
    for (let i = this.last; i < total; i++) this.times.push(Date.now());
    this.last = total;
  }
}
