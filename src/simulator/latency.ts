import { durationMs } from '../util/duration.js';
import type { Latency } from './scenario.js';
import type { Random } from './selection.js';

/** Draws one delay in milliseconds. */
export type DelaySampler = () => number;

/** Builds a sampler for a validated latency: fixed, uniform between min and max, or normal clipped at 0. */
export function createDelaySampler(latency: Latency, random: Random): DelaySampler {
  if (typeof latency === 'string') {
    const ms = durationMs(latency);
    return () => ms;
  }
  if ('min' in latency) {
    const min = durationMs(latency.min);
    const span = durationMs(latency.max) - min;
    return () => min + random() * span;
  }
  const mean = durationMs(latency.mean);
  const stddev = durationMs(latency.stddev);
  return () => Math.max(0, mean + stddev * standardNormal(random));
}

/** Box-Muller transform; 1 - u keeps the logarithm's argument above 0. */
function standardNormal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
