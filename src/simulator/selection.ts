/** A seeded pseudo-random generator returning numbers in [0, 1). */
export type Random = () => number;

/** Creates the mulberry32 generator: small, fast and good enough for picking requests. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
