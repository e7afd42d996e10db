/**
 * A seeded pseudo-random number generator, so that drift bootstrap thresholds
 * and the simulator's random fault selection repeat on every run and in every
 * test. Not for anything secret.
 */

/** A generator of numbers uniform in [0, 1), whose sequence depends only on the 32-bit seed. */
export type Random = () => number;

/** Mulberry32 (Tommy Ettinger, public domain): 32 bits of state, fast, and good enough for resampling. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
