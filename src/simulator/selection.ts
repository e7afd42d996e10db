import type { Random } from '../util/random.js';

export { seededRandom as createRandom, type Random } from '../util/random.js';

/**
 * Decides, request by request, whether an injection with the given rate hits.
 *
 * By default the choice is deterministic so tests can assert exact counts: request n
 * (counting from 1) is selected when floor(n * rate) > floor((n - 1) * rate), so exactly
 * floor(N * rate) of the first N requests are hit, spread evenly. With a random generator,
 * each request is hit with probability `rate` instead.
 */
export class RateSelector {
  private count = 0;

  constructor(
    private readonly rate: number,
    private readonly random?: Random,
  ) {}

  next(): boolean {
    if (this.random) return this.random() < this.rate;
    this.count += 1;
    // The epsilon absorbs floating-point error: 100 * 0.29 is 28.999999999999996 in IEEE 754.
    return Math.floor(this.count * this.rate + 1e-9) > Math.floor((this.count - 1) * this.rate + 1e-9);
  }
}
